using System.Net;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>Many clinicians saving at the same moment on one SQLite file: every write is stored, none meets "database is locked".</summary>
public sealed class ParallelWrites(ClinicFactory factory, ITestOutputHelper output) : IClassFixture<ClinicFactory>
{
    [Fact]
    public async Task TwoHundredPatientsRegisteredAtOnceAreAllStoredWithTheirAuditEntries()
    {
        const int writes = 200;
        var clinicians = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => factory.SignedInAsync(Roles.Clinician)));
        var forms = await Task.WhenAll(clinicians.Select(c => c.GetAsync("/Patients/Create")));
        var run = Guid.NewGuid().ToString("N")[..6];

        using var start = new SemaphoreSlim(0);
        var posts = Enumerable.Range(0, writes).Select(async i =>
        {
            var session = clinicians[i % clinicians.Length];
            await start.WaitAsync();
            return await session.SubmitAsync(forms[i % forms.Length], "form[action='/Patients/Create']", Fields(
                ("Mrn", $"PW-{run}-{i:D3}"), ("GivenName", "Ana"), ("FamilyName", $"Parallel {i}"),
                ("DateOfBirth", "1970-05-01"), ("Sex", "Female")));
        }).ToList();
        start.Release(writes);
        var pages = await Task.WhenAll(posts);

        var failed = pages.Where(p => p.Status != HttpStatusCode.Redirect || p.Location?.StartsWith("/Patients/Details/") != true).ToList();
        var ids = pages.Except(failed).Select(p => p.Location!.Split('/').Last()).ToHashSet();
        var (from, before) = Mrn.StartingWith($"PW-{run}-")!.Value;
        var stored = await factory.QueryAsync(db => db.Patients.AsNoTracking().Where(p => p.Mrn >= from && p.Mrn < before).Select(p => p.Id).ToListAsync());
        var storedIds = stored.Select(id => id.ToString()).ToHashSet();
        var audited = await factory.QueryAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.Entity == nameof(Patient) && e.Action == AuditAction.Created).Select(e => e.EntityId).ToListAsync());
        var auditedHere = audited.Where(storedIds.Contains).ToList();
        var chain = await factory.QueryAsync(db => factory.Services.GetRequiredService<AuditHeads>().VerifyAsync(db));
        output.WriteLine($"{writes} parallel writes from {clinicians.Length} clinicians, {stored.Count} stored, {failed.Count} errors, " +
            $"{auditedHere.Count} audit entries; audit chain of {chain.Entries} entries {(chain.Intact ? "intact" : "broken: " + chain.Problem)}");

        Assert.Empty(failed.Select(p => $"{(int)p.Status} {p.Text[..Math.Min(p.Text.Length, 300)]}"));
        Assert.DoesNotContain(pages, p => p.Text.Contains("locked", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(writes, stored.Count);
        Assert.Equal(storedIds.Order(), ids.Order());
        Assert.Equal(storedIds.Order(), auditedHere.Order());
        // Writers that met at the same moment still each took the next place in one unbroken chain.
        Assert.True(chain.Intact, chain.Problem);
        Assert.Equal(chain.Entries, chain.LastSequence);
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("database is locked", StringComparison.OrdinalIgnoreCase));
        foreach (var c in clinicians) c.Dispose();
    }
}
