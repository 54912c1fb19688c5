using System.Net;
using KneeClinic.Web.Features.Consents;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace KneeClinic.Web.Tests;

/// <summary>
/// The data folder and every file of patient data in it are the app's alone (0700 and 0600): a new database, one an
/// earlier version left readable, SQLite's WAL and shared-memory files, and the scans of signed forms.
/// </summary>
public sealed class PrivateDataFiles
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    [Fact]
    public async Task TheDataFolderIs0700AndItsFiles0600EvenWhenTheyWereLeftReadable()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var first = new ClinicFactory();
        // A folder anyone may read, as a careless copy or an older version leaves it.
        System.IO.File.SetUnixFileMode(first.DataDirectory, Folder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        using (var client = first.CreateClient())
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        await first.CreateUserAsync($"writer-{Guid.NewGuid():N}@clinic.test");

        Assert.Equal(Folder, System.IO.File.GetUnixFileMode(first.DataDirectory));
        foreach (var file in new[] { first.DatabaseFile, first.DatabaseFile + "-wal", first.DatabaseFile + "-shm" })
        {
            Assert.True(System.IO.File.Exists(file), file);
            Assert.Equal(File, System.IO.File.GetUnixFileMode(file));
        }

        // A scan of a signed form, stored as the signing page stores it.
        var pdf = "%PDF-1.7\n%scan\n"u8.ToArray();
        using var stream = new MemoryStream(pdf);
        var upload = new FormFile(stream, 0, pdf.Length, "Scan", "signed.pdf");
        var stored = await first.Services.GetRequiredService<ScanStore>().SaveAsync(upload, "application/pdf");
        var scans = Path.Combine(first.DataDirectory, "scans");
        Assert.Equal(Folder, System.IO.File.GetUnixFileMode(scans));
        Assert.Equal(File, System.IO.File.GetUnixFileMode(Path.Combine(scans, stored.FileName)));

        // Files an earlier version left readable are taken back at the next start.
        System.IO.File.SetUnixFileMode(first.DatabaseFile, Readable);
        System.IO.File.SetUnixFileMode(first.DataDirectory, Folder | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await using var next = new ClinicInstance(first.DataDirectory);
        using (var client = next.CreateClient())
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(File, System.IO.File.GetUnixFileMode(first.DatabaseFile));
        Assert.Equal(Folder, System.IO.File.GetUnixFileMode(first.DataDirectory));
    }

    [Fact]
    public async Task AScanIsStoredEncryptedAndServedAsItWasUploaded()
    {
        await using var clinic = new ClinicFactory();
        var store = clinic.Services.GetRequiredService<ScanStore>();
        var pdf = "%PDF-1.7\nMüller-Øvergård, Zoë: signed 2026-03-14\n%%EOF"u8.ToArray();
        using var stream = new MemoryStream(pdf);
        var stored = await store.SaveAsync(new FormFile(stream, 0, pdf.Length, "Scan", "signed.pdf"), "application/pdf");

        // On disk: nothing of the scan, not even its type; its hash is the scan's own.
        var onDisk = await System.IO.File.ReadAllBytesAsync(Path.Combine(clinic.DataDirectory, "scans", stored.FileName));
        Assert.False(ScanStore.IsPlainScan(onDisk));
        Assert.Equal(-1, onDisk.AsSpan().IndexOf("Müller-Øvergård"u8));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf)), stored.Sha256);

        // Served decrypted, by any instance on the same database (the key ring is in it).
        using (var served = store.Open(stored.FileName)!)
            Assert.Equal(pdf, ReadAll(served));
        await using var other = new ClinicInstance(clinic.DataDirectory);
        using (var served = other.Services.GetRequiredService<ScanStore>().Open(stored.FileName)!)
            Assert.Equal(pdf, ReadAll(served));

        // A scan stored before scans were encrypted is still served as it is.
        await System.IO.File.WriteAllBytesAsync(Path.Combine(clinic.DataDirectory, "scans", "earlier.pdf"), pdf);
        using (var earlier = store.Open("earlier.pdf")!)
            Assert.Equal(pdf, ReadAll(earlier));
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
