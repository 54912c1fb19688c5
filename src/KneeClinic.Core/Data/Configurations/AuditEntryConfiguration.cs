using KneeClinic.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KneeClinic.Core.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(e => e.UserId).HasMaxLength(450);
        b.Property(e => e.UserName).HasMaxLength(256);
        b.Property(e => e.Entity).HasMaxLength(200);
        b.Property(e => e.EntityId).HasMaxLength(200);
        b.Property(e => e.Action).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(e => new { e.Entity, e.EntityId });
        b.HasIndex(e => e.At);
        b.HasIndex(e => e.UserId);
    }
}
