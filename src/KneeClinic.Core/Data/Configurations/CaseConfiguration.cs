using KneeClinic.Core.Cases;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KneeClinic.Core.Data.Configurations;

internal sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> b)
    {
        b.HasOne<Patient>().WithMany().HasForeignKey(c => c.PatientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ClinicUser>().WithMany().HasForeignKey(c => c.AssignedClinicianId).OnDelete(DeleteBehavior.Restrict);
        b.Property(c => c.Knee).HasConversion<string>().HasMaxLength(8);
        b.Property(c => c.CellSource).HasConversion<string>().HasMaxLength(24);
        b.Property(c => c.Stage).HasConversion<string>().HasMaxLength(24);
        b.Property(c => c.CloseReason).HasMaxLength(2000);
        b.HasIndex(c => new { c.AssignedClinicianId, c.Stage });
        // The dashboard's case list: a clinician's (or everyone's) cases, the most recently opened first.
        b.HasIndex(c => new { c.AssignedClinicianId, c.OpenedAt, c.Id });
        b.HasIndex(c => new { c.OpenedAt, c.Id });
        // A patient's open cases counted from the index alone (the patient list shows the number for each row).
        b.HasIndex(c => new { c.PatientId, c.Stage });
        b.Ignore(c => c.ScreeningIsOpen);
        b.Ignore(c => c.HasBeenInjected);
        b.Ignore(c => c.IsOpen);
        b.Ignore(c => c.NextStep);
        b.Ignore(c => c.CurrentProduct);
        b.OwnsOne(c => c.Screening, ScreeningConfiguration.Configure);
        b.Navigation(c => c.Screening).IsRequired();
    }
}
