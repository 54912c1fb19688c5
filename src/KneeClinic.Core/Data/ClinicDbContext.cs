using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Procedures;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KneeClinic.Core.Data;

public sealed class ClinicDbContext(DbContextOptions<ClinicDbContext> options) : IdentityDbContext<ClinicUser>(options)
{
    public DbSet<Patient> Patients => Set<Patient>();
    public DbSet<Case> Cases => Set<Case>();
    public DbSet<ConsentTemplate> ConsentTemplates => Set<ConsentTemplate>();
    public DbSet<ConsentTemplateVersion> ConsentTemplateVersions => Set<ConsentTemplateVersion>();
    public DbSet<ConsentDocument> ConsentDocuments => Set<ConsentDocument>();
    public DbSet<CellProduct> CellProducts => Set<CellProduct>();
    public DbSet<Injection> Injections => Set<Injection>();
    public DbSet<FollowUpVisit> FollowUpVisits => Set<FollowUpVisit>();
    public DbSet<AdverseEvent> AdverseEvents => Set<AdverseEvent>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public bool IsSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ClinicDbContext).Assembly);
        foreach (var type in builder.Model.GetEntityTypes())
        {
            if (typeof(Aggregate).IsAssignableFrom(type.ClrType))
                type.FindProperty(nameof(Aggregate.Version))!.IsConcurrencyToken = true;
            // Our Guid ids are made in constructors. A key EF thinks it generates makes a new child found
            // through a navigation look like an existing row (an UPDATE of nothing) instead of an INSERT.
            if (type.FindPrimaryKey()?.Properties is [{ ClrType: var keyType } key] && keyType == typeof(Guid))
                key.ValueGenerated = Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never;
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        // SQLite stores DateTimeOffset as text it cannot compare or sort; store UTC ticks instead.
        if (IsSqlite)
            configuration.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RenewVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RenewVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// Gives every aggregate touched by this save a new version, including one whose change is
    /// only in an owned part (a medication added to a case's screening), so a concurrent save of
    /// the same aggregate fails its version check instead of silently overwriting.
    /// </summary>
    private void RenewVersions()
    {
        ChangeTracker.DetectChanges();
        var touched = ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Modified or EntityState.Added or EntityState.Deleted)
            .Select(RootOf)
            .OfType<EntityEntry>()
            .Where(e => e.Entity is Aggregate && e.State is EntityState.Modified or EntityState.Unchanged)
            .Distinct()
            .ToList();
        foreach (var root in touched)
            ((Aggregate)root.Entity).RenewVersion();
        ChangeTracker.DetectChanges();
    }

    private EntityEntry? RootOf(EntityEntry entry)
    {
        if (entry.Entity is IAggregatePart part)
            return ChangeTracker.Entries<Aggregate>().FirstOrDefault(e => e.Entity.Id == part.AggregateId);
        while (entry.Metadata.FindOwnership() is { } ownership)
        {
            var ownerKey = ownership.Properties.Select(p => entry.Property(p.Name).CurrentValue ?? entry.Property(p.Name).OriginalValue).ToArray();
            var owner = ChangeTracker.Entries().FirstOrDefault(e => e.Metadata == ownership.PrincipalEntityType &&
                ownership.PrincipalKey.Properties.Select(p => e.Property(p.Name).CurrentValue).SequenceEqual(ownerKey));
            if (owner is null) return null;
            entry = owner;
        }
        return entry;
    }
}
