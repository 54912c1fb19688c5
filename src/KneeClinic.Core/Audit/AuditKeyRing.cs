using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace KneeClinic.Core.Audit;

/// <summary>
/// The keys that sign the audit trail (HMAC-SHA256), held outside the database: whoever can write the database but
/// not read these keys cannot make an entry or a signed head that verifies. Each entry names the key it was signed
/// with, so a new key can take over (<see cref="CurrentKeyId"/>) while the old ones still check the entries they signed.
/// </summary>
public sealed partial class AuditKeyRing
{
    /// <summary>The shortest key accepted, in bytes (HMAC-SHA256 gains nothing past 64).</summary>
    public const int MinimumKeyBytes = 32;

    private readonly Dictionary<string, byte[]> _keys;

    public AuditKeyRing(string currentKeyId, IReadOnlyDictionary<string, byte[]> keys)
    {
        _keys = keys.ToDictionary(k => k.Key, k => k.Value.ToArray(), StringComparer.Ordinal);
        foreach (var (id, key) in _keys)
        {
            if (!IsKeyId(id)) throw new ArgumentException($"'{id}' is not a usable key id: 1 to 32 letters, digits, '.', '_' or '-'.", nameof(keys));
            if (key.Length < MinimumKeyBytes) throw new ArgumentException($"The audit chain key '{id}' is {key.Length} bytes; it needs {MinimumKeyBytes} or more.", nameof(keys));
        }
        Current = _keys.TryGetValue(currentKeyId, out var current) ? current
            : throw new ArgumentException($"The current audit chain key '{currentKeyId}' is not among the keys.", nameof(currentKeyId));
        CurrentKeyId = currentKeyId;
    }

    /// <summary>The key new entries and heads are signed with.</summary>
    public string CurrentKeyId { get; }

    internal byte[] Current { get; }

    public IEnumerable<string> KeyIds => _keys.Keys;

    /// <summary>The key with this id, or null when it is not configured.</summary>
    internal byte[]? Find(string keyId) => _keys.GetValueOrDefault(keyId);

    /// <summary>A new random key of 32 bytes.</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(MinimumKeyBytes);

    public static bool IsKeyId(string id) => KeyIdPattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,32}$")]
    private static partial Regex KeyIdPattern();
}
