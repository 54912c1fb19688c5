using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using KneeClinic.Documents.Fonts;
using KneeClinic.Documents.Layout;

namespace KneeClinic.Documents.Consent;

/// <summary>
/// The consent form as a document: clinic header, title, patient block, the boxed investigational
/// statement, the template's sections, screening notes, teach-back, signatures and a verification code.
/// </summary>
public sealed class ConsentPdf : IDocument
{
    private readonly ResolvedConsentText _text;
    private readonly ConsentRequest _request;
    private readonly ConsentLabels _labels;
    private readonly CultureInfo _culture;

    public ConsentPdf(ConsentTemplateText template, ConsentRequest request)
    {
        _request = request;
        _labels = ConsentLabels.For(template.Header.Language);
        _culture = CultureInfo.GetCultureInfo(template.Header.Language.StartsWith("es", StringComparison.OrdinalIgnoreCase) ? "es-US" : "en-US");
        _text = template.Resolve(Values(template, request));
        ContentHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalText())));
        Frame = new DocumentFrame(
            Title: _text.Title,
            Author: request.Clinic.Name,
            Subject: request.DocumentNumber,
            CreatedAt: request.GeneratedAt,
            HeaderLeft: request.Clinic.Name,
            HeaderRight: _text.Title,
            FooterLeft: $"{request.DocumentNumber} · {_labels.Template} {template.Header.Code} v{template.Header.Version} ({template.Header.Language})",
            FooterRight: $"SHA-256 {ShortHash}",
            PageLabel: _labels.PageLabel);
    }

    public DocumentFrame Frame { get; }

    /// <summary>SHA-256 of the document's text and data, printed (shortened) in every footer.</summary>
    public string ContentHash { get; }

    public string ShortHash => ContentHash[..16];

    public string Title => _text.Title;

    public IReadOnlyList<IComponent> Compose()
    {
        var c = new List<IComponent>
        {
            new Paragraph(_request.Clinic.Name, Typography.ClinicName, spaceBefore: 0),
            new Paragraph($"{_request.Clinic.Address} · {_request.Clinic.Phone}", Typography.Small, spaceBefore: 1),
            new Paragraph(_text.Title, Typography.Title, spaceBefore: 10),
            new FieldGrid(
            [
                (_labels.Patient, _request.PatientName),
                (_labels.DateOfBirth, Date(_request.PatientDateOfBirth)),
                (_labels.Mrn, _request.PatientMrn),
                (_labels.Knee, KneeWord()),
                (_labels.Clinician, _request.ClinicianName),
                (_labels.DocumentNumber, _request.DocumentNumber),
                (_labels.Generated, Date(DateOnly.FromDateTime(_request.GeneratedAt.UtcDateTime))),
            ]),
        };
        var notesPlaced = false;
        foreach (var block in _text.Blocks)
        {
            c.AddRange(Components(block));
            if (block is ResolvedInvestigational && !notesPlaced)
            {
                c.AddRange(Notes());
                notesPlaced = true;
            }
        }
        c.Add(new Paragraph(_labels.SignaturesHeading, Typography.Heading, spaceBefore: 14, keepWithNext: true));
        string[] lines = [_labels.PrintedName, _labels.Signature, _labels.Date, _labels.Time];
        c.Add(new SignatureBlock(_labels.PatientRole, _labels.PatientMeaning, lines));
        c.Add(new SignatureBlock(_labels.ObtainerRole, _labels.ObtainerMeaning, lines));
        c.Add(new SignatureBlock(_labels.WitnessRole, _labels.WitnessMeaning, lines));
        c.Add(new SignatureBlock(_labels.InterpreterRole, _labels.InterpreterMeaning, [.. lines, _labels.Language]));
        c.Add(new QrCode(_request.VerificationUrl,
        [
            new Run(_labels.VerifyCaption + " ", Typography.Small),
            new Run(_request.DocumentNumber, Typography.Small.With(FontFace.Bold)),
            new Run($" · SHA-256 {ShortHash}", Typography.Small),
        ]));
        return c;
    }

    private IEnumerable<IComponent> Notes()
    {
        if (_request.PatientNotes.Count == 0) yield break;
        yield return new Paragraph(_labels.NotesHeading, Typography.Heading, spaceBefore: 12, keepWithNext: true);
        yield return new BulletList(_request.PatientNotes.Select(n => (IReadOnlyList<Run>)[new Run(n, Typography.Body)]).ToList());
    }

    private IEnumerable<IComponent> Components(ResolvedBlock block) => block switch
    {
        ResolvedHeading { Level: <= 2 } h => [new Paragraph(Runs(h.Runs, Typography.Heading), spaceBefore: 12, keepWithNext: true)],
        ResolvedHeading h => [new Paragraph(Runs(h.Runs, Typography.SubHeading), spaceBefore: 8, keepWithNext: true)],
        ResolvedParagraph p => [new Paragraph(Runs(p.Runs, Typography.Body))],
        ResolvedBullets l => [new BulletList(l.Items.Select(i => Runs(i, Typography.Body)).ToList())],
        ResolvedTable t => [new Table(Weights(t.Header.Count), t.Header.Select(h => Runs(h, Typography.TableHeader)).ToList(),
            t.Rows.Select(r => (IReadOnlyList<IReadOnlyList<Run>>)r.Select(cell => Runs(cell, Typography.TableBody)).ToList()).ToList())],
        ResolvedInvestigational i => [new Box(i.Content.SelectMany(Components).ToList(), Typography.Accent, Typography.Shade)],
        ResolvedTeachBack t => [new Checklist(t.Items.Select(i => Runs(i, Typography.Body)).ToList(), _labels.Initials)],
        _ => [],
    };

    private static IReadOnlyList<Run> Runs(IReadOnlyList<ResolvedRun> runs, TextStyle style) =>
        runs.Select(r => new Run(r.Text, style with { Face = Combine(style.Face, r.Face) })).ToList();

    private static FontFace Combine(FontFace a, FontFace b)
    {
        var bold = a is FontFace.Bold or FontFace.BoldItalic || b is FontFace.Bold or FontFace.BoldItalic;
        var italic = a is FontFace.Italic or FontFace.BoldItalic || b is FontFace.Italic or FontFace.BoldItalic;
        return bold && italic ? FontFace.BoldItalic : bold ? FontFace.Bold : italic ? FontFace.Italic : FontFace.Regular;
    }

    private static float[] Weights(int columns) => columns switch
    {
        2 => [1, 2],
        3 => [1.1f, 2, 2],
        _ => Enumerable.Repeat(1f, columns).ToArray(),
    };

    private string Date(DateOnly date) => date.ToString(_labels.DateFormat, _culture);

    private string KneeWord() => _request.Knee == Knee.Left ? _labels.Left : _labels.Right;

    private Dictionary<string, string> Values(ConsentTemplateText template, ConsentRequest r) =>
        ConsentPdfValues.For(r, template.Header.Language);

    private string CanonicalText()
    {
        var text = new StringBuilder();
        text.AppendLine(_request.DocumentNumber).AppendLine(_text.Header.Code).AppendLine(_text.Header.Version.ToString(CultureInfo.InvariantCulture))
            .AppendLine(_text.Title).AppendLine(_request.PatientName).AppendLine(_request.PatientDateOfBirth.ToString("O"))
            .AppendLine(_request.PatientMrn).AppendLine(KneeWord()).AppendLine(_request.ClinicianName);
        foreach (var note in _request.PatientNotes) text.AppendLine(note);
        foreach (var unit in _text.Units()) text.Append(unit).Append('\u001f');
        return text.ToString();
    }


}

/// <summary>The placeholder values of a consent, in the template's language.</summary>
public static class ConsentPdfValues
{
    public static Dictionary<string, string> For(ConsentRequest r, string language)
    {
        var labels = ConsentLabels.For(language);
        var culture = CultureInfo.GetCultureInfo(language.StartsWith("es", StringComparison.OrdinalIgnoreCase) ? "es-US" : "en-US");
        return new()
        {
            ["patient.name"] = r.PatientName,
            ["patient.date_of_birth"] = r.PatientDateOfBirth.ToString(labels.DateFormat, culture),
            ["patient.mrn"] = r.PatientMrn,
            ["case.knee"] = r.Knee == Knee.Left ? labels.Left : labels.Right,
            ["clinician.name"] = r.ClinicianName,
            ["clinic.name"] = r.Clinic.Name,
            ["clinic.phone"] = r.Clinic.Phone,
            ["clinic.address"] = r.Clinic.Address,
            ["cost.estimate"] = r.CostEstimate,
        };
    }

    public static Dictionary<string, string> Sample(string language) => For(ConsentRequest.Sample(DateTimeOffset.UnixEpoch, language), language);
}

/// <summary>Renders consent forms: the only entry point the app needs.</summary>
public sealed class ConsentRenderer(FontSet fonts)
{
    private readonly PdfRenderer _pdf = new(fonts);

    public RenderedConsent Render(ConsentTemplateText template, ConsentRequest request)
    {
        var document = new ConsentPdf(template, request);
        var pdf = _pdf.Render(document);
        return new RenderedConsent(pdf.Bytes, Convert.ToHexStringLower(SHA256.HashData(pdf.Bytes)), document.ContentHash, pdf.Pages, document.Title);
    }
}
