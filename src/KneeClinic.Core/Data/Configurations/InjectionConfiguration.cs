using KneeClinic.Core.Cases;
using KneeClinic.Core.Procedures;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KneeClinic.Core.Data.Configurations;

internal sealed class InjectionConfiguration : IEntityTypeConfiguration<Injection>
{
    public void Configure(EntityTypeBuilder<Injection> b)
    {
        b.HasOne<Case>().WithOne(c => c.Injection).HasForeignKey<Injection>(i => i.CaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(i => i.CaseId).IsUnique();
        b.HasOne<CellProduct>().WithMany().HasForeignKey(i => i.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.Property(i => i.Knee).HasConversion<string>().HasMaxLength(8);
        b.Property(i => i.VolumeMl).HasPrecision(9, 2);
        b.Property(i => i.Approach).HasMaxLength(200);
        b.Property(i => i.ClinicianId).HasMaxLength(450);
        b.Property(i => i.ImmediateReaction).HasMaxLength(2000);
    }
}
