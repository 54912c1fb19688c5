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
    public DbSet<PatientNameWord> PatientNameWords => Set<PatientNameWord>();
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

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite stores DateTimeOffset as text it cannot compare or sort; store UTC ticks instead.
        if (IsSqlite)
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        // The domain's value objects are stored as the plain text or number they are, wherever they appear.
        configurationBuilder.Properties<ProductCode>().HaveConversion<ProductCodeConverter>().HaveMaxLength(ProductCode.MaxLength);
        configurationBuilder.Properties<DocumentNumber>().HaveConversion<DocumentNumberConverter>().HaveMaxLength(DocumentNumber.MaxLength);
        configurationBuilder.Properties<ConsentLanguage>().HaveConversion<ConsentLanguageConverter>().HaveMaxLength(ConsentLanguage.MaxLength);
        // MRNs compare by their characters on both databases, so a prefix search is a range over the unique index.
        var mrn = configurationBuilder.Properties<Mrn>().HaveConversion<MrnConverter>().HaveMaxLength(Mrn.MaxLength);
        if (!IsSqlite) mrn.UseCollation("Latin1_General_100_BIN2");
        configurationBuilder.Properties<PainScore>().HaveConversion<PainScoreConverter>();
        configurationBuilder.Properties<KlGrade>().HaveConversion<KlGradeConverter>();
    }

    internal sealed class ProductCodeConverter() : ValueConverter<ProductCode, string>(code => code.Value, value => ProductCode.Stored(value));

    internal sealed class DocumentNumberConverter() : ValueConverter<DocumentNumber, string>(number => number.Value, value => DocumentNumber.Stored(value));

    internal sealed class MrnConverter() : ValueConverter<Mrn, string>(mrn => mrn.Value, value => Mrn.Stored(value));

    internal sealed class PainScoreConverter() : ValueConverter<PainScore, int>(score => score.Value, value => PainScore.Of(value));

    internal sealed class ConsentLanguageConverter() : ValueConverter<ConsentLanguage, string>(language => language.Tag, tag => ConsentLanguage.Of(tag));

    internal sealed class KlGradeConverter() : ValueConverter<KlGrade, int>(grade => grade.Value, value => KlGrade.Of(value));

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Save with SaveChangesAsync: audit entries are chained inside the save's transaction.");

    /// <summary>
    /// Saves in a transaction of its own (unless the caller has one), so the audit interceptor reads the tail of
    /// the hash chain under the same lock that writes the change and its entries. Run through the provider's
    /// execution strategy, so SQL Server's retry on a transient fault repeats the whole transaction.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RenewVersions();
        if (Database.CurrentTransaction is not null) return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        var saved = await Database.CreateExecutionStrategy().ExecuteAsync(async cancellation =>
        {
            await using var transaction = await Database.BeginTransactionAsync(cancellation);
            var count = await base.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellation);
            await transaction.CommitAsync(cancellation);
            return count;
        }, cancellationToken);
        if (acceptAllChangesOnSuccess) ChangeTracker.AcceptAllChanges();
        return saved;
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
