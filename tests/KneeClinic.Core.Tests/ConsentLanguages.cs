using KneeClinic.Core.Consent;

namespace KneeClinic.Core.Tests;

public sealed class ConsentLanguages
{
    [Theory]
    [InlineData("es", "es")]
    [InlineData(" ES ", "es")]
    [InlineData("pt-BR", "pt-br")]
    [InlineData("zh-Hant-TW", "zh-hant-tw")]
    public void ATagIsOneLanguageWhateverItsCase(string typed, string tag)
    {
        Assert.Equal(tag, ConsentLanguage.From(typed)?.Tag);
        Assert.Equal(ConsentLanguage.Of(tag), ConsentLanguage.From(typed));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("e")]
    [InlineData("english")]
    [InlineData("es_MX")]
    [InlineData("es-")]
    [InlineData("<script>")]
    [InlineData("en-aaaaaaaaaaaaaaaaaaaa")]
    public void WhatIsNotALanguageTagIsNoLanguage(string? typed)
    {
        Assert.Null(ConsentLanguage.From(typed));
        if (typed is not null) Assert.Throws<ArgumentException>(() => ConsentLanguage.Of(typed));
    }

    [Fact]
    public void ItsNameIsInEnglishAndInItself()
    {
        Assert.Equal("English", ConsentLanguage.Of("en").Name);
        Assert.Equal("Spanish (español)", ConsentLanguage.Of("es").Name);
        Assert.Equal("Vietnamese (Tiếng Việt)", ConsentLanguage.Of("vi").Name);
        Assert.Equal("qqq", ConsentLanguage.Of("qqq").Name);
    }

    [Fact]
    public void LanguagesSortByTag() =>
        Assert.Equal(["en", "es", "pt-br", "ru"], new[] { "ru", "pt-BR", "es", "en" }.Select(ConsentLanguage.Of).Order().Select(l => l.Tag));

    [Fact]
    public void ATemplateKeepsItsLanguagesApart()
    {
        var template = new ConsentTemplate("consent-test", "Test", Cases.CellSource.BoneMarrow);
        var english = template.NewDraft(ConsentLanguage.Of("en"), CaseBuilder.Today, false, "one", CaseBuilder.Now);
        Assert.Null(template.Publish(english.Id, CaseBuilder.Now));

        Assert.Equal(english, template.Current(ConsentLanguage.From("EN")!.Value));
        Assert.Null(template.Current(ConsentLanguage.Of("es")));
        Assert.Equal(1, template.NextVersion(ConsentLanguage.Of("es")));
        Assert.Equal(2, template.NextVersion(ConsentLanguage.Of("en")));
    }
}
