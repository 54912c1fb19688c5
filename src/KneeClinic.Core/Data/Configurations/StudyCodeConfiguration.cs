using KneeClinic.Core.Cases;
using KneeClinic.Core.Research;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KneeClinic.Core.Data.Configurations;

internal sealed class StudyCodeConfiguration : IEntityTypeConfiguration<StudyCode>
{
    public void Configure(EntityTypeBuilder<StudyCode> b)
    {
        b.HasKey(s => s.CaseId);
        b.HasOne<Case>().WithOne().HasForeignKey<StudyCode>(s => s.CaseId).OnDelete(DeleteBehavior.Restrict);
        b.Property(s => s.Code).HasMaxLength(StudyCode.Length);
        b.HasIndex(s => s.Code).IsUnique();
    }
}
