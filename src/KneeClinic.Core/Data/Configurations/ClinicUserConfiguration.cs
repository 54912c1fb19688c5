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
    }
}
