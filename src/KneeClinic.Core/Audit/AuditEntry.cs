namespace KneeClinic.Core.Audit;

public enum AuditAction
{
    // Changes to data, written by AuditInterceptor for every row a save adds, changes or removes.
    Created,
    Updated,
    Deleted,

    // Events with no row change of their own, recorded by the app through AuditEntry.Event.
    Viewed,
    Downloaded,
    Exported,
    SignedIn,
    SignInFailed,
    LockedOut,
    SignedOut,
    TwoFactorEnabled,
    TwoFactorDisabled,
    PasswordReset,
    ChainVerified,
    /// <summary>An administrator revealed the patient data an entry holds, giving a reason (break-the-glass).</summary>
    Revealed,
}

/// <summary>
/// One change to one row, or one event (a page viewed, a file downloaded, a sign-in), written in the same
/// transaction as what it describes. Never updated or deleted: the database refuses both, and each entry
/// carries the hash of the one before it, so an edited or removed row breaks the chain where it was.
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry() { }

    /// <summary>An entry describing a row a save adds, changes or deletes; made by <see cref="AuditInterceptor"/> only.</summary>
    internal AuditEntry(string entity, string entityId, AuditAction action, string? oldValues, string? newValues)
    {
        DescribesRowChange = true;
        Entity = entity;
        EntityId = entityId;
        Action = action;
        OldValues = oldValues;
        NewValues = newValues;
    }

    /// <summary>
    /// An event about a record, stamped with the time, the user and the client address by
    /// <see cref="AuditInterceptor"/> when it is saved. <paramref name="userId"/> and <paramref name="userName"/>
    /// name the person when the request is not yet theirs (a sign-in); <paramref name="details"/> is a JSON object.
    /// </summary>
    public static AuditEntry Event(AuditAction action, string entity, string entityId, Guid? patientId = null,
        string? details = null, string? userId = null, string? userName = null) =>
        new() { Action = action, Entity = entity, EntityId = entityId, PatientId = patientId, NewValues = details, UserId = userId, UserName = userName };

    public long Id { get; private set; }

    /// <summary>The entry's place in the chain: 1, 2, 3 ... with no gaps. Unique.</summary>
    public long Sequence { get; private set; }

    public DateTimeOffset At { get; private set; }
    public string? UserId { get; private set; }
    public string? UserName { get; private set; }

    /// <summary>The address of the client whose request made the change; null for the app itself.</summary>
    public string? ClientAddress { get; private set; }

    public string Entity { get; private set; } = "";
    public string EntityId { get; private set; } = "";
    public AuditAction Action { get; private set; }

    /// <summary>The patient the row or event is about, so a patient's whole trail can be found; null for staff and templates.</summary>
    public Guid? PatientId { get; private set; }

    /// <summary>JSON object of the changed properties before the change (null when created).</summary>
    public string? OldValues { get; private set; }

    /// <summary>JSON object of the changed properties after the change (null when deleted), or an event's details.</summary>
    public string? NewValues { get; private set; }

    /// <summary>The <see cref="Hash"/> of the entry before this one; null for the first entry.</summary>
    public string? PreviousHash { get; private set; }

    /// <summary>
    /// HMAC-SHA256 (hex), under the chain key <see cref="KeyId"/>, of this entry's fields and <see cref="PreviousHash"/>.
    /// Entries from before the keyed chain hold plain SHA-256 and no key id, and the oldest no hash at all.
    /// </summary>
    public string? Hash { get; private set; }

    /// <summary>The id of the chain key <see cref="Hash"/> was made with (the key itself is never in the database).</summary>
    public string? KeyId { get; private set; }

    /// <summary>Made from a row change by the interceptor (not stored): a save that is tried again makes these afresh.</summary>
    internal bool DescribesRowChange { get; }

    /// <summary>
    /// Takes the user and the client address from <paramref name="actor"/> now, for an event saved later elsewhere (the
    /// group commit of page views runs off the request); an event that already names its user keeps it.
    /// </summary>
    public AuditEntry CaptureActor(IAuditActor actor)
    {
        if (UserId is null && UserName is null)
        {
            UserId = actor.UserId;
            UserName = actor.UserName;
        }
        ClientAddress ??= actor.ClientAddress;
        return this;
    }

    /// <summary>A fresh, unsaved copy of an event (who, what, where, details), to write again after a save that failed.</summary>
    public AuditEntry Unsaved() => new()
    {
        Action = Action,
        Entity = Entity,
        EntityId = EntityId,
        PatientId = PatientId,
        OldValues = OldValues,
        NewValues = NewValues,
        UserId = UserId,
        UserName = UserName,
        ClientAddress = ClientAddress,
    };

    internal void Stamp(DateTimeOffset at, IAuditActor actor, Guid? patientId)
    {
        At = at;
        if (UserId is null && UserName is null)
        {
            UserId = actor.UserId;
            UserName = actor.UserName;
        }
        ClientAddress ??= actor.ClientAddress;
        PatientId ??= patientId;
    }

    internal void Seal(long sequence, string? previousHash, AuditKeyRing keys)
    {
        Sequence = sequence;
        PreviousHash = previousHash;
        KeyId = keys.CurrentKeyId;
        Hash = AuditChain.HashOf(this, keys.Current);
    }
}

/// <summary>Who is making the current change; the web app supplies the signed-in user.</summary>
public interface IAuditActor
{
    string? UserId { get; }
    string? UserName { get; }
    string? ClientAddress => null;
}

/// <summary>Changes made by the application itself: start-up seeding, command-line tools.</summary>
public sealed class SystemActor : IAuditActor
{
    public string? UserId => null;
    public string? UserName => "system";
}
