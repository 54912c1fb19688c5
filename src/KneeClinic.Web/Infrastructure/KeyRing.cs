using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using KneeClinic.Core.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;

namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// The "DataProtection" settings: a certificate that encrypts the key ring at rest, from a PFX file
/// (<see cref="CertificatePath"/> and <see cref="CertificatePassword"/>) or the current user's certificate store
/// (<see cref="CertificateThumbprint"/>). Without one the keys are stored unencrypted in the database.
/// </summary>
public sealed class KeyRingOptions
{
    public const string Section = "DataProtection";

    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }
    public string? CertificateThumbprint { get; set; }

    /// <summary>The certificate, or null when none is configured; throws with a message that names the setting.</summary>
    public X509Certificate2? LoadCertificate()
    {
        if (!string.IsNullOrWhiteSpace(CertificatePath))
        {
            if (!File.Exists(CertificatePath)) throw new InvalidOperationException($"DataProtection:CertificatePath: no file at {CertificatePath}.");
            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
            }
            catch (CryptographicException e)
            {
                throw new InvalidOperationException($"DataProtection:CertificatePath: {CertificatePath} cannot be read as a PFX file with DataProtection:CertificatePassword ({e.Message}).", e);
            }
            return certificate.HasPrivateKey ? certificate
                : throw new InvalidOperationException($"DataProtection:CertificatePath: {CertificatePath} has no private key, so the keys it encrypts could not be read back.");
        }
        if (!string.IsNullOrWhiteSpace(CertificateThumbprint))
        {
            using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
            store.Open(OpenFlags.ReadOnly);
            var found = store.Certificates.Find(X509FindType.FindByThumbprint, CertificateThumbprint.Replace(" ", ""), validOnly: false);
            return found is [var certificate, ..] && certificate.HasPrivateKey ? certificate
                : throw new InvalidOperationException($"DataProtection:CertificateThumbprint: no certificate with a private key and thumbprint {CertificateThumbprint} in the current user's store.");
        }
        return null;
    }
}

/// <summary>
/// The data-protection key ring (the keys behind sign-in cookies, antiforgery tokens and TempData) is kept in the
/// database, so every instance of the app on that database reads what another wrote, and a redeploy signs nobody out.
/// </summary>
public static class KeyRing
{
    public const string ApplicationName = "KneeClinic";

    /// <summary>
    /// The certificate setting is read here, while services are registered, because ASP.NET Core takes the certificate
    /// that decrypts the keys only then (<see cref="DataProtectionBuilderExtensions.ProtectKeysWithCertificate(IDataProtectionBuilder, X509Certificate2)"/>).
    /// </summary>
    public static void AddClinicKeyRing(this IServiceCollection services, IConfiguration configuration)
    {
        var keys = services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToDbContext<ClinicDbContext>();
        var options = configuration.GetSection(KeyRingOptions.Section).Get<KeyRingOptions>() ?? new KeyRingOptions();
        if (options.LoadCertificate() is { } certificate) keys.ProtectKeysWithCertificate(certificate);
    }

    /// <summary>
    /// Reads the key ring (making the first key if there is none) at start, so a wrong certificate stops the app with
    /// its message instead of failing the first sign-in, and the instance that migrates makes the key the others use.
    /// </summary>
    public static void EnsureKey(IServiceProvider services)
    {
        ImportKeysFromDataFolder(services);
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector("KneeClinic.KeyRing.Check").Protect([1]);
    }

    /// <summary>
    /// Before the key ring moved into the database it was kept as files in the data folder's "keys" folder. The first
    /// start on a database without keys takes those files in, so the upgrade signs nobody out; the files are left as
    /// they are (and no longer read).
    /// </summary>
    private static void ImportKeysFromDataFolder(IServiceProvider services)
    {
        var folder = new DirectoryInfo(Path.Combine(
            DatabaseSetup.DataDirectory(services.GetRequiredService<IConfiguration>(), services.GetRequiredService<IHostEnvironment>()), "keys"));
        if (!folder.Exists) return;
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        if (db.DataProtectionKeys.Any()) return;
        var files = folder.GetFiles("key-*.xml");
        foreach (var file in files)
        {
            var xml = XElement.Load(file.FullName);
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = Path.GetFileNameWithoutExtension(file.Name), Xml = xml.ToString(SaveOptions.DisableFormatting) });
        }
        // Synchronous, as the key ring's own saves are: a save of keys alone, which the audit trail leaves out.
        db.SaveChanges();
        if (files.Length > 0)
            scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KeyRing))
                .LogInformation("Took {Count} data-protection keys from {Folder} into the database.", files.Length, folder.FullName);
    }

}
