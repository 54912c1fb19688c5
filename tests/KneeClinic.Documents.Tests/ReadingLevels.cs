using KneeClinic.Documents.Consent;
using Xunit.Abstractions;

namespace KneeClinic.Documents.Tests;

public sealed class ReadingLevels(ITestOutputHelper output)
{
    [Theory]
    [InlineData("cat", 1)]
    [InlineData("water", 2)]
    [InlineData("treatment", 2)]
    [InlineData("investigational", 6)]
    [InlineData("injected", 3)]
    [InlineData("knee", 1)]
    [InlineData("boxes", 2)]
    [InlineData("named", 1)]
    public void CountsEnglishSyllables(string word, int syllables) =>
        Assert.Equal(syllables, ReadingLevel.EnglishSyllables(word));

    [Theory]
    [InlineData("rodilla", 3)]
    [InlineData("investigación", 5)]
    [InlineData("tratamiento", 4)]
    [InlineData("día", 2)]
    [InlineData("células", 3)]
    public void CountsSpanishSyllables(string word, int syllables) =>
        Assert.Equal(syllables, ReadingLevel.SpanishSyllables(word));

    [Fact]
    public void AppliesTheFleschKincaidFormula()
    {
        // 7 words, 2 sentences, 8 syllables: 0.39 × 3.5 + 11.8 × 8/7 − 15.59 = −0.74
        var result = ReadingLevel.Of(["The cat sat. The water is cold."], "en");

        Assert.Equal((7, 2, 8), (result.Words, result.Sentences, result.Syllables));
        Assert.Equal(-0.7, result.Grade);
        Assert.True(result.MeetsTarget);
    }

    [Fact]
    public void LongWordsAndLongSentencesRaiseTheGrade()
    {
        var hard = ReadingLevel.Of(["Investigational intra-articular administration of autologous mesenchymal stromal cells necessitates comprehensive consideration of immunological complications and unforeseeable longitudinal consequences"], "en");

        Assert.True(hard.Grade > 20, hard.Grade.ToString());
        Assert.False(hard.MeetsTarget);
    }

    [Theory]
    [MemberData(nameof(Templates.Files), MemberType = typeof(Templates))]
    public void TheEnglishTemplatesMeetGradeEight(string file)
    {
        var template = Templates.Load(file);
        var text = template.Resolve(ConsentPdfValues.Sample(template.Header.Language));
        var level = ReadingLevel.Of(text, template.Header.Language);
        output.WriteLine($"{file}: grade {level.Grade} ({level.Words} words, {level.Sentences} sentences)");

        if (template.Header.Language == "en") Assert.True(level.MeetsTarget, $"{file}: grade {level.Grade}");
        Assert.InRange(level.Words, 1_000, 3_000);
    }
}
