using KneeClinic.Documents.Consent;

namespace KneeClinic.Documents.Tests;

public sealed class ReadingLevels
{
    // ---- English: Flesch-Kincaid grade = 0.39 × words/sentences + 11.8 × syllables/words − 15.59 ----

    [Theory]
    [InlineData("cat", 1)]
    [InlineData("water", 2)]
    [InlineData("treatment", 2)]
    [InlineData("investigational", 6)]
    [InlineData("injected", 3)]
    [InlineData("knee", 1)]
    [InlineData("boxes", 2)]
    [InlineData("named", 1)]
    [InlineData("needle", 2)]
    [InlineData("people", 2)]
    [InlineData("pressure", 2)]
    // Fixed: a silent e after a vowel + l (the old estimator read "-le" as a syllable everywhere).
    [InlineData("while", 1)]
    [InlineData("whole", 1)]
    [InlineData("female", 2)]
    // Fixed: the plural or past of a consonant + "le" word keeps that syllable (the old one dropped it).
    [InlineData("tables", 2)]
    [InlineData("muscles", 2)]
    [InlineData("handled", 2)]
    [InlineData("called", 1)]
    [InlineData("curled", 1)]
    // Fixed: "-ing" after a vowel is a syllable of its own (the old one merged it into the vowel group).
    [InlineData("being", 2)]
    [InlineData("going", 2)]
    // Fixed: a hyphenated word counts as its parts (the old one kept the silent e of "one" in "one-time").
    [InlineData("one-time", 2)]
    [InlineData("follow-up", 3)]
    public void CountsEnglishSyllables(string word, int syllables) =>
        Assert.Equal(syllables, ReadingLevel.EnglishSyllables(word));

    [Fact]
    public void AppliesTheFleschKincaidFormula()
    {
        // The(1) cat(1) sat(1). The(1) wa-ter(2) is(1) cold(1).  7 words, 2 sentences, 8 syllables:
        // 0.39 × 7/2 + 11.8 × 8/7 − 15.59 = 1.365 + 13.486 − 15.59 = −0.739
        var result = ReadingLevel.Of(["The cat sat. The water is cold."], "en");

        Assert.Equal((7, 2, 8), (result.Words, result.Sentences, result.Syllables));
        Assert.Equal(-0.7, result.Score, 1);
        Assert.Equal(-0.7, result.Grade);
        Assert.True(result.MeetsTarget);
    }

    [Fact]
    public void ScoresAHandCountedEnglishSample()
    {
        // Counted by hand, syllables as in a dictionary:
        //   "Your knee will be cleaned first."                        6 words,  6 syllables
        //   "The doc-tor then puts a thin nee-dle in-to the joint."  10 words, 13 syllables
        //   "You may feel some pres-sure while the cells go in."     10 words, 11 syllables
        //   "Call us if the knee gets red, hot or ve-ry swol-len"    11 words, 13 syllables (no full stop: 1 sentence)
        //   "What will you do if the knee is swol-len?"               9 words, 10 syllables
        // 46 words, 5 sentences, 53 syllables: 0.39 × 46/5 + 11.8 × 53/46 − 15.59 = 3.588 + 13.596 − 15.59 = 1.594
        string[] prose =
        [
            "Your knee will be cleaned first. The doctor then puts a thin needle into the joint. You may feel some pressure while the cells go in.",
            "Call us if the knee gets red, hot or very swollen",
            "What will you do if the knee is swollen?",
        ];

        var result = ReadingLevel.Of(prose, "en");

        Assert.Equal((46, 5, 53), (result.Words, result.Sentences, result.Syllables));
        Assert.Equal(1.6, result.Score, 1);
        Assert.Equal(ReadingLevel.FleschKincaid, result.Index);
        Assert.True(result.MeetsTarget);
        Assert.Equal("grade 8 or lower", result.Target);
        Assert.Equal("", result.Band);
        Assert.Null(result.Secondary);
        Assert.Equal("Flesch-Kincaid grade 1.6 (target: 8 or lower, met)", result.Summary);
    }

    [Fact]
    public void MatchesThePublishedWorkedExampleAndFailsAboveGradeEight()
    {
        // Wikipedia, "Flesch–Kincaid readability tests": 13 words and 24 syllables, grade 11.3.
        // 0.39 × 13 + 11.8 × 24/13 − 15.59 = 5.07 + 21.785 − 15.59 = 11.265. (A dictionary gives Aus-tra-li-an and
        // rep-til-i-an four syllables each, 26 in all; the estimate, like the published count, reads "ia" as one.)
        var result = ReadingLevel.Of(["The Australian platypus is seemingly a hybrid of a mammal and reptilian creature."], "en");

        Assert.Equal((13, 1, 24), (result.Words, result.Sentences, result.Syllables));
        Assert.Equal(11.3, result.Score, 1);
        Assert.False(result.MeetsTarget);
        Assert.Equal("Flesch-Kincaid grade 11.3 (target: 8 or lower, not met)", result.Summary);
    }

    [Theory]
    [InlineData("One. Two! Three? Four", 4)]
    [InlineData("You may feel:", 1)]
    [InlineData("Ask Dr. Lee. Or ask J. Smith, e.g. by phone.", 2)]
    [InlineData("She said \"stop.\" Then she left.", 2)]
    [InlineData("Wait... Then call us.", 2)]
    [InlineData("The dose is 2.5 mL.", 1)]
    [InlineData("¿Le duele? ¡Llame ya! Llame al Dr. Ruiz, p. ej. hoy.", 3)]
    public void CountsSentencesFromTheirEndingMarks(string unit, int sentences) =>
        Assert.Equal(sentences, ReadingLevel.Sentences(unit));

    [Theory]
    [InlineData("en", ReadingLevel.FleschKincaid)]
    [InlineData("EN-gb", ReadingLevel.FleschKincaid)]
    [InlineData("es", ReadingLevel.Inflesz)]
    [InlineData("es-MX", ReadingLevel.Inflesz)]
    [InlineData("ess", "")]
    [InlineData("eng-x", "")]
    [InlineData("vi", "")]
    public void TheIndexFollowsTheLanguageNotTheFirstLettersOfItsTag(string language, string index) =>
        Assert.Equal(index, ReadingLevel.Of(["Call us today. We will help."], language).Index);

    [Fact]
    public void AnEnglishGradeAboveEightFailsTheTarget()
    {
        Assert.True(new ReadingLevelResult("en", ReadingLevel.FleschKincaid, 8.0, 100, 10, 140).MeetsTarget);
        Assert.False(new ReadingLevelResult("en", ReadingLevel.FleschKincaid, 8.1, 100, 10, 140).MeetsTarget);
    }

    // ---- Spanish: INFLESZ (Szigriszt-Pazos) = 206.835 − 62.3 × syllables/words − words/sentences ----
    // ---- Fernández-Huerta = 206.84 − 0.60 × (syllables per 100 words) − 1.02 × (words per sentence) ----

    [Theory]
    [InlineData("rodilla", 3)]
    [InlineData("investigación", 5)]
    [InlineData("tratamiento", 4)]
    [InlineData("células", 3)]
    [InlineData("articulación", 5)]
    // Diphthongs: a weak vowel (i, u) next to another vowel, unaccented, is one syllable.
    [InlineData("cuidado", 3)]     // cui-da-do
    [InlineData("puede", 2)]       // pue-de
    [InlineData("medio", 2)]       // me-dio
    [InlineData("farmacia", 3)]    // far-ma-cia
    [InlineData("ciudad", 2)]      // ciu-dad
    [InlineData("tiene", 2)]       // tie-ne
    [InlineData("huevo", 2)]       // hue-vo
    [InlineData("autólogas", 4)]   // au-tó-lo-gas
    [InlineData("buey", 1)]        // buey
    // Hiatus: an accented í or ú, or two strong vowels (a, e, o), are two syllables.
    [InlineData("día", 2)]         // dí-a
    [InlineData("país", 2)]        // pa-ís
    [InlineData("río", 2)]         // rí-o
    [InlineData("oír", 2)]         // o-ír
    [InlineData("reúne", 3)]       // re-ú-ne
    [InlineData("línea", 3)]       // lí-ne-a
    [InlineData("poeta", 3)]       // po-e-ta
    [InlineData("leer", 2)]        // le-er
    [InlineData("aéreo", 4)]       // a-é-re-o
    [InlineData("intraarticular", 6)] // in-tra-ar-ti-cu-lar
    // The u of que, qui, gue, gui is silent; ü is heard. (The old counter read a-qu-í and gu-í-a as three.)
    [InlineData("aquí", 2)]        // a-quí
    [InlineData("guía", 2)]        // guí-a
    [InlineData("seguir", 2)]      // se-guir
    [InlineData("mesenquimales", 5)] // me-sen-qui-ma-les
    [InlineData("pingüino", 3)]    // pin-güi-no
    [InlineData("agua", 2)]        // a-gua
    [InlineData("y", 1)]
    public void CountsSpanishSyllables(string word, int syllables) =>
        Assert.Equal(syllables, ReadingLevel.SpanishSyllables(word));

    [Fact]
    public void ScoresAHandCountedSpanishSample()
    {
        // Counted by hand:
        //   "Le lim-pia-mos la ro-di-lla con cui-da-do."                                 6 words, 12 syllables
        //   "Des-pués, el mé-di-co po-ne las cé-lu-las en la ar-ti-cu-la-ción."          9 words, 19 syllables
        //   "Pue-de sen-tir pre-sión du-ran-te u-nos mi-nu-tos."                         6 words, 14 syllables
        //   "Lla-me a la clí-ni-ca si tie-ne fie-bre" (no full stop: 1 sentence)        7 words, 12 syllables
        //   "¿Qué ha-rá si la ro-di-lla se hin-cha?"                                     7 words, 11 syllables
        // 35 words, 5 sentences, 68 syllables:
        //   INFLESZ          206.835 − 62.3 × 68/35 − 35/5 = 206.835 − 121.04 − 7 = 78.795 → 78.8, fairly easy
        //   Fernández-Huerta 206.84 − 0.60 × 194.29 − 1.02 × 7 = 206.84 − 116.571 − 7.14 = 83.129 → 83.1
        string[] prose =
        [
            "Le limpiamos la rodilla con cuidado. Después, el médico pone las células en la articulación. Puede sentir presión durante unos minutos.",
            "Llame a la clínica si tiene fiebre",
            "¿Qué hará si la rodilla se hincha?",
        ];

        var result = ReadingLevel.Of(prose, "es");

        Assert.Equal((35, 5, 68), (result.Words, result.Sentences, result.Syllables));
        Assert.Equal(ReadingLevel.Inflesz, result.Index);
        Assert.Equal(78.8, result.Score, 1);
        Assert.Equal(83.1, result.Secondary!.Value, 1);
        Assert.Equal("fairly easy", result.Band);
        Assert.True(result.MeetsTarget);
        Assert.Null(result.Grade);
        Assert.Equal("INFLESZ 55 or more", result.Target);
        Assert.Equal("INFLESZ 78.8, fairly easy (target: 55 or more, met); Fernández-Huerta 83.1", result.Summary);
    }

    [Fact]
    public void ScoresAHardSpanishSampleBelowTheTarget()
    {
        // La(1) ad-mi-nis-tra-ción(5) in-tra-ar-ti-cu-lar(6) de(1) cé-lu-las(3) me-sen-qui-ma-les(5) au-tó-lo-gas(4)
        // cons-ti-tu-ye(4) un(1) pro-ce-di-mien-to(5) ex-pe-ri-men-tal(5) cu-ya(2) se-gu-ri-dad(4) y(1)
        // e-fi-ca-cia(4) no(1) han(1) si-do(2) de-mos-tra-das(4).  19 words, 1 sentence, 59 syllables:
        //   INFLESZ          206.835 − 62.3 × 59/19 − 19 = 206.835 − 193.458 − 19 = −5.623 → −5.6, very difficult
        //   Fernández-Huerta 206.84 − 0.60 × 310.53 − 1.02 × 19 = 206.84 − 186.316 − 19.38 = 1.144 → 1.1
        var result = ReadingLevel.Of(["La administración intraarticular de células mesenquimales autólogas constituye un procedimiento experimental cuya seguridad y eficacia no han sido demostradas."], "es");

        Assert.Equal((19, 1, 59), (result.Words, result.Sentences, result.Syllables));
        Assert.Equal(-5.6, result.Score, 1);
        Assert.Equal(1.1, result.Secondary!.Value, 1);
        Assert.Equal("very difficult", result.Band);
        Assert.False(result.MeetsTarget);
        Assert.Equal("INFLESZ -5.6, very difficult (target: 55 or more, not met); Fernández-Huerta 1.1", result.Summary);
    }

    [Fact]
    public void FernandezHuertaRisesWhenTheSameWordsAreSplitIntoMoreSentences()
    {
        // The often-quoted form with F = sentences per 100 words would fall here; the corrected one rises.
        var one = ReadingLevel.Of(["Le limpiamos la rodilla con cuidado y después el médico pone las células en la articulación."], "es");
        var two = ReadingLevel.Of(["Le limpiamos la rodilla con cuidado. Y después el médico pone las células en la articulación."], "es");

        Assert.Equal(one.Words, two.Words);
        Assert.True(two.Secondary > one.Secondary);
        Assert.True(two.Score > one.Score);
    }

    [Theory]
    [InlineData(39.9, "very difficult", false)]
    [InlineData(40.0, "somewhat difficult", false)]
    [InlineData(54.9, "somewhat difficult", false)]
    [InlineData(55.0, "normal", true)]
    [InlineData(64.9, "normal", true)]
    [InlineData(65.0, "fairly easy", true)]
    [InlineData(80.0, "fairly easy", true)]
    [InlineData(80.1, "very easy", true)]
    public void ASpanishScoreBelowFiftyFiveFailsTheTarget(double score, string band, bool meets)
    {
        var result = new ReadingLevelResult("es", ReadingLevel.Inflesz, score, 100, 10, 200, 60);

        Assert.Equal(band, result.Band);
        Assert.Equal(meets, result.MeetsTarget);
    }

    [Fact]
    public void ALanguageWithoutAFormulaIsNotScoredAsEnglish()
    {
        var result = ReadingLevel.Of(["Le genou sera nettoyé."], "fr");

        Assert.Equal("", result.Index);
        Assert.False(result.MeetsTarget);
        Assert.Equal("No reading-level formula for language \"fr\"", result.Summary);
    }

    // ---- Prose: what is counted ----

    [Fact]
    public void OnlyRunningProseIsCountedNotTheTitleHeadingsOrTableCells()
    {
        var labels = string.Concat(ConsentLabels.Required.Select(k => $"  {k}: \"{(k == "date_format" ? "yyyy-MM-dd" : "Label")}\"\n"));
        var source = $"""
            ---
            code: consent-test
            version: 1
            language: en
            cell_source: BoneMarrow
            effective_date: 2026-12-01
            requires_reconsent: false
            title: "A title of many words that is not a sentence"
            short_title: "Test"
            labels:
            {labels}---

            ::: investigational
            This is investigational.
            :::

            # What happens on the day

            Your knee will be cleaned first. Then the doctor puts in the needle.

            | Step | When |
            |---|---|
            | Cleaning the knee | First thing |
            | Injection of cells | Next |

            - Call us if the knee is red

            ::: no-study
            This is not part of a study.
            :::

            ::: study
            This is part of a study.
            :::

            ::: clinicaltrials
            The study is listed online.
            :::

            ## Check your understanding

            ::: teach-back
            - What will you do if the knee is red?
            :::
            """;

        var text = ConsentTemplateText.Parse(source).Resolve(new Dictionary<string, string>());

        Assert.Equal(
        [
            "This is investigational.",
            "Your knee will be cleaned first. Then the doctor puts in the needle.",
            "Call us if the knee is red",
            "This is not part of a study.",
            "What will you do if the knee is red?",
        ], text.Prose());
        var level = ReadingLevel.Of(text, "en");
        // 3 + 13 + 7 + 7 + 9 words; sentences: 1 + 2 + 1 + 1 + 1. No heading, title or table cell adds one.
        Assert.Equal((39, 6), (level.Words, level.Sentences));
    }

    private sealed record Box(IReadOnlyList<ResolvedBlock> Content) : ResolvedBlock;

    [Fact]
    public void ProseIsReadInsideAnyBlockThatHoldsBlocks()
    {
        static IReadOnlyList<ResolvedRun> Runs(string text) => [new(text, Fonts.FontFace.Regular)];
        var text = new ResolvedConsentText(new ConsentTemplateHeader(), "Title",
        [
            new ResolvedInvestigational([new ResolvedHeading(2, Runs("Box heading")), new ResolvedParagraph(Runs("In the box."))]),
            new Box([new ResolvedParagraph(Runs("In a new kind of block.")), new ResolvedBullets([Runs("A listed point.")])]),
            new ResolvedTable([Runs("Cell")], [[Runs("Cell.")]]),
            new ResolvedTeachBack([Runs("Why is it investigational?")]),
        ]);

        Assert.Equal(["In the box.", "In a new kind of block.", "A listed point.", "Why is it investigational?"], text.Prose());
    }
}
