using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace KneeClinic.Core.Audit;

/// <summary>
/// Adds an <see cref="AuditEntry"/> for every created, updated or deleted row to the same
/// SaveChanges, so the change and its audit entry commit or roll back together.
/// </summary>
public sealed class AuditInterceptor(IAuditActor actor, TimeProvider clock) : SaveChangesInterceptor
{
    // Secrets and bookkeeping that must never be copied into the audit trail.
    private static readonly HashSet<string> Redacted = ["PasswordHash", "SecurityStamp", "Value"];
    private static readonly HashSet<string> Skipped = ["ConcurrencyStamp", nameof(Aggregate.Version)];

    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context) AddEntries(context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context) AddEntries(context);
        return ValueTask.FromResult(result);
    }

    private void AddEntries(DbContext context)
    {
        context.ChangeTracker.DetectChanges();
        var at = clock.GetUtcNow();
        var entries = context.ChangeTracker.Entries()
            .Where(e => e.Entity is not AuditEntry && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => Describe(e, at))
            .OfType<AuditEntry>()
            .ToList();
        context.AddRange(entries);
    }

    private AuditEntry? Describe(EntityEntry entry, DateTimeOffset at)
    {
        var properties = entry.Properties.Where(p => !Skipped.Contains(p.Metadata.Name)).ToList();
        Dictionary<string, object?>? before = null, after = null;
        AuditAction action;
        switch (entry.State)
        {
            case EntityState.Added:
                action = AuditAction.Created;
                after = properties.ToDictionary(p => p.Metadata.Name, p => Show(p.Metadata.Name, p.CurrentValue));
                break;
            case EntityState.Deleted:
                action = AuditAction.Deleted;
                before = properties.ToDictionary(p => p.Metadata.Name, p => Show(p.Metadata.Name, p.OriginalValue));
                break;
            default:
                action = AuditAction.Updated;
                var changed = properties.Where(p => p.IsModified && !Equals(p.OriginalValue, p.CurrentValue)).ToList();
                if (changed.Count == 0) return null;
                before = changed.ToDictionary(p => p.Metadata.Name, p => Show(p.Metadata.Name, p.OriginalValue));
                after = changed.ToDictionary(p => p.Metadata.Name, p => Show(p.Metadata.Name, p.CurrentValue));
                break;
        }

        var key = entry.Metadata.FindPrimaryKey()!.Properties
            .Select(p => Convert.ToString(entry.Property(p.Name).CurrentValue, System.Globalization.CultureInfo.InvariantCulture));
        return new AuditEntry(at, actor.UserId, actor.UserName, entry.Metadata.DisplayName(), string.Join("/", key), action,
            before is null ? null : JsonSerializer.Serialize(before, Json),
            after is null ? null : JsonSerializer.Serialize(after, Json));
    }

    private static object? Show(string name, object? value) => value switch
    {
        null => null,
        _ when Redacted.Contains(name) => "[redacted]",
        byte[] bytes => $"[{bytes.Length} bytes]",
        _ => value,
    };
}
