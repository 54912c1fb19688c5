using System.Text.Json;
using System.Text.Json.Serialization;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Patients;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KneeClinic.Core.Audit;

/// <summary>
/// Adds an <see cref="AuditEntry"/> for every created, updated or deleted row to the same SaveChanges, stamps
/// every new entry (these and the events the app adds) with the time, the user and the client address, and
/// links them into the hash chain, keyed with the ring's current key. <see cref="Data.ClinicDbContext"/> saves inside a transaction, so the change
/// and its entries commit or roll back together, and the chain's tail is read under that transaction's lock.
/// </summary>
public sealed class AuditInterceptor(IAuditActor actor, TimeProvider clock, AuditKeyRing keys) : SaveChangesInterceptor
{
    // Secrets and bookkeeping that must never be copied into the audit trail.
    private static readonly HashSet<string> Redacted = ["PasswordHash", "SecurityStamp", "Value"];
    // (A patient's search name, and its words in PatientNameWord, are their name again without accents: nothing the trail
    // does not already hold.)
    private static readonly HashSet<string> Skipped = ["ConcurrencyStamp", nameof(Aggregate.Version), nameof(Patients.Patient.SearchName), nameof(Patients.Patient.PhoneSearch)];

    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        eventData.Context is { } context && OnlyKeyRing(context.ChangeTracker.Entries())
            ? result
            : throw new NotSupportedException("Save with SaveChangesAsync: audit entries are chained inside the save's transaction.");

    /// <summary>
    /// Data-protection keys (the XML of the keys that sign cookies and antiforgery tokens) are secrets: they are never
    /// written to the trail, not even redacted, since a row per key says nothing about a patient or a user's work.
    /// </summary>
    public static bool IsKeyRing(EntityEntry entry) => entry.Entity is DataProtectionKey;

    /// <summary>True when every pending change is to the key ring: the one kind of save with nothing to audit.</summary>
    public static bool OnlyKeyRing(IEnumerable<EntityEntry> entries) =>
        entries.Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).All(IsKeyRing);

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context) await AddEntriesAsync(context, cancellationToken);
        return result;
    }

    private async Task AddEntriesAsync(DbContext context, CancellationToken cancellationToken)
    {
        context.ChangeTracker.DetectChanges();
        foreach (var stale in context.ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added && e.Entity.DescribesRowChange).ToList())
            stale.State = EntityState.Detached;

        var at = AuditChain.Truncate(clock.GetUtcNow());
        var patients = new PatientLookup(context);
        foreach (var entry in context.ChangeTracker.Entries()
                     .Where(e => e.Entity is not (AuditEntry or Patients.PatientNameWord or Research.StudyCode) && !IsKeyRing(e) && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
                     .ToList())
        {
            if (Describe(entry) is not { } audit) continue;
            audit.Stamp(at, actor, await patients.OfAsync(entry, cancellationToken));
            context.Add(audit);
        }

        var pending = context.ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (pending.Count == 0) return;
        if (context.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Audit entries are chained only inside a transaction; save through ClinicDbContext.SaveChangesAsync.");
        await AuditChain.SealAsync(context, pending, at, actor, keys, cancellationToken);
    }

    private static AuditEntry? Describe(EntityEntry entry)
    {
        var properties = entry.Properties.Where(p => !Skipped.Contains(p.Metadata.Name)).ToList();
        Dictionary<string, object?>? before = null, after = null;
        AuditAction action;
        switch (entry.State)
        {
            case EntityState.Added:
                action = AuditAction.Created;
                after = properties.ToDictionary(p => p.Metadata.Name, p => Show(p.Metadata, p.CurrentValue));
                break;
            case EntityState.Deleted:
                action = AuditAction.Deleted;
                before = properties.ToDictionary(p => p.Metadata.Name, p => Show(p.Metadata, p.OriginalValue));
                break;
            default:
                action = AuditAction.Updated;
                var changed = properties.Where(p => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue)).ToList();
                if (changed.Count == 0) return null;
                before = changed.ToDictionary(p => p.Metadata.Name, p => Show(p.Metadata, p.OriginalValue));
                after = changed.ToDictionary(p => p.Metadata.Name, p => Show(p.Metadata, p.CurrentValue));
                break;
        }

        var key = entry.Metadata.FindPrimaryKey()!.Properties
            .Select(p => Convert.ToString(entry.Property(p.Name).CurrentValue, System.Globalization.CultureInfo.InvariantCulture));
        return new AuditEntry(EntityName(entry), string.Join("/", key), action,
            before is null ? null : JsonSerializer.Serialize(before, Json),
            after is null ? null : JsonSerializer.Serialize(after, Json));
    }

    private static string EntityName(EntityEntry entry) => EntityName(entry.Metadata);

    // Identity's join rows have generic CLR names; the trail names them for what they are.
    private static string EntityName(Microsoft.EntityFrameworkCore.Metadata.IReadOnlyEntityType type) => type.ClrType switch
    {
        var t when typeof(IdentityUserRole<string>).IsAssignableFrom(t) => "UserRole",
        var t when typeof(IdentityUserToken<string>).IsAssignableFrom(t) => "UserToken",
        var t when typeof(IdentityUserClaim<string>).IsAssignableFrom(t) => "UserClaim",
        var t when typeof(IdentityUserLogin<string>).IsAssignableFrom(t) => "UserLogin",
        var t when typeof(IdentityRoleClaim<string>).IsAssignableFrom(t) => "RoleClaim",
        _ => type.DisplayName(),
    };

    /// <summary>The record names this model's changes are written under in the trail (events add their own, such as "Account").</summary>
    public static IEnumerable<string> RecordNames(Microsoft.EntityFrameworkCore.Metadata.IModel model) => model.GetEntityTypes()
        .Where(t => !typeof(AuditEntry).IsAssignableFrom(t.ClrType) && !typeof(Patients.PatientNameWord).IsAssignableFrom(t.ClrType)
            && !typeof(Research.StudyCode).IsAssignableFrom(t.ClrType)
            && !typeof(DataProtectionKey).IsAssignableFrom(t.ClrType))
        .Select(EntityName);

    private static object? Show(Microsoft.EntityFrameworkCore.Metadata.IProperty property, object? value) => value switch
    {
        null => null,
        _ when Redacted.Contains(property.Name) => "[redacted]",
        byte[] bytes => $"[{bytes.Length} bytes]",
        // A value object of the domain (product code, document number, pain score, KL grade) is recorded as it is stored.
        not Enum when property.GetValueConverter() is { } converter && converter.ModelClrType.Namespace?.StartsWith("KneeClinic.", StringComparison.Ordinal) == true
            => converter.ConvertToProvider(value),
        _ => value,
    };

    /// <summary>The patient a changed row is about: the patient itself, or the patient of the case it belongs to.</summary>
    private sealed class PatientLookup(DbContext context)
    {
        private readonly Dictionary<Guid, Guid?> _caseToPatient = [];
        private Dictionary<Guid, Guid>? _tracked;

        public async Task<Guid?> OfAsync(EntityEntry entry, CancellationToken cancellationToken)
        {
            if (entry.Entity is Patient patient) return patient.Id;
            if (entry.Entity is Case @case) return @case.PatientId;
            if (entry.Metadata.FindProperty("CaseId") is null) return null;
            var value = entry.Property("CaseId").CurrentValue ?? entry.Property("CaseId").OriginalValue;
            if (value is not Guid caseId) return null;
            if (_caseToPatient.TryGetValue(caseId, out var known)) return known;
            // The tracked cases are read once: asking the change tracker for each row's case scanned (and detected
            // changes over) every tracked entity again, which made a save of n rows cost n^2.
            _tracked ??= context.ChangeTracker.Entries<Case>().DistinctBy(e => e.Entity.Id).ToDictionary(e => e.Entity.Id, e => e.Entity.PatientId);
            var found = (_tracked.TryGetValue(caseId, out var patientId) ? patientId : (Guid?)null)
                ?? await context.Set<Case>().AsNoTracking().Where(c => c.Id == caseId).Select(c => (Guid?)c.PatientId).FirstOrDefaultAsync(cancellationToken);
            return _caseToPatient[caseId] = found;
        }
    }
}
