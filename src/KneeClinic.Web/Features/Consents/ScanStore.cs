using System.Security.Cryptography;
using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.DataProtection;

namespace KneeClinic.Web.Features.Consents;

public sealed record StoredScan(string FileName, string ContentType, string Sha256);

/// <summary>
/// Keeps scans of signed consent forms in the data folder under names the server chooses. The type is
/// decided by the file's first bytes (PDF, PNG or JPEG), never by its name or the browser's claim.
/// <para>
/// A scan is patient data, so it is stored encrypted with a key of the app's data-protection key ring (kept in the
/// database, itself encrypted with a certificate where one is configured) and decrypted only when served: a copy of
/// the data folder alone, or of a backup of it, shows nothing. Its hash is the hash of the scan itself, as signed.
/// Scans stored before encryption (they start with their own type's bytes) are still served as they are.
/// </para>
/// </summary>
public sealed class ScanStore(IConfiguration configuration, IHostEnvironment environment, IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("KneeClinic.ConsentScans.v1");

    public const long MaxBytes = 10 * 1024 * 1024;

    private static readonly (byte[] Magic, string Type, string Extension)[] Kinds =
    [
        ("%PDF-"u8.ToArray(), "application/pdf", ".pdf"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "image/png", ".png"),
        ([0xFF, 0xD8, 0xFF], "image/jpeg", ".jpg"),
    ];

    private string Folder => Path.Combine(DatabaseSetup.DataDirectory(configuration, environment), "scans");

    /// <summary>The problem with an upload, in words for the person who sent it; null when it is acceptable.</summary>
    public static string? Check(IFormFile? file, out string contentType)
    {
        contentType = "";
        if (file is null || file.Length == 0) return "Choose the scan of the signed form (PDF, PNG or JPEG).";
        if (file.Length > MaxBytes) return "The scan is larger than 10 MB. Scan at a lower resolution or as a PDF.";
        Span<byte> head = stackalloc byte[8];
        using var stream = file.OpenReadStream();
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        foreach (var (magic, type, _) in Kinds)
        {
            if (read >= magic.Length && head[..magic.Length].SequenceEqual(magic))
            {
                contentType = type;
                return null;
            }
        }
        return "The file is not a PDF, PNG or JPEG, whatever its name says. Upload the scan itself.";
    }

    public async Task<StoredScan> SaveAsync(IFormFile file, string contentType, CancellationToken cancellationToken = default)
    {
        PrivateFiles.Folder(Folder);
        var extension = Kinds.First(k => k.Type == contentType).Extension;
        var name = $"{Guid.NewGuid():N}{extension}";
        var path = Path.Combine(Folder, name);
        try
        {
            // At most MaxBytes, checked before: read whole, hashed as it is, written encrypted.
            using var plain = new MemoryStream((int)file.Length);
            await using (var source = file.OpenReadStream())
                await source.CopyToAsync(plain, cancellationToken);
            var hash = Convert.ToHexStringLower(SHA256.HashData(plain.GetBuffer().AsSpan(0, (int)plain.Length)));
            await using (var target = PrivateFiles.CreateNew(path))
                await target.WriteAsync(_protector.Protect(plain.ToArray()), cancellationToken);
            return new StoredScan(name, contentType, hash);
        }
        catch
        {
            File.Delete(path); // never leave half a scan of patient data behind
            throw;
        }
    }

    public void Delete(string fileName)
    {
        var path = PathOf(fileName);
        if (File.Exists(path)) File.Delete(path);
    }

    /// <summary>The stored scan, decrypted, or null when its file is gone (reported as not found, never as an error page).</summary>
    public Stream? Open(string fileName)
    {
        if (!File.Exists(PathOf(fileName))) return null;
        var stored = File.ReadAllBytes(PathOf(fileName));
        return new MemoryStream(IsPlainScan(stored) ? stored : _protector.Unprotect(stored), writable: false);
    }

    /// <summary>Whether the bytes are a scan as uploaded (stored before scans were encrypted), not an encrypted one.</summary>
    public static bool IsPlainScan(ReadOnlySpan<byte> stored)
    {
        foreach (var (magic, _, _) in Kinds)
            if (stored.StartsWith(magic)) return true;
        return false;
    }

    // Names come only from our own records, but never let one leave the folder.
    private string PathOf(string fileName) => Path.Combine(Folder, Path.GetFileName(fileName));
}
