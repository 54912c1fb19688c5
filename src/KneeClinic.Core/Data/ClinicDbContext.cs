using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Procedures;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace KneeClinic.Core.Data;

public sealed class ClinicDbContext(DbContextOptions<ClinicDbContext> options) : IdentityDbContext<ClinicUser>(options), IDataProtectionKeyContext
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
    public DbSet<Research.StudyCode> StudyCodes => Set<Research.StudyCode>();

    /// <summary>
    /// The key ring that protects sign-in cookies, antiforgery tokens and TempData, shared by every instance of the app
    /// on this database. Key material: never copied into the audit trail (see <see cref="AuditInterceptor"/>).
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

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

    /// <summary>
    /// Only ASP.NET Core's key ring repository saves synchronously (IXmlRepository.StoreElement has no async form), and
    /// only new keys, which the audit trail does not record. Anything else is saved with <see cref="SaveChangesAsync"/>.
    /// </summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        ChangeTracker.DetectChanges();
        if (!AuditInterceptor.OnlyKeyRing(ChangeTracker.Entries()))
            throw new NotSupportedException("Save with SaveChangesAsync: audit entries are chained inside the save's transaction.");
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

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
        // One pass over the tracked entries, then look-ups: asking the change tracker for its entries again for each
        // changed row made a save of n rows cost n^2 (each call also detects changes over every tracked entity).
        var tracked = new Tracked(ChangeTracker.Entries().ToList());
        var touched = tracked.All
            .Where(e => e.State is EntityState.Modified or EntityState.Added or EntityState.Deleted)
            .Select(tracked.RootOf)
            .OfType<EntityEntry>()
            .Where(e => e.Entity is Aggregate && e.State is EntityState.Modified or EntityState.Unchanged)
            .Distinct()
            .ToList();
        foreach (var root in touched)
            ((Aggregate)root.Entity).RenewVersion();
        ChangeTracker.DetectChanges();
    }

    private sealed class Tracked(List<EntityEntry> all)
    {
        private Dictionary<Guid, EntityEntry>? _aggregates;
        private Dictionary<(Microsoft.EntityFrameworkCore.Metadata.IEntityType, string), EntityEntry>? _byKey;

        public List<EntityEntry> All => all;

        public EntityEntry? RootOf(EntityEntry entry)
        {
            if (entry.Entity is IAggregatePart part)
            {
                _aggregates ??= all.Where(e => e.Entity is Aggregate).DistinctBy(e => ((Aggregate)e.Entity).Id).ToDictionary(e => ((Aggregate)e.Entity).Id);
                return _aggregates.GetValueOrDefault(part.AggregateId);
            }
            while (entry.Metadata.FindOwnership() is { } ownership)
            {
                _byKey ??= all.Where(e => e.Metadata.FindPrimaryKey() is not null)
                    .DistinctBy(e => (e.Metadata, Key(e.Metadata.FindPrimaryKey()!.Properties.Select(p => e.Property(p.Name).CurrentValue))))
                    .ToDictionary(e => (e.Metadata, Key(e.Metadata.FindPrimaryKey()!.Properties.Select(p => e.Property(p.Name).CurrentValue))));
                var ownerKey = Key(ownership.Properties.Select(p => entry.Property(p.Name).CurrentValue ?? entry.Property(p.Name).OriginalValue));
                // The foreign key of an ownership always points at the owner's primary key.
                if (!_byKey.TryGetValue((ownership.PrincipalEntityType, ownerKey), out var owner)) return null;
                entry = owner;
            }
            return entry;
        }

        private static string Key(IEnumerable<object?> values) =>
            string.Join("\u001f", values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
