using KneeClinic.Core.Audit;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// The "Audit" settings: the keys that sign the audit trail and where its signed heads are written. Both are kept
/// outside the database, so that write access to the database is not enough to rewrite the trail unseen.
/// </summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>The file the app makes, outside Production, when no key is configured: in the data folder, 0600.</summary>
    public const string GeneratedKeyFile = "audit-chain.key";

    /// <summary>Keys by id (Audit:ChainKeys:&lt;id&gt; = the key in base64, 32 bytes or more).</summary>
    public Dictionary<string, string> ChainKeys { get; set; } = [];

    /// <summary>
    /// A file of keys, one a line: the id, a space, the key in base64 ('#' starts a comment). Unless
    /// <see cref="CurrentKeyId"/> says otherwise, its last key signs new entries.
    /// </summary>
    public string ChainKeyFile { get; set; } = "";

    /// <summary>The key that signs new entries and heads; may be left empty when only one key is configured.</summary>
    public string CurrentKeyId { get; set; } = "";

    /// <summary>The folder of the heads file; empty: "audit-heads" beside the data folder.</summary>
    public string HeadsFolder { get; set; } = "";

    /// <summary>A signed head is written at start and then this often (and whenever an administrator asks).</summary>
    public TimeSpan HeadInterval { get; set; } = TimeSpan.FromDays(1);

    public bool HasConfiguredKeys => ChainKeys.Count > 0 || !string.IsNullOrWhiteSpace(ChainKeyFile);

    /// <summary>
    /// The configured key ring; outside Production, with no key configured, one made at first start in the data folder
    /// (so a developer's <c>dotnet run</c> needs no setup). Throws with a message naming the setting when the keys are
    /// missing or unusable.
    /// </summary>
    public AuditKeyRing KeyRing(IHostEnvironment environment, string dataFolder)
    {
        if (Problem(environment.IsProduction()) is { } problem) throw new InvalidOperationException(problem);
        if (!HasConfiguredKeys)
            return new AuditOptions { ChainKeyFile = GeneratedKey(Path.Combine(dataFolder, GeneratedKeyFile)) }.Load() is { Ring: { } made } ? made
                : throw new InvalidOperationException($"The audit chain key file the app made in the data folder ({GeneratedKeyFile}) cannot be read. Keep it: entries signed with it can be checked only with it.");
        var (ring, error) = Load();
        return ring ?? throw new InvalidOperationException(error);
    }

    /// <summary>What is wrong with the settings, or null.</summary>
    public string? Problem(bool production)
    {
        if (HeadInterval < TimeSpan.FromMinutes(1) || HeadInterval > TimeSpan.FromDays(1))
            return "Audit:HeadInterval must be from 00:01:00 to 1.00:00:00: a signed head is written at least daily.";
        if (!HasConfiguredKeys)
            return production
                ? "Audit:ChainKeys:<id> (a key of 32 random bytes in base64, such as the output of `openssl rand -base64 32`) or Audit:ChainKeyFile must be set in Production. "
                    + "The key signs the audit trail and must be kept outside the database; see the README, \"Audit trail\"."
                : null;
        return Load().Error;
    }

    private (AuditKeyRing? Ring, string? Error) Load()
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, value) in ChainKeys)
        {
            if (Key(id, value, $"Audit:ChainKeys:{id}") is { Error: { } error }) return (null, error);
            keys[id] = Convert.FromBase64String(value.Trim());
        }
        var fileCurrent = "";
        if (!string.IsNullOrWhiteSpace(ChainKeyFile))
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(ChainKeyFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (null, $"Audit:ChainKeyFile '{ChainKeyFile}' cannot be read ({e.Message}).");
            }
            foreach (var (line, number) in lines.Select((l, i) => (l.Trim(), i + 1)).Where(l => l.Item1.Length > 0 && !l.Item1.StartsWith('#')))
            {
                var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length != 2) return (null, $"Audit:ChainKeyFile '{ChainKeyFile}', line {number}: write the key id, a space and the key in base64.");
                if (Key(parts[0], parts[1], $"Audit:ChainKeyFile line {number}") is { Error: { } error }) return (null, error);
                var key = Convert.FromBase64String(parts[1]);
                if (keys.TryGetValue(parts[0], out var other) && !other.AsSpan().SequenceEqual(key))
                    return (null, $"The audit chain key '{parts[0]}' is given twice with different values (Audit:ChainKeys and Audit:ChainKeyFile).");
                keys[parts[0]] = key;
                fileCurrent = parts[0];
            }
            if (fileCurrent.Length == 0) return (null, $"Audit:ChainKeyFile '{ChainKeyFile}' holds no key.");
        }
        var current = !string.IsNullOrWhiteSpace(CurrentKeyId) ? CurrentKeyId.Trim()
            : keys.Count == 1 ? keys.Keys.Single()
            : fileCurrent.Length > 0 ? fileCurrent
            : "";
        if (current.Length == 0)
            return (null, "Several audit chain keys are configured: set Audit:CurrentKeyId to the one that signs new entries (the others still check the entries they signed).");
        if (!keys.ContainsKey(current))
            return (null, $"Audit:CurrentKeyId '{current}' is not one of the configured keys ({string.Join(", ", keys.Keys.Order())}).");
        return (new AuditKeyRing(current, keys), null);
    }

    private static (byte[]? Key, string? Error) Key(string id, string value, string setting)
    {
        if (!AuditKeyRing.IsKeyId(id)) return (null, $"{setting}: the key id '{id}' may have 1 to 32 letters, digits, '.', '_' or '-'.");
        var buffer = new byte[value.Length];
        if (!Convert.TryFromBase64String(value.Trim(), buffer, out var length))
            return (null, $"{setting} is not base64. Make a key with `openssl rand -base64 32`.");
        return length < AuditKeyRing.MinimumKeyBytes
            ? (null, $"{setting} is {length} bytes; the audit chain key needs {AuditKeyRing.MinimumKeyBytes} or more. Make one with `openssl rand -base64 32`.")
            : (buffer[..length], null);
    }

    /// <summary>The key file made for a developer's machine: created 0600 with a new key once, read afterwards.</summary>
    private static string GeneratedKey(string file)
    {
        if (File.Exists(file)) return file;
        PrivateFiles.Folder(Path.GetDirectoryName(file)!);
        // Written whole under another name, then moved into place: another instance starting on the same data folder
        // reads either no file or the whole key, and the first one moved in is the key of both.
        var written = $"{file}.{Guid.NewGuid():N}";
        using (var writer = new StreamWriter(PrivateFiles.CreateNew(written)))
        {
            writer.WriteLine("# The key that signs this machine's audit trail, made by the app because none was configured.");
            writer.WriteLine("# Outside development set Audit:ChainKeys or Audit:ChainKeyFile instead (README, \"Audit trail\").");
            writer.WriteLine($"local {Convert.ToBase64String(AuditKeyRing.NewKey())}");
        }
        try
        {
            File.Move(written, file, overwrite: false);
        }
        catch (IOException) when (File.Exists(file))
        {
            File.Delete(written);
        }
        return file;
    }

    public sealed class Validator(IHostEnvironment environment) : Microsoft.Extensions.Options.IValidateOptions<AuditOptions>
    {
        public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, AuditOptions options) =>
            options.Problem(environment.IsProduction()) is { } problem
                ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail("The Audit settings are not valid: " + problem)
                : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
    }
}
