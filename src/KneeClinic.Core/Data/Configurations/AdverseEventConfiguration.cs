using KneeClinic.Core.Cases;
using KneeClinic.Core.FollowUp;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KneeClinic.Core.Data.Configurations;

internal sealed class AdverseEventConfiguration : IEntityTypeConfiguration<AdverseEvent>
{
    public void Configure(EntityTypeBuilder<AdverseEvent> b)
    {
        b.HasOne<Case>().WithMany(c => c.AdverseEvents).HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Restrict);
        b.Property(e => e.Category).HasConversion<string>().HasMaxLength(32);
        b.Property(e => e.Serious).HasConversion<string>().HasMaxLength(128);
        b.Property(e => e.Relatedness).HasConversion<string>().HasMaxLength(16);
        b.Property(e => e.Outcome).HasConversion<string>().HasMaxLength(24);
        b.Property(e => e.Description).HasMaxLength(4000);
        b.Property(e => e.ActionTaken).HasMaxLength(4000);
        b.Property(e => e.ReportedById).HasMaxLength(450);
        b.Property(e => e.EnteredInErrorById).HasMaxLength(450);
        b.Property(e => e.EnteredInErrorReason).HasMaxLength(1000);
        b.Ignore(e => e.EnteredInError);
        b.Ignore(e => e.IsSerious);
        b.Ignore(e => e.IsOpen);
        b.ToTable(t => t.HasCheckConstraint("CK_AdverseEvents_CtcaeGrade", "\"CtcaeGrade\" BETWEEN 1 AND 5"));
    }
}
