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
        b.Property(e => e.KeyId).HasMaxLength(32).IsUnicode(false);
        // One entry per place in the chain: two saves that somehow read the same tail cannot both commit.
        b.HasIndex(e => e.Sequence).IsUnique();
        b.HasIndex(e => new { e.Entity, e.EntityId });
        b.HasIndex(e => e.At);
        // The viewer's filters, each with the list's order (newest sequence first) so a page is a seek in one index.
        b.HasIndex(e => new { e.UserId, e.Sequence });
        b.HasIndex(e => new { e.PatientId, e.Sequence });
        b.HasIndex(e => new { e.Entity, e.Sequence });
        b.HasIndex(e => new { e.Action, e.Sequence });
        // The migrations of both providers create these triggers: the database refuses UPDATE and DELETE here.
        b.ToTable(t =>
        {
            t.HasTrigger(AppendOnlyUpdateTrigger);
            t.HasTrigger(AppendOnlyDeleteTrigger);
        });
    }
}
