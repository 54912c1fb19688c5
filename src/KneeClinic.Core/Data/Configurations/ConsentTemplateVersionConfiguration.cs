using KneeClinic.Core.Consent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KneeClinic.Core.Data.Configurations;

internal sealed class ConsentTemplateVersionConfiguration : IEntityTypeConfiguration<ConsentTemplateVersion>
{
    public void Configure(EntityTypeBuilder<ConsentTemplateVersion> b)
    {
        b.HasIndex(v => new { v.TemplateId, v.Version, v.Language }).IsUnique();
        b.Property(v => v.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(v => v.Body);
        b.Property(v => v.ReadingLevelReason).HasMaxLength(1000);
    }
}
