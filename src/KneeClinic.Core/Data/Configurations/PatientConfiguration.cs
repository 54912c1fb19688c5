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
        b.HasIndex(p => p.SearchName);
        b.HasIndex(p => p.DateOfBirth);
        b.Property(p => p.Sex).HasConversion<string>().HasMaxLength(16);
        b.Property(p => p.Phone).HasMaxLength(40);
        b.Property(p => p.PhoneSearch).HasMaxLength(PhoneKey.MaxLength);
        b.HasIndex(p => p.PhoneSearch);
        b.Property(p => p.Email).HasMaxLength(254);
        b.Property(p => p.Notes).HasMaxLength(4000);
        b.Ignore(p => p.FullName);
    }
}
