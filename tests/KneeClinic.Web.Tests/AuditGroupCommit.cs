using System.Net;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Data;
using KneeClinic.Core.Patients;
using KneeClinic.Web.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KneeClinic.Web.Tests;

/// <summary>
/// Page views and downloads from concurrent requests are written to the audit trail together (group commit): fewer
/// transactions than views, the chain intact, each request answered only once its entry is committed, and a failed write
/// failing the requests that waited on it.
/// </summary>
public sealed class AuditGroupCommit(ClinicFactory factory, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ClinicFactory>
{
    private SqliteConnection OpenFile()
    {
        _ = factory.Services; // the app starts, and makes its database, on first use
        var connection = new SqliteConnection($"Data Source={factory.DatabaseFile};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private AuditReads Reads => factory.Services.GetRequiredService<AuditReads>();

    [Fact]
    public async Task FiftyConcurrentPageViewsAreFiftyEntriesInFewerTransactionsWithTheChainIntact()
    {
        var (session, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.BoneMarrow);
        using var _ = session;
        var patientId = await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.PatientId).SingleAsync());
        var transactionsBefore = Reads.Transactions;
        var writtenBefore = Reads.Written;

        var pages = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            session.GetAsync(i % 2 == 0 ? $"/Patients/Details/{patientId}" : $"/Cases/Details/{caseId}")));

        Assert.All(pages, page => Assert.Equal(HttpStatusCode.OK, page.Status));
        var views = await factory.QueryAsync(db => db.AuditEntries.Where(e => e.Action == AuditAction.Viewed && e.PatientId == patientId).ToListAsync());
        Assert.Equal(25, views.Count(e => e.Entity == nameof(Patient)));
        Assert.Equal(25, views.Count(e => e.Entity == nameof(Case)));
        // The user and the address were taken on the request, not on the writer's thread.
        Assert.All(views, e => Assert.StartsWith("clinician-", e.UserName));
        Assert.All(views, e => Assert.NotNull(e.UserId));
        output.WriteLine($"50 views written in {Reads.Transactions - transactionsBefore} transactions");
        Assert.Equal(50, Reads.Written - writtenBefore);
        Assert.InRange(Reads.Transactions - transactionsBefore, 1, 49);
        Assert.True((await factory.QueryAsync(db => factory.Services.GetRequiredService<AuditHeads>().VerifyAsync(db))).Intact);
    }

    [Fact]
    public async Task EachCallReturnsOnlyOnceItsEntryIsCommittedAndTheirSequencesFollowEachOther()
    {
        var marker = Guid.NewGuid().ToString("N");

        await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            await Reads.RecordAsync(AuditEntry.Event(AuditAction.Viewed, "GroupCommitTest", $"{marker}-{i}"));
            // Read back through a connection of its own: committed, not merely added to a context.
            using var connection = OpenFile();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM AuditEntries WHERE EntityId = $id AND Hash IS NOT NULL";
            command.Parameters.AddWithValue("$id", $"{marker}-{i}");
            Assert.Equal(1L, (long)(await command.ExecuteScalarAsync())!);
        }));

        var sequences = await factory.QueryAsync(db => db.AuditEntries.Where(e => e.EntityId.StartsWith(marker)).Select(e => e.Sequence).ToListAsync());
        Assert.Equal(50, sequences.Distinct().Count());
        Assert.True((await factory.QueryAsync(db => factory.Services.GetRequiredService<AuditHeads>().VerifyAsync(db))).Intact);
    }

    [Fact]
    public async Task ABatchLongerThanOneInsertIsWrittenInOneChainStepAndReadsBackAsASaveWritesIt()
    {
        var marker = Guid.NewGuid().ToString("N");
        var patientId = Guid.NewGuid();
        var at = factory.Clock.GetUtcNow();
        // More rows than one INSERT of SQL Server's would hold (2,000 parameters), all in one transaction.
        var views = Enumerable.Range(0, 300)
            .Select(i => AuditEntry.Event(AuditAction.Viewed, "GroupCommitTest", $"{marker}-{i:D3}", patientId, $$"""{"Row":{{i}}}""", "user-id", "viewer@clinic.test"))
            .ToList();

        await factory.QueryAsync(async db =>
        {
            await AuditAppend.WriteAsync(db, views, new SystemActor(), at, factory.Services.GetRequiredService<AuditKeyRing>());
            return 0;
        });

        var written = await factory.QueryAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.PatientId == patientId).OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal(300, written.Count);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"{marker}-{i:D3}"), written.Select(e => e.EntityId));
        Assert.Equal(written[0].Sequence + 299, written[^1].Sequence);
        Assert.All(written, e =>
        {
            Assert.Equal(AuditChain.Truncate(at), e.At);
            Assert.Equal(AuditAction.Viewed, e.Action);
            Assert.Equal("viewer@clinic.test", e.UserName);
            Assert.NotNull(e.Hash);
        });
        Assert.Equal("""{"Row":299}""", written[^1].NewValues);
        Assert.True((await factory.QueryAsync(db => factory.Services.GetRequiredService<AuditHeads>().VerifyAsync(db))).Intact);
    }

    [Fact]
    public async Task AFailedWriteFailsTheRequestsWaitingOnItAndOnlyThose()
    {
        var marker = Guid.NewGuid().ToString("N");
        // The audit table refuses these events, as a full disk or a broken index would.
        using (var connection = OpenFile())
            Execute(connection, $"""
                CREATE TRIGGER AuditEntries_FailGroupForTest BEFORE INSERT ON AuditEntries WHEN NEW.EntityId LIKE '{marker}-refused-%'
                BEGIN SELECT RAISE(ABORT, 'audit write failed'); END;
                """);
        try
        {
            var refused = Enumerable.Range(0, 20).Select(i => Reads.RecordAsync(AuditEntry.Event(AuditAction.Viewed, "GroupCommitTest", $"{marker}-refused-{i}"))).ToList();
            var accepted = Enumerable.Range(0, 20).Select(i => Reads.RecordAsync(AuditEntry.Event(AuditAction.Viewed, "GroupCommitTest", $"{marker}-ok-{i}"))).ToList();

            foreach (var write in refused)
                Assert.Contains("audit write failed", (await Assert.ThrowsAnyAsync<Exception>(() => write)).ToString());
            await Task.WhenAll(accepted);
        }
        finally
        {
            using var connection = OpenFile();
            Execute(connection, "DROP TRIGGER AuditEntries_FailGroupForTest");
        }

        Assert.Equal(20, await factory.QueryAsync(db => db.AuditEntries.CountAsync(e => e.EntityId.StartsWith(marker + "-ok-"))));
        Assert.Equal(0, await factory.QueryAsync(db => db.AuditEntries.CountAsync(e => e.EntityId.StartsWith(marker + "-refused-"))));
        Assert.True((await factory.QueryAsync(db => factory.Services.GetRequiredService<AuditHeads>().VerifyAsync(db))).Intact);
    }

    [Fact]
    public async Task APageWhoseViewCannotBeRecordedIsNotServed()
    {
        var (session, caseId) = await factory.ClinicianWithScreenedCaseAsync(CellSource.Adipose);
        using var _ = session;
        var patientId = await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.PatientId).SingleAsync());
        using (var connection = OpenFile())
            Execute(connection, $"""
                CREATE TRIGGER AuditEntries_FailViewForTest BEFORE INSERT ON AuditEntries WHEN NEW.EntityId = '{patientId}' AND NEW.Action = 'Viewed'
                BEGIN SELECT RAISE(ABORT, 'audit write failed'); END;
                """);
        WebSession.Page page;
        try
        {
            page = await session.GetAsync($"/Patients/Details/{patientId}");
        }
        finally
        {
            using var connection = OpenFile();
            Execute(connection, "DROP TRIGGER AuditEntries_FailViewForTest");
        }

        Assert.Equal(HttpStatusCode.InternalServerError, page.Status);
        Assert.DoesNotContain("audit write failed", page.Text);
        var mrn = await factory.QueryAsync(db => db.Patients.Where(p => p.Id == patientId).Select(p => p.Mrn).SingleAsync());
        Assert.DoesNotContain(mrn.Value, page.Text);
    }
}
