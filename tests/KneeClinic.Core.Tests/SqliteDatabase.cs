using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace KneeClinic.Core.Tests;

/// <summary>A fresh SQLite database file per test class instance, with the audit interceptor wired in as the app does.</summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"kneeclinic-core-{Guid.NewGuid():N}.db");

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    /// <summary>The audit chain's keys new saves sign with; a test may give another ring (a rotation) between saves.</summary>
    public AuditKeyRing Keys { get; set; } = TestKeys.Ring("key-a", TestKeys.A);

    public SqliteDatabase()
    {
        using var db = Open();
        db.Database.EnsureCreated();
    }

    public ClinicDbContext Open(IAuditActor? actor = null) => new(new DbContextOptionsBuilder<ClinicDbContext>()
        .UseSqlite($"Data Source={_file};Pooling=False")
        .AddInterceptors(new AuditInterceptor(actor ?? new TestActor("user-1", "one@clinic.test"), Clock, Keys))
        .Options);

    public void Dispose()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(_file + suffix);
    }
}

internal sealed record TestActor(string? UserId, string? UserName) : IAuditActor;

/// <summary>Fixed audit chain keys for tests.</summary>
internal static class TestKeys
{
    public static readonly byte[] A = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    public static readonly byte[] B = [.. Enumerable.Range(101, 32).Select(i => (byte)i)];

    public static AuditKeyRing Ring(string current, byte[] key, params (string Id, byte[] Key)[] others)
    {
        var keys = others.ToDictionary(k => k.Id, k => k.Key);
        keys[current] = key;
        return new(current, keys);
    }
}
