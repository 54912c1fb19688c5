using KneeClinic.Core.Cases;
using KneeClinic.Core.Procedures;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KneeClinic.Core.Data.Configurations;

internal sealed class CellProductConfiguration : IEntityTypeConfiguration<CellProduct>
{
    public void Configure(EntityTypeBuilder<CellProduct> b)
    {
        b.HasOne<Case>().WithMany(c => c.Products).HasForeignKey(p => p.CaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(p => p.ProductCode).IsUnique();
        b.Property(p => p.Source).HasConversion<string>().HasMaxLength(24);
        b.Ignore(p => p.IsReleased);
        b.Ignore(p => p.IsRejected);
        b.Ignore(p => p.ObtainedAt);
        b.Property(p => p.DiscardedById).HasMaxLength(450);
        b.Property(p => p.DiscardReason).HasMaxLength(2000);
        b.Property(p => p.TimeOutById).HasMaxLength(450);
        b.OwnsOne(p => p.Harvest, h =>
        {
            h.ToTable("Harvests");
            h.Property(x => x.Site).HasMaxLength(200);
            h.Property(x => x.Anaesthesia).HasMaxLength(200);
            h.Property(x => x.AnticoagulantLot).HasMaxLength(64);
            h.Property(x => x.OperatorId).HasMaxLength(450);
            h.Property(x => x.Complications).HasMaxLength(2000);
            h.Property(x => x.VolumeMl).HasPrecision(9, 2);
        });
        b.OwnsOne(p => p.Receipt, r =>
        {
            r.ToTable("ProductReceipts");
            r.Property(x => x.Supplier).HasMaxLength(200);
            r.Property(x => x.Lot).HasMaxLength(64);
            r.Property(x => x.DonorEligibilityReference).HasMaxLength(128);
            r.Property(x => x.ReceivedById).HasMaxLength(450);
            r.Property(x => x.Storage).HasMaxLength(200);
        });
        b.OwnsOne(p => p.Processing, x =>
        {
            x.ToTable("ProcessingRecords");
            x.Property(y => y.Method).HasMaxLength(200);
            x.Property(y => y.Device).HasMaxLength(200);
            x.Property(y => y.KitLot).HasMaxLength(64);
            x.Property(y => y.OperatorId).HasMaxLength(450);
            x.Property(y => y.VerifierId).HasMaxLength(450);
            x.Property(y => y.Release).HasConversion<string>().HasMaxLength(16);
            x.Property(y => y.OutputVolumeMl).HasPrecision(9, 2);
            x.Property(y => y.TotalNucleatedCells).HasPrecision(20, 0);
            x.Property(y => y.ViabilityPercent).HasPrecision(5, 2);
            x.Property(y => y.ReleaseNote).HasMaxLength(2000);
        });
    }
}
