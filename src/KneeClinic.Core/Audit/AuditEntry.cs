namespace KneeClinic.Core.Audit;

public enum AuditAction
{
    Created,
    Updated,
    Deleted,
}

/// <summary>One change to one row, written in the same transaction as the change. Never updated.</summary>
public sealed class AuditEntry
{
    private AuditEntry() { }

    public AuditEntry(DateTimeOffset at, string? userId, string? userName, string entity, string entityId,
        AuditAction action, string? oldValues, string? newValues)
    {
        At = at;
        UserId = userId;
        UserName = userName;
        Entity = entity;
        EntityId = entityId;
        Action = action;
        OldValues = oldValues;
        NewValues = newValues;
    }

    public long Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string? UserId { get; private set; }
    public string? UserName { get; private set; }
    public string Entity { get; private set; } = "";
    public string EntityId { get; private set; } = "";
    public AuditAction Action { get; private set; }

    /// <summary>JSON object of the changed properties before the change (null when created).</summary>
    public string? OldValues { get; private set; }

    /// <summary>JSON object of the changed properties after the change (null when deleted).</summary>
    public string? NewValues { get; private set; }
}

/// <summary>Who is making the current change; the web app supplies the signed-in user.</summary>
public interface IAuditActor
{
    string? UserId { get; }
    string? UserName { get; }
}

/// <summary>Changes made by the application itself: start-up seeding, command-line tools.</summary>
public sealed class SystemActor : IAuditActor
{
    public string? UserId => null;
    public string? UserName => "system";
}
