using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using KneeClinic.Documents.Fonts;
using KneeClinic.Documents.Layout;

namespace KneeClinic.Documents.Consent;

/// <summary>
/// The consent form as a document: clinic header, title, patient block, the boxed investigational statement and
/// the regulatory basis, the template's sections, screening notes, teach-back, signatures and a verification code.
/// Every word comes from the template (its text and its labels) or from the case: none is written here.
/// </summary>
public sealed class ConsentPdf : IDocument
{
    private readonly ResolvedConsentText _text;
    private readonly ConsentTemplateText _template;
    private readonly ConsentRequest _request;
    private readonly ConsentLabels _labels;
    private readonly CultureInfo _culture;
    private readonly Typography _type;
    private readonly List<IComponent> _body;

    public ConsentPdf(ConsentTemplateText template, ConsentRequest request)
    {
        _template = template;
        _request = request;
        _labels = template.Labels;
        _culture = ConsentPdfValues.Culture(template.Header.Language);
        _type = request.LargePrint ? Typography.LargePrint : Typography.Standard;
        _text = template.Resolve(ConsentPdfValues.For(request, template), request.Basis, request.CellSource);
        _body = Body();
        ContentHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalText())));
        var header = template.Header;
        Frame = new DocumentFrame(
            Title: _text.Title,
            Author: request.Clinic.Name,
            Subject: request.DocumentNumber,
            CreatedAt: request.GeneratedAt,
            HeaderLeft: request.Clinic.Name,
            HeaderRight: header.ShortTitle,
            FooterLeft: $"{request.DocumentNumber} · {header.Code} v{header.Version} ({header.Language})",
            FooterRight: $"{_labels["document_check"]}: {ShortHash}",
            PageLabel: _labels.PageFormat,
            Language: _culture.Name)
        { Typography = _type };
    }

    public DocumentFrame Frame { get; }

    /// <summary>SHA-256 of every word the form prints (besides this hash and the page numbers).</summary>
    public string ContentHash { get; }

    public string ShortHash => ContentHash[..16];

    public string Title => _text.Title;

    public IReadOnlyList<IComponent> Compose() =>
    [
        .. _body,
        new QrCode(_request.VerificationUrl,
        [
            new Run(_labels["verify_caption"] + " ", _type.Small),
            new Run(_request.DocumentNumber, _type.Small.With(FontFace.Bold)),
            new Run($" · {_labels["document_check"]}: {ShortHash}", _type.Small),
        ]),
    ];

    private List<IComponent> Body()
    {
        var c = new List<IComponent>
        {
            new Paragraph(_request.Clinic.Name, _type.ClinicName, spaceBefore: 0),
            new Paragraph($"{_request.Clinic.Address} · {_request.Clinic.Phone}", _type.Small, spaceBefore: 1),
            new Paragraph(_text.Title, _type.Title, spaceBefore: 10),
            new FieldGrid(Fields(), _type),
        };
        var notesPlaced = false;
        var blocks = _text.Blocks;
        for (var i = 0; i < blocks.Count; i++)
        {
            // The screening notes follow the investigational box and the statement of the basis, on page 1.
            if (!notesPlaced && i > 0 && blocks[i] is not ResolvedConditional)
            {
                c.AddRange(Notes());
                notesPlaced = true;
            }
            c.AddRange(Components(blocks[i], IntroducesNext(blocks, i)));
        }
        c.AddRange(Signatures());
        return c;
    }

    private List<(string, string)> Fields()
    {
        var header = _template.Header;
        var fields = new List<(string, string)>
        {
            (_labels["patient"], _request.PatientName),
            (_labels["date_of_birth"], Date(_request.PatientDateOfBirth)),
            (_labels["mrn"], _request.PatientMrn),
        };
        if (!header.IsShortForm) fields.AddRange([(_labels["knee"], KneeWord()), (_labels["clinician"], _request.ClinicianName)]);
        fields.AddRange(
        [
            (_labels["document_number"], _request.DocumentNumber),
            (_labels["prepared_on"], Date(DateOnly.FromDateTime(_request.GeneratedAt.UtcDateTime))),
            (_labels["form_version"], _labels.Fill("form_version_value", ("code", header.Code),
                ("version", header.Version.ToString(_culture)), ("date", Date(header.EffectiveDate)))),
        ]);
        if (_request.Study is { IrbApproved: { } approved, IrbExpires: { } expires } && !header.IsShortForm)
            fields.Add((_labels["irb_approval"], _labels.Fill("irb_approval_value", ("approved", Date(approved)), ("expires", Date(expires)))));
        return fields;
    }

    // A sentence that introduces a table or a list stays on the page with it.
    private static bool IntroducesNext(IReadOnlyList<ResolvedBlock> blocks, int i) =>
        i + 1 < blocks.Count && blocks[i] is ResolvedParagraph or ResolvedConditional
        && First(blocks[i + 1]) is ResolvedTable or ResolvedBullets or ResolvedTeachBack;

    private static ResolvedBlock? First(ResolvedBlock block) => block is ResolvedConditional c ? (c.Content.Count > 0 ? c.Content[0] : null) : block;

    private IEnumerable<IComponent> Notes()
    {
        if (_request.PatientNotes.Count == 0 || _template.Header.IsShortForm) yield break;
        yield return new Paragraph(_labels["notes_heading"], _type.Heading, spaceBefore: 14, keepWithNext: true);
        yield return new BulletList(_request.PatientNotes.Select(n => (IReadOnlyList<Run>)[new Run(Note(n), _type.Body)]).ToList(), _type.Bullet);
    }

    private string Note(MedicineNote note)
    {
        (string, string)[] values =
        [
            ("medicine", note.Medicine),
            ("kind", _labels[note.Kind switch
            {
                MedicineKind.Anticoagulant => "note_anticoagulant",
                MedicineKind.Nsaid => "note_nsaid",
                _ => throw new InvalidOperationException(note.Kind.ToString()),
            }]),
            ("from", note.PauseFrom is { } from ? Date(from) : ""),
            ("to", note.ResumeOn is { } to ? Date(to) : ""),
        ];
        return _labels.Fill((note.PauseFrom, note.ResumeOn) switch
        {
            ({ }, { }) => "note_stop_and_restart",
            ({ }, null) => "note_stop",
            _ => "note_ask",
        }, values);
    }

    private IEnumerable<IComponent> Signatures()
    {
        yield return new Paragraph(_labels["signatures_heading"], _type.Heading, spaceBefore: 16, keepWithNext: true);
        yield return new Paragraph([new Run(_labels["signatures_intro"], _type.Body)], keepWithNext: true);
        if (_request.ShortFormSummary && !_template.Header.IsShortForm)
            yield return new Paragraph([new Run(_labels["short_form_note"], _type.Body)], keepWithNext: true);
        var blocks = SignatureBlocks();
        // No page may hold a lone signature block or the code alone: the first block stays with the heading, the last two
        // with each other and the QR code, and those between go in pairs.
        for (var i = 0; i < blocks.Count; i++)
            yield return new SignatureBlock(blocks[i].Role, blocks[i].Statement, blocks[i].Lines, _type,
                keepWithNext: i >= blocks.Count - 2 || (i > 0 && (blocks.Count - 2 - i) % 2 == 0));
    }

    /// <summary>
    /// Who signs, what their signature means, and the lines they fill in. The short form: the patient (or their
    /// representative) and the witness. Its written summary: the person obtaining consent, the witness and the interpreter.
    /// </summary>
    private List<(string Role, string Statement, string[] Lines)> SignatureBlocks()
    {
        string[] lines = [_labels["printed_name"], _labels["signature"], _labels["date"], _labels["time"]];
        string[] representative = [_labels["printed_name"], _labels["signature"], _labels["relationship"], _labels["authority"], _labels["date"], _labels["time"]];
        var blocks = new List<(string Role, string Statement, string[] Lines)>();
        if (_template.Header.IsShortForm || !_request.ShortFormSummary)
        {
            blocks.Add((_labels["patient_role"], _labels["patient_statement"], lines));
            blocks.Add((_labels["representative_role"], _labels["representative_statement"], representative));
        }
        if (_template.Header.IsShortForm)
        {
            blocks.Add((_labels["witness_role"], _labels["witness_statement"], lines));
            return blocks;
        }
        blocks.Add((_labels["obtainer_role"], _labels["obtainer_statement"], lines));
        blocks.Add((_labels["witness_role"], _labels["witness_statement"], lines));
        blocks.Add((_labels["interpreter_role"], _labels["interpreter_statement"], [.. lines, _labels["language"]]));
        return blocks;
    }

    /// <summary>
    /// The same form as an HTML page for screen-reader users (SkiaSharp 3.119 cannot write a tagged PDF): the same words
    /// in the same order, with the page's language, real headings, lists and tables with header cells.
    /// </summary>
    public string Html()
    {
        var h = new StringBuilder();
        string E(string text) => System.Net.WebUtility.HtmlEncode(text);
        string R(IReadOnlyList<ResolvedRun> runs) => string.Concat(runs.Select(r => r.Face switch
        {
            FontFace.Bold => $"<strong>{E(r.Text)}</strong>",
            FontFace.Italic => $"<em>{E(r.Text)}</em>",
            FontFace.BoldItalic => $"<strong><em>{E(r.Text)}</em></strong>",
            _ => E(r.Text),
        }));
        h.Append("<!DOCTYPE html>\n<html lang=\"").Append(_culture.Name).Append("\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(E(_text.Title))
            .Append("</title>\n<style>").Append(HtmlStyle(_type)).Append("</style>\n</head>\n<body>\n<header><p class=\"clinic\">").Append(E(_request.Clinic.Name))
            .Append("</p><p>").Append(E($"{_request.Clinic.Address} · {_request.Clinic.Phone}")).Append("</p></header>\n<main>\n<h1>").Append(E(_text.Title)).Append("</h1>\n<dl>");
        foreach (var (label, value) in Fields()) h.Append("<div><dt>").Append(E(label)).Append("</dt><dd>").Append(E(value)).Append("</dd></div>");
        h.Append("</dl>\n");
        var notesPlaced = false;
        for (var i = 0; i < _text.Blocks.Count; i++)
        {
            if (!notesPlaced && i > 0 && _text.Blocks[i] is not ResolvedConditional)
            {
                if (_request.PatientNotes.Count > 0 && !_template.Header.IsShortForm)
                {
                    h.Append("<h2>").Append(E(_labels["notes_heading"])).Append("</h2>\n<ul>");
                    foreach (var note in _request.PatientNotes) h.Append("<li>").Append(E(Note(note))).Append("</li>");
                    h.Append("</ul>\n");
                }
                notesPlaced = true;
            }
            Block(_text.Blocks[i]);
        }
        h.Append("<section aria-labelledby=\"signatures\">\n<h2 id=\"signatures\">").Append(E(_labels["signatures_heading"])).Append("</h2>\n<p>")
            .Append(E(_labels["signatures_intro"])).Append("</p>\n");
        if (_request.ShortFormSummary && !_template.Header.IsShortForm) h.Append("<p>").Append(E(_labels["short_form_note"])).Append("</p>\n");
        foreach (var (role, statement, lines) in SignatureBlocks())
        {
            h.Append("<h3>").Append(E(role)).Append("</h3>\n<p>").Append(E(statement)).Append("</p>\n<ul class=\"lines\">");
            foreach (var line in lines) h.Append("<li>").Append(E(line)).Append("</li>");
            h.Append("</ul>\n");
        }
        h.Append("</section>\n</main>\n<footer><p>").Append(E(Frame.FooterLeft)).Append("</p><p>").Append(E(Frame.FooterRight)).Append("</p><p>")
            .Append(E($"{_labels["verify_caption"]} {_request.DocumentNumber}")).Append("</p></footer>\n</body>\n</html>\n");
        return h.ToString();

        void Block(ResolvedBlock block)
        {
            switch (block)
            {
                case ResolvedHeading { Level: <= 2 } heading:
                    h.Append("<h2>").Append(R(heading.Runs)).Append("</h2>\n");
                    break;
                case ResolvedHeading heading:
                    h.Append("<h3>").Append(R(heading.Runs)).Append("</h3>\n");
                    break;
                case ResolvedParagraph paragraph:
                    h.Append("<p>").Append(R(paragraph.Runs)).Append("</p>\n");
                    break;
                case ResolvedBullets list:
                    h.Append("<ul>").AppendJoin("", list.Items.Select(item => $"<li>{R(item)}</li>")).Append("</ul>\n");
                    break;
                case ResolvedTable table:
                    h.Append("<table>\n<thead><tr>").AppendJoin("", table.Header.Select(c => $"<th scope=\"col\">{R(c)}</th>")).Append("</tr></thead>\n<tbody>");
                    foreach (var row in table.Rows)
                        h.Append("<tr><th scope=\"row\">").Append(R(row[0])).Append("</th>").AppendJoin("", row.Skip(1).Select(c => $"<td>{R(c)}</td>")).Append("</tr>");
                    h.Append("</tbody>\n</table>\n");
                    break;
                case ResolvedInvestigational box:
                    h.Append("<section class=\"investigational\" role=\"note\">\n");
                    foreach (var inner in box.Content) Block(inner);
                    h.Append("</section>\n");
                    break;
                case ResolvedTeachBack teachBack:
                    h.Append("<table class=\"teach-back\">\n<thead><tr><th scope=\"col\">").Append(E(_labels["teach_back_question"])).Append("</th><th scope=\"col\">")
                        .Append(E(_labels["teach_back_initials"])).Append("</th></tr></thead>\n<tbody>")
                        .AppendJoin("", teachBack.Items.Select(q => $"<tr><td>{R(q)}</td><td></td></tr>")).Append("</tbody>\n</table>\n");
                    break;
                case ResolvedConditional conditional:
                    foreach (var inner in conditional.Content) Block(inner);
                    break;
                default:
                    throw new InvalidOperationException(block.GetType().Name);
            }
        }
    }

    // Print styles in the same sizes as the PDF, so a browser prints the page as the form is printed.
    private static string HtmlStyle(Typography t) =>
        $"@page{{size:letter;margin:0.75in {PdfRenderer.SideMargin / 72:0.##}in}}" +
        $"body{{font-family:'DejaVu Sans',sans-serif;font-size:{t.Body.Size}pt;line-height:{t.Body.LineHeight};color:#1f2328;max-width:36em;margin:auto}}" +
        $"h1{{font-size:{t.Title.Size}pt}}h2{{font-size:{t.Heading.Size}pt;color:#0b4f9c;break-after:avoid}}h3{{font-size:{t.SubHeading.Size}pt;break-after:avoid}}" +
        $"table{{border-collapse:collapse;font-size:{t.TableBody.Size}pt;width:100%}}th,td{{border:1px solid #8a939c;padding:4pt;text-align:left;vertical-align:top}}" +
        "tr{break-inside:avoid}thead th{background:#e9eff7}.investigational{border:1.5pt solid #0b4f9c;background:#e9eff7;padding:0 8pt}" +
        $"dl{{display:grid;grid-template-columns:repeat(3,1fr);gap:4pt}}dt{{font-weight:bold;font-size:{t.Label.Size}pt}}dd{{margin:0}}" +
        ".teach-back td:last-child{width:8em;height:0.6in}.lines{list-style:none;padding:0;display:grid;grid-template-columns:1fr 1fr;gap:0 16pt}" +
        ".lines li{border-top:0.8pt solid #1f2328;margin-top:0.6in;font-size:10pt}h3+p+.lines{break-before:avoid}footer{font-size:10pt}";

    private IEnumerable<IComponent> Components(ResolvedBlock block, bool keepWithNext = false) => block switch
    {
        ResolvedHeading { Level: <= 2 } h => [new Paragraph(Runs(h.Runs, _type.Heading), spaceBefore: 16, keepWithNext: true)],
        ResolvedHeading h => [new Paragraph(Runs(h.Runs, _type.SubHeading), spaceBefore: 10, keepWithNext: true)],
        ResolvedParagraph p => [new Paragraph(Runs(p.Runs, _type.Body), spaceBefore: 6, keepWithNext: keepWithNext)],
        ResolvedBullets l => [new BulletList(l.Items.Select(i => Runs(i, _type.Body)).ToList(), _type.Bullet)],
        ResolvedTable t => [new Table(Weights(t.Header.Count), t.Header.Select(h => Runs(h, _type.TableHeader)).ToList(),
            t.Rows.Select(r => (IReadOnlyList<IReadOnlyList<Run>>)r.Select(cell => Runs(cell, _type.TableBody)).ToList()).ToList())],
        ResolvedInvestigational i => [new Box(i.Content.SelectMany(b => Components(b)).ToList(), Typography.Accent, Typography.Shade)],
        ResolvedTeachBack t => [TeachBack(t)],
        ResolvedConditional c => c.Content.SelectMany((b, i) => Components(b, i == c.Content.Count - 1 ? keepWithNext : IntroducesNext(c.Content, i))),
        _ => throw new InvalidOperationException(block.GetType().Name),
    };

    /// <summary>Open questions, each with a box the clinician initials once the patient has explained it back.</summary>
    private Table TeachBack(ResolvedTeachBack t) => new(
        [4.2f, 1.3f],
        [[new Run(_labels["teach_back_question"], _type.TableHeader)], [new Run(_labels["teach_back_initials"], _type.TableHeader)]],
        t.Items.Select(i => (IReadOnlyList<IReadOnlyList<Run>>)[Runs(i, _type.Body), []]).ToList(),
        minRowHeight: SignatureBlock.WritingSpace + 4);

    private static List<Run> Runs(IReadOnlyList<ResolvedRun> runs, TextStyle style) =>
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
        3 => [1.35f, 2, 1.65f],
        _ => Enumerable.Repeat(1f, columns).ToArray(),
    };

    private string Date(DateOnly date) => date.ToString(_labels["date_format"], _culture);

    private string KneeWord() => _request.Knee == Knee.Left ? _labels["left"] : _labels["right"];

    // Every word the form prints, in order, besides the hash itself and the page numbers.
    private string CanonicalText()
    {
        var text = new StringBuilder();
        text.AppendLine(_request.DocumentNumber).AppendLine(_template.Header.Code)
            .AppendLine(_template.Header.Version.ToString(CultureInfo.InvariantCulture)).AppendLine(_template.Header.Language)
            .AppendLine(_template.Header.ShortTitle).AppendLine(_request.VerificationUrl);
        foreach (var run in _body.SelectMany(c => c.Runs())) text.Append(run.Text).Append('\u001f');
        return text.ToString();
    }
}

/// <summary>The placeholder values of a consent, in the template's language and culture.</summary>
public static class ConsentPdfValues
{
    /// <summary>The culture dates, money and percentages are written in: US English and US Spanish, else the language's own.</summary>
    public static CultureInfo Culture(string language)
    {
        if (LanguageTag.IsEnglish(language)) return CultureInfo.GetCultureInfo("en-US");
        if (LanguageTag.IsSpanish(language)) return CultureInfo.GetCultureInfo("es-US");
        try
        {
            return CultureInfo.GetCultureInfo(language, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            throw new TemplateFormatException($"language: {language} is not a language tag this system knows.");
        }
    }

    public static Dictionary<string, string> For(ConsentRequest r, ConsentTemplateText template)
    {
        var labels = template.Labels;
        var culture = Culture(template.Header.Language);
        string Date(DateOnly? d) => d?.ToString(labels["date_format"], culture) ?? "";
        var values = new Dictionary<string, string>
        {
            ["patient.name"] = r.PatientName,
            ["patient.date_of_birth"] = Date(r.PatientDateOfBirth),
            ["patient.mrn"] = r.PatientMrn,
            ["case.knee"] = r.Knee == Knee.Left ? labels["left"] : labels["right"],
            ["clinician.name"] = r.ClinicianName,
            ["clinic.name"] = r.Clinic.Name,
            ["clinic.phone"] = r.Clinic.Phone,
            ["clinic.address"] = r.Clinic.Address,
            ["clinic.after_hours_phone"] = r.Clinic.AfterHoursPhone,
            ["rights.name"] = r.Clinic.RightsContactName,
            ["rights.phone"] = r.Clinic.RightsContactPhone,
            ["cost.low"] = r.Cost.Low.ToString("C0", culture),
            ["cost.high"] = r.Cost.High.ToString("C0", culture),
            ["fee.refund_before_start"] = r.Clinic.RefundBeforeStart.ToString("P0", culture),
            ["fee.refund_after_start"] = r.Clinic.RefundAfterStart.ToString("P0", culture),
        };
        if (r.Study is { } s)
        {
            values["study.title"] = s.Title;
            values["study.ind_number"] = s.IndNumber;
            values["study.sponsor"] = s.Sponsor;
            values["study.irb_name"] = s.IrbName;
            values["study.irb_phone"] = s.IrbPhone;
            values["study.irb_approved"] = Date(s.IrbApproved);
            values["study.irb_expires"] = Date(s.IrbExpires);
            values["study.nct_number"] = s.NctNumber;
            values["study.participants"] = s.Participants?.ToString("N0", culture) ?? "";
        }
        return values;
    }
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

    /// <summary>The form as an accessible HTML page: the same words as its PDF.</summary>
    public static string Html(ConsentTemplateText template, ConsentRequest request) => new ConsentPdf(template, request).Html();
}
