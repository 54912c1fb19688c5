using KneeClinic.Core.Patients;

namespace KneeClinic.Core.Tests;

public sealed class SearchKeys
{
    [Theory]
    [InlineData("Lefèvre", "lefevre")]
    [InlineData("Chloé  DÉMO-Lefèvre", "chloe demo-lefevre")]
    [InlineData("Østergård", "ostergard")]
    [InlineData("Straße", "strasse")]
    [InlineData("Łukasz Wałęsa", "lukasz walesa")]
    [InlineData("Ngô Bảo Châu", "ngo bao chau")]
    [InlineData("Æsa Œdipe", "aesa oedipe")]
    [InlineData("Müller-Øvergård", "muller-overgard")]
    public void ANameIsSearchedWithoutAccentsOrCase(string name, string key) => Assert.Equal(key, SearchKey.Of(name));

    [Fact]
    public void APatientsSearchNameFollowsTheirName()
    {
        var patient = new Patient(Mrn.Of("K-1"), "Chloé", "Lefèvre", new DateOnly(1970, 1, 1), Sex.Female, CaseBuilder.Now);
        Assert.Equal("lefevre chloe", patient.SearchName);
        patient.Update("Zoë", "Østergård", new DateOnly(1970, 1, 1), Sex.Female, null, null, null);
        Assert.Equal("ostergard zoe", patient.SearchName);
    }

    [Theory]
    [InlineData("muller-overgard zoe", new[] { "muller", "overgard", "zoe" })]
    [InlineData("o'brien  anne-marie", new[] { "o", "brien", "anne", "marie" })]
    [InlineData("%", new string[0])]
    [InlineData("smi", new[] { "smi" })]
    public void AKeyIsCutIntoItsRunsOfLettersAndDigits(string key, string[] words) => Assert.Equal(words, SearchKey.Words(key));

    [Theory]
    [InlineData("smi", "smj")]
    [InlineData("az", "a{")]
    [InlineData("9", ":")]
    public void AStartIsARangeUpToTheTextAfterIt(string prefix, string after)
    {
        Assert.Equal(after, SearchKey.After(prefix));
        Assert.True(string.CompareOrdinal(prefix + "th", after) < 0);
        Assert.True(string.CompareOrdinal(after, prefix) > 0);
    }

    [Fact]
    public void APatientsNameWordsFollowTheirName()
    {
        var patient = new Patient(Mrn.Of("K-2"), "Anne-Marie", "Müller", new DateOnly(1970, 1, 1), Sex.Female, CaseBuilder.Now);
        Assert.Equal(["anne", "marie", "muller"], patient.NameWords.Select(w => w.Word).Order());
        Assert.All(patient.NameWords, w => Assert.Equal(patient.Id, w.PatientId));
        Assert.All(patient.NameWords, w => Assert.Equal("muller anne-marie", w.SearchName));
        var kept = patient.NameWords.Single(w => w.Word == "anne");

        patient.Update("Anne", "Østergård", new DateOnly(1970, 1, 1), Sex.Female, null, null, null);

        Assert.Equal(["anne", "ostergard"], patient.NameWords.Select(w => w.Word).Order());
        // A word the name still has is the same row, not removed and added again.
        Assert.Same(kept, patient.NameWords.Single(w => w.Word == "anne"));
        // Every word, kept or new, sorts as the new name: the search lists its patients in that order.
        Assert.All(patient.NameWords, w => Assert.Equal(patient.SearchName, w.SearchName));
        Assert.Equal("ostergard anne", kept.SearchName);
    }
}

public sealed class PhoneKeys
{
    [Theory]
    [InlineData("+1 (555) 010-2030", "03020105551")]
    [InlineData("555 0102030", "0302010555")]
    [InlineData("555.010.2030", "0302010555")]
    [InlineData("٥٥٥٠١٠٢٠٣٠", "0302010555")] // Arabic-Indic digits are the same digits
    [InlineData("555-0102030 ext. 12", "0302010555")] // an extension is not part of the number
    [InlineData("none", "")]
    [InlineData(null, "")]
    public void APhoneIsKeptAsItsDigitsReversed(string? phone, string key) => Assert.Equal(key, PhoneKey.Of(phone));

    [Fact]
    public void APatientsPhoneKeyFollowsTheirPhone()
    {
        var patient = new Patient(Mrn.Of("K-1"), "Ana", "Ruiz", new DateOnly(1970, 1, 1), Sex.Female, CaseBuilder.Now);
        Assert.Equal("", patient.PhoneSearch);
        patient.Update("Ana", "Ruiz", new DateOnly(1970, 1, 1), Sex.Female, " +1 (555) 010-2030 ", null, null);
        Assert.Equal("03020105551", patient.PhoneSearch);
        patient.Update("Ana", "Ruiz", new DateOnly(1970, 1, 1), Sex.Female, null, null, null);
        Assert.Equal("", patient.PhoneSearch);
    }

    [Theory]
    [InlineData("5550102030")]
    [InlineData("010-2030")]
    [InlineData("+1 (555) 010-2030")]
    [InlineData("1 555 010 2030")]
    [InlineData("44 1 555 010 2030")] // with a country code the stored number does not have
    public void ASearchFindsTheNumberByItsEnd(string typed) => Assert.True(Matches(typed, "+1 (555) 010-2030"));

    [Theory]
    [InlineData("555 010 2031")]
    [InlineData("1 555 010 20")] // the start of the number is not its end
    [InlineData("+1 (555) 010-20300")]
    public void ASearchDoesNotFindAnotherNumber(string typed) => Assert.False(Matches(typed, "+1 (555) 010-2030"));

    [Theory]
    [InlineData("Ruiz", false)]
    [InlineData("555 0102030", true)]
    [InlineData("K-12", false)]
    [InlineData("%", false)]
    [InlineData("12", true)]
    public void OnlyATextWithoutLettersAndWithDigitsIsAPhone(string text, bool phone) => Assert.Equal(phone, PhoneKey.LooksLikePhone(text));

    [Fact]
    public void FewerThanSevenDigitsAreNotASearch()
    {
        Assert.Null(PhoneKey.Search("10-203"));
        Assert.NotNull(PhoneKey.Search("010-2030"));
    }

    [Fact]
    public void AllNinesHaveNoUpperBound()
    {
        Assert.Null(PhoneKey.Search("999 9999")!.Before);
        Assert.Equal("0302011", PhoneKey.Search("010-2030")!.Before);
        Assert.Equal("03020106", PhoneKey.Search("5010-2030")!.Before);
        Assert.Equal("00001", PhoneKey.Search("99990-0000")!.Before);
    }

    /// <summary>The search as the database runs it: a range of stored keys, or one of the typed key's shorter starts.</summary>
    private static bool Matches(string typed, string stored)
    {
        var search = PhoneKey.Search(typed)!;
        var key = PhoneKey.Of(stored);
        return (string.CompareOrdinal(key, search.From) >= 0 && (search.Before is null || string.CompareOrdinal(key, search.Before) < 0))
            || search.Shorter.Contains(key);
    }
}
