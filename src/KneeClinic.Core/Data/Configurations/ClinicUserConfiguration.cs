using KneeClinic.Core.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace KneeClinic.Core.Data.Configurations;

internal sealed class ClinicUserConfiguration : IEntityTypeConfiguration<ClinicUser>
{
    public void Configure(EntityTypeBuilder<ClinicUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(100);
        b.Ignore(u => u.IsDisabled);
        // The staff list's order, made unique by the id, for seek paging.
        b.HasIndex(u => new { u.DisplayName, u.Id });
    }
}
