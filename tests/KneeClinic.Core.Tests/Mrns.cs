using KneeClinic.Core.Patients;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Core.Tests;

public sealed class Mrns
{
    [Theory]
    [InlineData("K-12", "K-12")]
    [InlineData(" k-12 ", "K-12")]
    [InlineData("mrn-3fa2b", "MRN-3FA2B")]
    [InlineData("0042", "0042")]
    public void AnMrnIsOneWhateverTheCaseItIsTypedIn(string typed, string stored)
    {
        Assert.Equal(stored, Mrn.From(typed)?.Value);
        Assert.Equal(Mrn.Of(stored), Mrn.From(typed));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-12")]
    [InlineData("bad mrn!")]
    [InlineData("K_12")]
    [InlineData("K%")]
    [InlineData("Ä-12")]
    [InlineData("K-\t1")]
    [InlineData("K-123456789012345678901234567890X")]
    public void WhatCannotBeAnMrnIsNone(string? typed)
    {
        Assert.Null(Mrn.From(typed));
        if (typed is not null) Assert.Throws<ArgumentException>(() => Mrn.Of(typed));
    }

    [Fact]
    public void APatientsMrnIsCheckedWithTheOtherDetails()
    {
        Assert.Equal([PatientRules.MrnFormat], Patient.Check("bad mrn!", "Ana", "Ruiz", new DateOnly(1950, 1, 1), CaseBuilder.Today));
        Assert.Equal(nameof(Patient.Mrn), PatientRules.MrnFormat.Member);
        // A missing MRN is the form's "required", not a second message.
        Assert.Empty(Patient.Check("", "Ana", "Ruiz", new DateOnly(1950, 1, 1), CaseBuilder.Today));
    }

    [Fact]
    public void TheRangeOfAStartHoldsExactlyTheMrnsThatStartSo()
    {
        var random = new Random(1234);
        const string characters = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-";
        var mrns = Enumerable.Range(0, 5_000)
            .Select(_ => characters[random.Next(36)] + new string([.. Enumerable.Range(0, random.Next(0, 6)).Select(_ => characters[random.Next(characters.Length)])]))
            .Select(Mrn.Of).Distinct().ToList();
        foreach (var start in new[] { "A", "a-", "Z", "9", "K-1", "ZZ", "0-", "Q9Z" })
        {
            var (from, before) = Mrn.StartingWith(start)!.Value;
            var upper = start.ToUpperInvariant();
            Assert.Equal(mrns.Where(m => m.Value.StartsWith(upper, StringComparison.Ordinal)).Order(),
                mrns.Where(m => m >= from && m < before).Order());
        }
        Assert.Null(Mrn.StartingWith("%"));
        Assert.Null(Mrn.StartingWith("-"));
    }

    [Fact]
    public async Task TheDatabaseFindsAStartByRangeAndKeepsOneMrnPerPatient()
    {
        using var database = new SqliteDatabase();
        await using (var db = database.Open())
        {
            foreach (var mrn in new[] { "K-1", "K-10", "K-2", "K1", "KA", "L-1", "J-1" })
                db.Patients.Add(new Patient(Mrn.Of(mrn), "Ana", "Ruiz", new DateOnly(1960, 1, 1), Sex.Female, database.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
        }
        await using (var db = database.Open())
        {
            var (from, before) = Mrn.StartingWith("k-1")!.Value;
            var query = db.Patients.Where(p => p.Mrn >= from && p.Mrn < before).OrderBy(p => p.Mrn).Select(p => p.Mrn);
            Assert.Equal(["K-1", "K-10"], (await query.ToListAsync()).Select(m => m.Value));
            Assert.DoesNotContain("CAST", query.ToQueryString(), StringComparison.OrdinalIgnoreCase);

            db.Patients.Add(new Patient(Mrn.From(" k-2 ")!.Value, "Other", "Person", new DateOnly(1970, 1, 1), Sex.Male, database.Clock.GetUtcNow()));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
    }
}
