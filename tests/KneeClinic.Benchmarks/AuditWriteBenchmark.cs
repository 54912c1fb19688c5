using BenchmarkDotNet.Attributes;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Benchmarks;

/// <summary>
/// One batch of page views written to the audit trail, as the app's group commit writes it: through EF Core's save (the
/// interceptor numbers and hashes them) against <see cref="AuditAppend"/>'s plain inserts. Over a copy of the load
/// benchmark's 50,000-patient database (run the load benchmark once first), in WAL mode with full sync, as the app runs.
/// Each view lists 20 patients, as a page of the patient list does.
/// Run: dotnet run -c Release --project tests/KneeClinic.Benchmarks -- --filter '*AuditWrite*'
/// </summary>
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(10)]
public class AuditWriteBenchmark
{
    private static readonly AuditKeyRing Keys = new("bench", new Dictionary<string, byte[]> { ["bench"] = new byte[32] });
    private string _file = "";
    private DbContextOptions<ClinicDbContext> _options = null!;
    private List<AuditEntry>[] _batches = [];
    private int _next;

    [Params(1, 13, 50)]
    public int Views { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var source = Path.Combine(Environment.GetEnvironmentVariable("KNEECLINIC_LOAD_WORK") ?? "/tmp/kneeclinic-load", "clinic-50000-42.db");
        if (!File.Exists(source)) throw new InvalidOperationException($"{source} is missing: run the load benchmark once to generate it.");
        _file = Path.Combine(Path.GetTempPath(), $"kneeclinic-audit-bench-{Guid.NewGuid():N}.db");
        File.Copy(source, _file);
        using (var connection = new SqliteConnection($"Data Source={_file}"))
        {
            connection.Open();
            using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode=WAL";
            wal.ExecuteNonQuery();
        }
        _options = new DbContextOptionsBuilder<ClinicDbContext>()
            .UseSqlite($"Data Source={_file}")
            .AddInterceptors(new AuditInterceptor(new SystemActor(), TimeProvider.System, Keys))
            .Options;
        // The events are made beforehand, so the time measured is the write alone.
        _batches = [.. Enumerable.Range(0, 4096).Select(_ => Enumerable.Range(0, Views).Select(_ => AuditEntry.Event(AuditAction.Viewed, "PatientList", "",
            details: $$"""{"Patients":["{{string.Join("\",\"", Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()))}}"]}""",
            userId: "clinician-id", userName: "clinician@clinic.example")).ToList())];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm" }) File.Delete(file);
    }

    private List<AuditEntry> NextBatch() => [.. _batches[_next++ % _batches.Length].Select(e => e.Unsaved())];

    [Benchmark(Baseline = true)]
    public async Task EfCoreSave()
    {
        await using var db = new ClinicDbContext(_options);
        db.AuditEntries.AddRange(NextBatch());
        await db.SaveChangesAsync();
    }

    [Benchmark]
    public async Task PlainInserts()
    {
        await using var db = new ClinicDbContext(_options);
        await AuditAppend.WriteAsync(db, NextBatch(), new SystemActor(), DateTimeOffset.UtcNow, Keys);
    }
}
