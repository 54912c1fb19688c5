using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KneeClinic.Core.Data.Configurations;

internal sealed class ConsentDocumentConfiguration : IEntityTypeConfiguration<ConsentDocument>
{
    public void Configure(EntityTypeBuilder<ConsentDocument> b)
    {
        b.HasOne<Case>().WithMany(c => c.ConsentDocuments).HasForeignKey(d => d.CaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<ConsentTemplateVersion>().WithMany().HasForeignKey(d => d.TemplateVersionId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(d => d.DocumentNumber).IsUnique();
        b.Property(d => d.Sha256).HasMaxLength(64).IsFixedLength();
        b.Property(d => d.ContentHash).HasMaxLength(64);
        b.HasIndex(d => new { d.CaseId, d.Status });
        // The consent records list: newest first (then id, to be unique), on its own or after a status or a template
        // version, so a page is a seek in one index.
        b.HasIndex(d => new { d.GeneratedAt, d.Id });
        b.HasIndex(d => new { d.Status, d.GeneratedAt, d.Id });
        b.HasIndex(d => new { d.TemplateVersionId, d.GeneratedAt, d.Id });
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(d => d.WithdrawalReason).HasMaxLength(2000);
        b.Property(d => d.VoidReason).HasMaxLength(2000);
        b.Property(d => d.Route).HasConversion<string>().HasMaxLength(16);
        b.HasOne<ConsentTemplateVersion>().WithMany().HasForeignKey(d => d.ShortFormVersionId).OnDelete(DeleteBehavior.Restrict);
        b.Property(d => d.ShortFormSha256).HasMaxLength(64).IsFixedLength();
        b.OwnsOne(d => d.Signature, s =>
        {
            s.ToTable("ConsentSignatures");
            s.Property(x => x.WitnessName).HasMaxLength(200);
            s.Property(x => x.InterpreterName).HasMaxLength(200);
            s.Property(x => x.InterpreterLanguage).HasMaxLength(64);
            s.Property(x => x.RepresentativeName).HasMaxLength(200);
            s.Property(x => x.RepresentativeRelationship).HasMaxLength(100);
            s.Property(x => x.RepresentativeAuthority).HasMaxLength(200);
            s.Property(x => x.ScanFileName).HasMaxLength(100);
            s.Property(x => x.ScanContentType).HasMaxLength(64);
            s.Property(x => x.ScanSha256).HasMaxLength(64).IsFixedLength();
        });
    }
}
