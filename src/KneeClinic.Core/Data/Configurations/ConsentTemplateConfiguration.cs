using KneeClinic.Core.Consent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KneeClinic.Core.Data.Configurations;

internal sealed class ConsentTemplateConfiguration : IEntityTypeConfiguration<ConsentTemplate>
{
    public void Configure(EntityTypeBuilder<ConsentTemplate> b)
    {
        b.Property(t => t.Code).HasMaxLength(64);
        b.HasIndex(t => t.Code).IsUnique();
        b.Property(t => t.Title).HasMaxLength(200);
        b.Property(t => t.CellSource).HasConversion<string>().HasMaxLength(24);
        b.Property(t => t.Kind).HasConversion<string>().HasMaxLength(16);
        // A case's form is chosen by its cell source, so there is exactly one template for each (the short form has none).
        b.HasIndex(t => t.CellSource).IsUnique();
        b.HasMany(t => t.Versions).WithOne().HasForeignKey(v => v.TemplateId).OnDelete(DeleteBehavior.Restrict);
        b.Navigation(t => t.Versions).HasField("_versions");
    }
}
