using KneeClinic.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KneeClinic.Core.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public const string AppendOnlyUpdateTrigger = "AuditEntries_RefuseUpdate";
    public const string AppendOnlyDeleteTrigger = "AuditEntries_RefuseDelete";

    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(e => e.UserId).HasMaxLength(450);
        b.Property(e => e.UserName).HasMaxLength(256);
        b.Property(e => e.Entity).HasMaxLength(200);
        b.Property(e => e.EntityId).HasMaxLength(200);
        b.Property(e => e.Action).HasConversion<string>().HasMaxLength(24);
        b.Property(e => e.ClientAddress).HasMaxLength(64);
        b.Property(e => e.PreviousHash).HasMaxLength(64).IsUnicode(false);
        b.Property(e => e.Hash).HasMaxLength(64).IsUnicode(false);
        // One entry per place in the chain: two saves that somehow read the same tail cannot both commit.
        b.HasIndex(e => e.Sequence).IsUnique();
        b.HasIndex(e => new { e.Entity, e.EntityId });
        b.HasIndex(e => e.At);
        b.HasIndex(e => e.UserId);
        b.HasIndex(e => e.PatientId);
        // The migrations of both providers create these triggers: the database refuses UPDATE and DELETE here.
        b.ToTable(t =>
        {
            t.HasTrigger(AppendOnlyUpdateTrigger);
            t.HasTrigger(AppendOnlyDeleteTrigger);
        });
    }
}
