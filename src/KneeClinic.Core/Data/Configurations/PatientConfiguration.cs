using KneeClinic.Core.Patients;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KneeClinic.Core.Data.Configurations;

internal sealed class PatientConfiguration : IEntityTypeConfiguration<Patient>
{
    public void Configure(EntityTypeBuilder<Patient> b)
    {
        b.HasIndex(p => p.Mrn).IsUnique();
        b.Property(p => p.GivenName).HasMaxLength(Patient.NameMaxLength);
        b.Property(p => p.FamilyName).HasMaxLength(Patient.NameMaxLength);
        b.HasIndex(p => new { p.FamilyName, p.GivenName });
        b.Property(p => p.SearchName).HasMaxLength(Patient.SearchNameMaxLength);
        // The list's order (search name, then id to make it unique), and the same after a date of birth, so a page
        // of either is a seek in one index and never a sort of every match.
        b.HasIndex(p => new { p.SearchName, p.Id });
        b.HasIndex(p => new { p.DateOfBirth, p.SearchName, p.Id });
        b.HasMany(p => p.NameWords).WithOne().HasForeignKey(w => w.PatientId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(p => p.NameWords).AutoInclude();
        b.Property(p => p.Sex).HasConversion<string>().HasMaxLength(16);
        b.Property(p => p.Phone).HasMaxLength(40);
        b.Property(p => p.PhoneSearch).HasMaxLength(PhoneKey.MaxLength);
        b.HasIndex(p => p.PhoneSearch);
        b.Property(p => p.Email).HasMaxLength(254);
        b.Property(p => p.Notes).HasMaxLength(4000);
        b.Ignore(p => p.FullName);
    }
}

internal sealed class PatientNameWordConfiguration : IEntityTypeConfiguration<PatientNameWord>
{
    public void Configure(EntityTypeBuilder<PatientNameWord> b)
    {
        b.HasKey(w => new { w.PatientId, w.Word });
        b.Property(w => w.Word).HasMaxLength(Patient.SearchNameMaxLength);
        b.Property(w => w.SearchName).HasMaxLength(Patient.SearchNameMaxLength);
        // The search: the patients with a word in a range ("smi" <= word < "smj"), with the name they are listed by.
        b.HasIndex(w => new { w.Word, w.SearchName, w.PatientId });
    }
}
