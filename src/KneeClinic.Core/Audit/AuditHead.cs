using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KneeClinic.Core.Audit;

/// <summary>
/// A signed head: the trail's last entry (its sequence number and hash) at a moment, signed with the chain key and
/// written outside the database. A later check that finds fewer entries, or another hash at that number, shows that
/// entries were cut off the end or replaced, which the chain alone cannot show.
/// </summary>
/// <param name="Sequence">The last entry's sequence number then (0: the trail was empty).</param>
/// <param name="Hash">That entry's hash (null when the trail was empty or the entry had none).</param>
/// <param name="At">When the head was written (UTC, to the millisecond).</param>
/// <param name="KeyId">The key that signed it.</param>
/// <param name="LegacyThrough">
/// Entries 1 to this number were written before the keyed chain began (a database from an earlier version) and are
/// checked by the old rules; every entry after it must carry a keyed hash. 0 for a trail keyed from its first entry.
/// </param>
/// <param name="Signature">HMAC-SHA256 (hex) of the fields above under the key <paramref name="KeyId"/>.</param>
public sealed record AuditHead(long Sequence, string? Hash, DateTimeOffset At, string KeyId, long LegacyThrough, string Signature)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>A head of the trail as it is now, signed with the ring's current key.</summary>
    public static AuditHead Sign(AuditKeyRing keys, long sequence, string? hash, DateTimeOffset at, long legacyThrough)
    {
        at = AuditChain.Truncate(at);
        return new AuditHead(sequence, hash, at, keys.CurrentKeyId, legacyThrough,
            SignatureOf(keys.Current, sequence, hash, at, keys.CurrentKeyId, legacyThrough));
    }

    /// <summary>The head as one line of the heads file (JSON, no line break).</summary>
    public string ToLine() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// Reads one line of the heads file. A line that cannot be read, names a key the ring does not hold or whose
    /// signature does not match is returned with what is wrong, and with the head it claims when it could be read.
    /// </summary>
    public static HeadLine Read(int number, string line, AuditKeyRing keys)
    {
        AuditHead? head;
        try
        {
            head = JsonSerializer.Deserialize<AuditHead>(line, Json);
        }
        catch (JsonException)
        {
            head = null;
        }
        if (head is null || head.KeyId is null || head.Signature is null || head.Sequence < 0 || head.LegacyThrough < 0)
            return new HeadLine(number, null, $"Line {number} of the heads file cannot be read as a signed head: it was damaged or written by something other than the app.");
        if (keys.Find(head.KeyId) is not { } key)
            return new HeadLine(number, head, $"Line {number} of the heads file (entry {head.Sequence}, {head.At:yyyy-MM-dd HH:mm} UTC) is signed with key '{head.KeyId}', which is not configured: it cannot be checked. Add that key to Audit:ChainKeys, or the line was not written by the app.");
        var expected = SignatureOf(key, head.Sequence, head.Hash, head.At, head.KeyId, head.LegacyThrough);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(head.Signature))
            ? new HeadLine(number, head, null)
            : new HeadLine(number, head, $"Line {number} of the heads file (entry {head.Sequence}, {head.At:yyyy-MM-dd HH:mm} UTC) does not carry a valid signature: it was forged or changed after it was written.");
    }

    // A prefix of its own keeps a head's signature from ever being taken for an entry's hash, or the reverse.
    private static string SignatureOf(byte[] key, long sequence, string? hash, DateTimeOffset at, string keyId, long legacyThrough) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(string.Join('\n',
            "KneeClinic audit head 1", sequence.ToString(CultureInfo.InvariantCulture), hash ?? "",
            at.UtcTicks.ToString(CultureInfo.InvariantCulture), keyId, legacyThrough.ToString(CultureInfo.InvariantCulture)))));
}

/// <summary>One line of the heads file: the head it holds (when readable) and, when it is not a valid head, why.</summary>
public sealed record HeadLine(int Number, AuditHead? Head, string? Problem)
{
    public bool Valid => Problem is null;
}
