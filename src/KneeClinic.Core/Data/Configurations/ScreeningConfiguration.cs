using KneeClinic.Core.Cases;
using KneeClinic.Core.Screening;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KneeClinic.Core.Data.Configurations;

/// <summary>The screening is owned by its case: stored in its own tables, always loaded with it.</summary>
internal static class ScreeningConfiguration
{
    public static void Configure(OwnedNavigationBuilder<Case, CaseScreening> s)
    {
        s.ToTable("Screenings");
        s.WithOwner().HasForeignKey(x => x.CaseId);
        s.Property(x => x.MedicalHistory).HasMaxLength(4000);
        s.Property(x => x.CheckupNotes).HasMaxLength(4000);
        s.Property(x => x.Decision).HasConversion<string>().HasMaxLength(24);
        s.Property(x => x.DecisionReason).HasMaxLength(4000);
        s.PrimitiveCollection(x => x.OverriddenContraindications).ElementType().HasConversion<string>();
        s.Ignore(x => x.IsEligible);
        s.Property(x => x.BaselineKoosAnswers).HasMaxLength(FollowUp.KoosAnswers.ItemCount);
        s.OwnsOne(x => x.BaselineKoos, k =>
        {
            k.ToTable("ScreeningKoosScores");
            KoosScoresConfiguration.Configure(k);
        });

        s.OwnsMany(x => x.Medications, m =>
        {
            m.ToTable("ScreeningMedications");
            m.WithOwner().HasForeignKey("CaseId");
            m.HasKey(x => x.Id);
            m.Property(x => x.Name).HasMaxLength(200);
            m.Property(x => x.Dose).HasMaxLength(200);
            m.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            m.Ignore(x => x.NeedsAttention);
        });
        s.Navigation(x => x.Medications).HasField("_medications");

        s.OwnsMany(x => x.Imaging, i =>
        {
            i.ToTable("ScreeningImaging");
            i.WithOwner().HasForeignKey("CaseId");
            i.HasKey(x => x.Id);
            i.Property(x => x.Modality).HasConversion<string>().HasMaxLength(8);
            i.Property(x => x.Findings).HasMaxLength(4000);
        });
        s.Navigation(x => x.Imaging).HasField("_imaging");

        s.OwnsMany(x => x.Contraindications, c =>
        {
            c.ToTable("ScreeningContraindications");
            c.WithOwner().HasForeignKey("CaseId");
            c.Property<int>("Id");
            c.HasKey("Id");
            c.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
            c.Property(x => x.Notes).HasMaxLength(2000);
        });
        s.Navigation(x => x.Contraindications).HasField("_contraindications");
    }
}
