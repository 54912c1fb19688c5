using System.Text.RegularExpressions;
using KneeClinic.Documents.Consent;

namespace KneeClinic.Documents.Tests;

/// <summary>
/// What an IRB reviewer looks for, read back from the PDF of every template in both languages and under both
/// regulatory bases: the research or no-IND statement on page 1, and every element 21 CFR 50.25 and 50.27 ask for.
/// </summary>
public sealed partial class ConsentElements(Templates templates) : IClassFixture<Templates>
{
    private sealed record Words(
        string Study, string NoStudy, string NotReviewed, string Pregnancy, string MayStop, string Copy, string Teach,
        string[] StopReasons, string Refund, string WhoPays, string Rights, string Accurately, string Freely);

    private static readonly Words English = new("This is part of a research study.", "This is not part of a research study.", "has not reviewed",
        "Pregnancy and breastfeeding", "When we may stop without your agreement", "Your copy of this form", "In your own words",
        ["too few", "release checks", "recall", "infection"], "we give back", "does not plan to pay", "not part of the team",
        "explained accurately", "agreed freely");

    private static readonly Words Spanish = new("Esto es parte de un estudio de investigación.", "Esto no es parte de un estudio de investigación.",
        "no ha revisado", "Embarazo y lactancia", "Cuándo podemos detener el tratamiento sin su acuerdo", "Su copia de este formulario",
        "Con sus palabras", ["pocas", "controles", "del mercado", "infección"], "le devolvemos", "no tiene previsto pagar", "no forma parte del equipo",
        "se explicó de forma correcta", "aceptó libremente");

    [Theory]
    [MemberData(nameof(Templates.FilesAndBases), MemberType = typeof(Templates))]
    public void PageOneSaysOnWhatBasisTheProductIsGiven(string file, bool study)
    {
        var words = For(file);
        var pdf = new PdfText(templates.Render(file, Templates.Request(file, study)).Pdf);
        var pageOne = PdfText.Normalize(string.Join(' ', pdf.Pages[0]));

        Assert.Contains(study ? words.Study : words.NoStudy, pageOne);
        Assert.False(pdf.Contains(study ? words.NoStudy : words.Study), $"{file}: the other basis is printed too");
        if (study)
        {
            var s = StudyDetails.Sample;
            foreach (var detail in new[] { s.IndNumber, s.Sponsor, s.IrbName, s.IrbPhone, s.NctNumber, "40" })
                Assert.True(pdf.Contains(detail), $"{file}: study detail '{detail}' missing");
            Assert.True(pdf.Contains("ClinicalTrials.gov"));
            // The approval and its end date are printed in the patient block, on page 1 (its columns read interleaved).
            Assert.All((file.EndsWith(".es.md") ? "31 de mayo de 2027" : "May 31, 2027").Split(' '), w => Assert.Contains(w, pdf.Pages[0]));
        }
        else
        {
            Assert.True(pdf.Contains(words.NotReviewed), $"{file}: does not say what FDA has not reviewed");
            Assert.False(pdf.Contains("ClinicalTrials.gov") || pdf.Contains(StudyDetails.Sample.IndNumber));
        }
        // The template's effective date, in the patient block.
        Assert.All((file.EndsWith(".es.md") ? "7 de diciembre de 2026" : "December 7, 2026").Split(' '), w => Assert.Contains(w, pdf.Pages[0]));
    }

    [Theory]
    [MemberData(nameof(Templates.FilesAndBases), MemberType = typeof(Templates))]
    public void EveryRequiredElementIsPrinted(string file, bool study)
    {
        var words = For(file);
        var template = Templates.Load(file);
        var request = Templates.Request(file, study);
        var pdf = new PdfText(templates.Render(file, request).Pdf);
        var headings = template.Resolve(ConsentPdfValues.For(request, template), request.Basis).Blocks
            .SelectMany(b => b is ResolvedConditional c ? c.Content : [b]).OfType<ResolvedHeading>()
            .Select(h => string.Concat(h.Runs.Select(r => r.Text))).ToList();

        foreach (var heading in new[] { words.Pregnancy, words.MayStop, words.Copy })
            Assert.Contains(heading, headings);
        foreach (var reason in words.StopReasons)
            Assert.True(pdf.Contains(reason), $"{file}: reason to stop '{reason}' missing");
        // The refund policy with the clinic's percentages, in the form's culture.
        var spanish = file.EndsWith(".es.md");
        Assert.True(pdf.Contains(words.Refund));
        Assert.True(pdf.Contains(spanish ? "100 %" : "100%") && pdf.Contains(spanish ? "50 %" : "50%"), $"{file}: refund percentages missing");
        Assert.True(pdf.Contains(words.WhoPays), $"{file}: who pays for an injury is not said");
        // An independent contact for rights, and the after-hours number.
        var clinic = ConsentRequest.SampleClinic;
        Assert.True(pdf.Contains($"{clinic.RightsContactName}") && pdf.Contains(clinic.RightsContactPhone), $"{file}: rights contact missing");
        Assert.True(pdf.Contains(words.Rights));
        Assert.True(pdf.Contains(clinic.AfterHoursPhone), $"{file}: after-hours number missing");
        // Signatures: the witness attests to more than the signing; a representative states relationship and authority.
        Assert.True(pdf.Contains(words.Accurately) && pdf.Contains(words.Freely), $"{file}: witness attestation incomplete");
        Assert.True(pdf.Contains(template.Labels["representative_role"]) && pdf.Contains(template.Labels["relationship"])
            && pdf.Contains(template.Labels["authority"]));
        // Teach-back: open questions, with a column the clinician initials.
        var questions = template.Blocks.OfType<TeachBackBlock>().Single().Items.Select(i => string.Concat(i.Select(r => r.Source))).ToList();
        Assert.InRange(questions.Count, 5, 9);
        Assert.All(questions, q => Assert.True(q.TrimEnd().EndsWith('?'), $"{file}: '{q}' is not a question"));
        Assert.Contains(questions, q => q.StartsWith(words.Teach, StringComparison.Ordinal));
        Assert.True(pdf.Contains(template.Labels["teach_back_initials"]));
    }

    [Theory]
    [MemberData(nameof(Templates.Files), MemberType = typeof(Templates))]
    public void HarvestAndNumbingRisksAreSpecificToTheCellSource(string file)
    {
        var template = Templates.Load(file);
        var pdf = new PdfText(templates.Render(file).Pdf);
        var spanish = template.Header.Language == "es";
        var riskColumn = pdf.TextLeftOf(205);
        string[] expected = (template.Header.CellSource, spanish) switch
        {
            ("BoneMarrow", false) => ["Large bruise or pocket of blood", "Nerve injury", "Needle going too deep"],
            ("BoneMarrow", true) => ["Moretón grande o acumulación de sangre", "Lesión de un nervio", "Aguja que entra demasiado"],
            ("Adipose", false) => ["Numbness", "Dents or uneven skin", "Pocket of fluid", "Scarring", "Deeper injury"],
            ("Adipose", true) => ["Adormecimiento", "Hundimientos o piel irregular", "Acumulación de líquido", "Cicatriz", "Lesión más profunda"],
            ("UmbilicalCord", false) => ["Infection from the donor", "Immune reaction"],
            ("UmbilicalCord", true) => ["Infección transmitida por la persona donante", "Reacción inmunitaria"],
            var other => throw new InvalidOperationException(other.ToString()),
        };
        foreach (var risk in expected.Append(spanish ? "Reacción a la anestesia local" : "Reaction to the numbing medicine"))
            Assert.True(riskColumn.Contains(risk), $"{file}: risk '{risk}' missing");
        // A tumour could appear after the year of follow-up ends (the middle column of the risk tables).
        var whatCanHappen = pdf.TextBetween(205, 375);
        Assert.True(whatCanHappen.Contains(spanish ? "Un tumor podría aparecer después de que termine su año de seguimiento." : "A tumor could show up after your one-year follow-up ends."),
            $"{file}: late tumour risk missing");
    }

    [Theory]
    [InlineData("bone-marrow.es.md")]
    [InlineData("adipose.es.md")]
    [InlineData("umbilical-cord.es.md")]
    public void SpanishFormsPrintNoEnglishSentenceAndMoneyInTheirOwnWords(string file)
    {
        foreach (var study in new[] { false, true })
        {
            var request = Templates.Request(file, study);
            var pdf = new PdfText(templates.Render(file, request).Pdf);
            Assert.True(pdf.Contains("$4,800 a $6,500"), $"{file}: the cost range is not worded in Spanish");
            // The sample's names of people and places are English; the form's own words must not be.
            var names = new[] { request.Clinic.Name, request.Clinic.RightsContactName, request.Clinic.Address, request.ClinicianName,
                StudyDetails.Sample.Title, StudyDetails.Sample.Sponsor, StudyDetails.Sample.IrbName }.SelectMany(n => n.Split(' ')).ToHashSet();
            var text = string.Join(' ', pdf.Words.Select(w => w.Text).Where(w => !names.Contains(w)));
            var english = EnglishWord().Matches(text).Select(m => m.Value).Distinct().ToList();
            Assert.True(english.Count == 0, $"{file}: English words printed: {string.Join(", ", english)}");
        }
    }

    [Theory]
    [InlineData("bone-marrow.en.md", "$4,800 to $6,500")]
    [InlineData("umbilical-cord.en.md", "$4,800 to $6,500")]
    public void EnglishFormsPrintTheCostRange(string file, string range) =>
        Assert.True(new PdfText(templates.Render(file).Pdf).Contains(range));

    private static Words For(string file) => file.EndsWith(".es.md") ? Spanish : English;

    [GeneratedRegex(@"\b(the|and|you|your|with|this|will|not|stop|to|of|is|are|we|our|start|again|Page|Document check|Staff)\b")]
    private static partial Regex EnglishWord();
}

/// <summary>The short form of 21 CFR 50.27(b)(2), in each language the clinic offers it, under both regulatory bases.</summary>
public sealed class ShortFormRendering(Templates templates) : IClassFixture<Templates>
{
    [Theory]
    [MemberData(nameof(Templates.ShortForms), MemberType = typeof(Templates))]
    public void TheShortFormNamesThePatientTheSummaryAndHasThePatientsAndTheWitnesssSignatures(string file)
    {
        var template = Templates.Load(file);
        Assert.True(template.Header.IsShortForm);
        Assert.Equal("consent-short-form", template.Header.Code);
        var culture = System.Globalization.CultureInfo.GetCultureInfo(template.Header.Language);
        var labels = template.Labels;
        foreach (var study in new[] { false, true })
        {
            var request = Templates.Request(file, study);
            var rendered = templates.Render(file, request);
            var pdf = new PdfText(rendered.Pdf);

            Assert.Equal(template.Header.Language, pdf.Language);
            Assert.Contains("Zoë", pdf.Pages[0]);
            Assert.Contains(request.DocumentNumber, pdf.Pages[0]);
            // Dates in the form's own language: the date of birth, as the template's date format writes it.
            Assert.All(request.PatientDateOfBirth.ToString(labels["date_format"], culture).Split(' '), w => Assert.Contains(w, pdf.Pages[0]));
            Assert.Contains(culture.DateTimeFormat.GetAbbreviatedMonthName(3).TrimEnd('.')[..3].ToLowerInvariant(), string.Join(' ', pdf.Pages[0]).ToLowerInvariant());
            foreach (var key in new[] { "patient_role", "representative_role", "witness_role", "relationship", "authority", "printed_name", "signature" })
                Assert.True(pdf.Contains(labels[key]), $"{file}: '{labels[key]}' missing");
            Assert.True(pdf.Contains(request.Clinic.RightsContactPhone) && pdf.Contains(request.Clinic.AfterHoursPhone), $"{file}: contacts missing");
            Assert.Equal(study, pdf.Contains(StudyDetails.Sample.IrbName));
            // No person-obtaining-consent block: that signature goes on the written summary.
            Assert.False(pdf.Contains("Person obtaining consent"));
            Assert.All(pdf.Words, w => Assert.True(w.MinSize >= 9.99));
        }
    }

    [Theory]
    [MemberData(nameof(Templates.ShortForms), MemberType = typeof(Templates))]
    public void TheShortFormSaysWhereTheCaseCellsComeFromAndNothingAboutTheOtherSources(string file)
    {
        var template = Templates.Load(file);
        string Words(string condition) => string.Join(' ', template.Blocks.OfType<ConditionalBlock>().Single(c => c.Condition == condition).Content
            .OfType<ParagraphBlock>().SelectMany(p => p.Runs).Select(r => r.Source));
        foreach (var (condition, source) in ConsentTemplateText.CellConditions)
        {
            var pdf = new PdfText(templates.Render(file, Templates.Request(file) with { CellSource = source }).Pdf);
            foreach (var (other, _) in ConsentTemplateText.CellConditions)
                Assert.Equal(other == condition, pdf.Contains(Words(other)));
        }
    }

    [Fact]
    public void TheWrittenSummaryOfAShortFormConsentIsSignedByTheWitnessAndTheObtainerNotThePatient()
    {
        const string file = "bone-marrow.en.md";
        var labels = Templates.Load(file).Labels;
        var pdf = new PdfText(templates.Render(file, Templates.Request(file) with { ShortFormSummary = true }).Pdf);

        Assert.True(pdf.Contains(labels["short_form_note"]));
        Assert.True(pdf.Contains(labels["obtainer_role"]) && pdf.Contains(labels["witness_role"]) && pdf.Contains(labels["interpreter_role"]));
        Assert.False(pdf.Contains(labels["patient_statement"]));
        Assert.False(pdf.Contains(labels["representative_statement"]));
    }
}
