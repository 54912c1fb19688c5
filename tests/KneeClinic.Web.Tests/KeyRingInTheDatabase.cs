using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KneeClinic.Web.Tests;

/// <summary>The data-protection keys live in the database, out of the audit trail, encrypted when a certificate is set.</summary>
public sealed class KeyRingInTheDatabase
{
    [Fact]
    public async Task TheKeyIsMadeAtStartInTheDatabaseAndNeverCopiedIntoTheAuditTrail()
    {
        await using var clinic = new ClinicFactory();
        using var session = await clinic.SignedInAsync(Roles.Clinician);

        var keys = await clinic.QueryAsync(db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync());
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.Contains("<key id=", k));
        Assert.False(Directory.Exists(Path.Combine(clinic.DataDirectory, "keys")), "Keys are still written to the data folder.");

        // A key saved the way any other row is (SaveChangesAsync, with the audit interceptor) is still left out.
        await clinic.QueryAsync(async db =>
        {
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = "key-test", Xml = "<key id=\"test\"><masterKey>c2VjcmV0</masterKey></key>" });
            return await db.SaveChangesAsync();
        });
        var trail = await clinic.QueryAsync(db => db.AuditEntries.Select(e => new { e.Entity, e.OldValues, e.NewValues }).ToListAsync());
        Assert.NotEmpty(trail);
        Assert.DoesNotContain(trail, e => e.Entity.Contains("DataProtection", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(trail, e => $"{e.OldValues}{e.NewValues}".Contains("masterKey", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task WithACertificateTheKeysAreStoredEncryptedAndStillSignPeopleIn()
    {
        var folder = Directory.CreateTempSubdirectory("kneeclinic-cert-").FullName;
        try
        {
            var pfx = Path.Combine(folder, "keyring.pfx");
            using (var rsa = RSA.Create(2048))
            {
                var request = new CertificateRequest("CN=KneeClinic key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
                await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx password"));
            }
            await using var clinic = new SettingsClinicFactory(("DataProtection:CertificatePath", pfx), ("DataProtection:CertificatePassword", "pfx password"));
            using var session = await clinic.SignedInAsync(Roles.Clinician);
            Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Dashboard")).Status);

            var xml = await clinic.QueryAsync(db => db.DataProtectionKeys.Select(k => k.Xml!).SingleAsync());
            Assert.Contains("EncryptedData", xml);
            Assert.DoesNotContain("<value>", xml);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task KeysKeptInTheDataFolderBeforeAreTakenIntoTheDatabaseSoTheUpgradeSignsNobodyOut()
    {
        var folder = Directory.CreateTempSubdirectory("kneeclinic-upgrade-").FullName;
        try
        {
            // What the previous version did: the key ring as files in the data folder's "keys".
            var before = DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(folder, "keys")), b => b.SetApplicationName("KneeClinic"))
                .CreateProtector("upgrade-test").Protect("issued before the upgrade");

            await using var clinic = new ClinicInstance(folder);
            var after = clinic.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("upgrade-test");

            Assert.Equal("issued before the upgrade", after.Unprotect(before));
            Assert.Single(await clinic.QueryAsync(db => db.DataProtectionKeys.ToListAsync()));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ACertificateThatCannotBeReadStopsTheAppWithTheSettingsName()
    {
        await using var clinic = new SettingsClinicFactory(("DataProtection:CertificatePath", "/no/such/keyring.pfx"));
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => Task.Run(() => clinic.Server));
        Assert.Contains("DataProtection:CertificatePath: no file at /no/such/keyring.pfx", failure.ToString());
    }
}
