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

    public SqliteDatabase()
    {
        using var db = Open();
        db.Database.EnsureCreated();
    }

    public ClinicDbContext Open(IAuditActor? actor = null) => new(new DbContextOptionsBuilder<ClinicDbContext>()
        .UseSqlite($"Data Source={_file};Pooling=False")
        .AddInterceptors(new AuditInterceptor(actor ?? new TestActor("user-1", "one@clinic.test"), Clock))
        .Options);

    public void Dispose()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(_file + suffix);
    }
}

internal sealed record TestActor(string? UserId, string? UserName) : IAuditActor;
