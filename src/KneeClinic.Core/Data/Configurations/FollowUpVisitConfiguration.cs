using KneeClinic.Core.Cases;
using KneeClinic.Core.FollowUp;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KneeClinic.Core.Data.Configurations;

internal sealed class FollowUpVisitConfiguration : IEntityTypeConfiguration<FollowUpVisit>
{
    public void Configure(EntityTypeBuilder<FollowUpVisit> b)
    {
        b.Property(v => v.MissedReason).HasMaxLength(FollowUpVisit.MissedReasonMaxLength);
        b.HasOne<Case>().WithMany(c => c.Visits).HasForeignKey(v => v.CaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(v => new { v.CaseId, v.DueOn });
        // The dashboard's groups: scheduled visits whose window has closed, is open, or opens this week, soonest first.
        b.HasIndex(v => new { v.Status, v.WindowCloses });
        b.HasIndex(v => new { v.Status, v.WindowOpens });
        b.Property(v => v.Label).HasMaxLength(32);
        b.Property(v => v.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(v => v.ClinicianId).HasMaxLength(450);
        b.Property(v => v.RehabilitationStage).HasConversion<string>().HasMaxLength(32);
        b.Property(v => v.Notes).HasMaxLength(4000);
        b.Property(v => v.KoosAnswers).HasMaxLength(KoosAnswers.ItemCount);
        b.OwnsOne(v => v.Koos, k =>
        {
            // Its own table: a row exists exactly when KOOS was scored, even if every subscale is null.
            k.ToTable("FollowUpKoosScores");
            KoosScoresConfiguration.Configure(k);
        });
    }
}

internal static class KoosScoresConfiguration
{
    public static void Configure<TOwner>(OwnedNavigationBuilder<TOwner, KoosScores> k) where TOwner : class
    {
        k.Property(x => x.Pain).HasPrecision(5, 2);
        k.Property(x => x.Symptoms).HasPrecision(5, 2);
        k.Property(x => x.DailyLiving).HasPrecision(5, 2);
        k.Property(x => x.SportRecreation).HasPrecision(5, 2);
        k.Property(x => x.QualityOfLife).HasPrecision(5, 2);
    }
}
