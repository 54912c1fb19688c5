using System.Text;
using Fluid;
using Fluid.Values;
using KneeClinic.Documents.Fonts;
using Markdig;
using Markdig.Extensions.CustomContainers;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace KneeClinic.Documents.Consent;

/// <summary>The header of a consent template file (YAML front matter).</summary>
public sealed class ConsentTemplateHeader
{
    public string Code { get; set; } = "";
    public int Version { get; set; }
    public string Language { get; set; } = "";
    public string CellSource { get; set; } = "";

    /// <summary><c>consent</c> (the default): a consent form for one cell source; <c>short-form</c>: the short form of 21 CFR 50.27(b)(2).</summary>
    public string Kind { get; set; } = ConsentTemplateText.ConsentKind;

    public bool IsShortForm => Kind == ConsentTemplateText.ShortFormKind;
    public DateOnly EffectiveDate { get; set; }
    public bool RequiresReconsent { get; set; }
    public string Title { get; set; } = "";

    /// <summary>Printed at the top of every page; plain text, no placeholders.</summary>
    public string ShortTitle { get; set; } = "";

    /// <summary>Every fixed word printed on the form in the file's language (see <see cref="ConsentLabels.Required"/>).</summary>
    public Dictionary<string, string> Labels { get; set; } = [];
}

public sealed class TemplateFormatException(string message) : Exception(message);

/// <summary>A placeholder the template uses that the data for this document does not fill.</summary>
public sealed class MissingPlaceholderException(string name) : Exception($"The consent template uses {{{{ {name} }}}} but no value was given for it.")
{
    public string Placeholder { get; } = name;
}

/// <summary>A piece of template text in one emphasis, with its Liquid placeholders parsed once.</summary>
public sealed record TemplateRun(IFluidTemplate Text, FontFace Face, string Source, IReadOnlyList<string> Placeholders);

public abstract record TemplateBlock;
public sealed record HeadingBlock(int Level, IReadOnlyList<TemplateRun> Runs) : TemplateBlock;
public sealed record ParagraphBlock(IReadOnlyList<TemplateRun> Runs) : TemplateBlock;
public sealed record BulletsBlock(IReadOnlyList<IReadOnlyList<TemplateRun>> Items) : TemplateBlock;
public sealed record TableBlock(IReadOnlyList<IReadOnlyList<TemplateRun>> Header, IReadOnlyList<IReadOnlyList<IReadOnlyList<TemplateRun>>> Rows) : TemplateBlock;
public sealed record InvestigationalBlock(IReadOnlyList<TemplateBlock> Content) : TemplateBlock;
public sealed record TeachBackBlock(IReadOnlyList<IReadOnlyList<TemplateRun>> Items) : TemplateBlock;

/// <summary>Wording printed only under one regulatory basis: <c>study</c>, <c>no-study</c> or <c>clinicaltrials</c>.</summary>
public sealed record ConditionalBlock(string Condition, IReadOnlyList<TemplateBlock> Content) : TemplateBlock;

/// <summary>The basis on which the clinic offers the product, which decides the conditional wording a form prints.</summary>
public enum RegulatoryBasis
{
    /// <summary>Not under an IND and not part of an IRB-approved study.</summary>
    NoStudy,

    /// <summary>Under an IND, in a study an IRB approved.</summary>
    Study,

    /// <summary>Under an IND, in an IRB-approved study registered on ClinicalTrials.gov.</summary>
    RegisteredStudy,
}

/// <summary>
/// A consent template file: YAML header, then Markdown (headings, paragraphs, bullet lists, pipe tables
/// and the <c>::: investigational</c> and <c>::: teach-back</c> containers) with Liquid placeholders.
/// Markdown is parsed before any value is filled in, so a patient's name can never become markup.
/// </summary>
public sealed partial class ConsentTemplateText
{
    /// <summary>The study's details: allowed only inside <c>::: study</c> and <c>::: clinicaltrials</c>.</summary>
    public static readonly IReadOnlyList<string> StudyPlaceholders =
    [
        "study.title", "study.ind_number", "study.sponsor", "study.irb_name", "study.irb_phone", "study.irb_approved",
        "study.irb_expires", "study.nct_number", "study.participants",
    ];

    public static readonly IReadOnlyList<string> Placeholders =
    [
        "patient.name", "patient.date_of_birth", "patient.mrn", "case.knee", "clinician.name",
        "clinic.name", "clinic.phone", "clinic.address", "clinic.after_hours_phone", "rights.name", "rights.phone",
        "cost.low", "cost.high", "fee.refund_before_start", "fee.refund_after_start",
        .. StudyPlaceholders,
    ];

    public static readonly IReadOnlyList<string> Conditions = ["study", "no-study", "clinicaltrials"];

    /// <summary>
    /// Wording printed only for one cell source: the short form serves every cell source and says where the cells come
    /// from with these. Each names a <c>cell_source</c> value in kebab case.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> CellConditions = new Dictionary<string, string>
    {
        ["bone-marrow"] = "BoneMarrow",
        ["adipose"] = "Adipose",
        ["umbilical-cord"] = "UmbilicalCord",
    };

    public const string ConsentKind = "consent", ShortFormKind = "short-form";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter().UseCustomContainers().UsePipeTables().DisableHtml().Build();

    private static readonly FluidParser Liquid = new();

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance).Build();

    private ConsentTemplateText(ConsentTemplateHeader header, IReadOnlyList<TemplateBlock> blocks, TemplateRun title, string source)
    {
        Header = header;
        Blocks = blocks;
        Title = title;
        Source = source;
    }

    public ConsentTemplateHeader Header { get; }
    public TemplateRun Title { get; }
    public IReadOnlyList<TemplateBlock> Blocks { get; }
    public string Source { get; }

    /// <summary>Every placeholder the template uses; each needs a non-empty value to render.</summary>
    public IReadOnlyList<string> UsedPlaceholders => [.. Runs().SelectMany(r => r.Placeholders).Distinct().Order()];

    /// <summary>The placeholders a form under <paramref name="basis"/> prints; each needs a value.</summary>
    public IReadOnlyList<string> PlaceholdersFor(RegulatoryBasis basis, string? cellSource = null) =>
        [.. Blocks.SelectMany(b => Included(b, basis, cellSource)).SelectMany(RunsOf).Prepend(Title).SelectMany(r => r.Placeholders).Distinct().Order()];

    /// <summary>The printed labels, checked complete when the template was parsed.</summary>
    public ConsentLabels Labels { get; private init; } = null!;

    private static IEnumerable<TemplateBlock> Included(TemplateBlock block, RegulatoryBasis basis, string? cellSource) => block switch
    {
        ConditionalBlock c when Applies(c.Condition, basis, cellSource) => c.Content,
        ConditionalBlock => [],
        _ => [block],
    };

    private static bool Applies(string condition, RegulatoryBasis basis, string? cellSource) => condition switch
    {
        _ when CellConditions.TryGetValue(condition, out var source) => source == cellSource,
        "study" => basis is RegulatoryBasis.Study or RegulatoryBasis.RegisteredStudy,
        "no-study" => basis == RegulatoryBasis.NoStudy,
        "clinicaltrials" => basis == RegulatoryBasis.RegisteredStudy,
        _ => throw new InvalidOperationException(condition),
    };

    /// <summary>All the template's text, for reading-level and glyph checks.</summary>
    public IEnumerable<TemplateRun> Runs() => Blocks.SelectMany(RunsOf).Prepend(Title);

    private static IEnumerable<TemplateRun> RunsOf(TemplateBlock block) => block switch
    {
        HeadingBlock h => h.Runs,
        ParagraphBlock p => p.Runs,
        BulletsBlock l => l.Items.SelectMany(i => i),
        TableBlock t => t.Header.SelectMany(c => c).Concat(t.Rows.SelectMany(r => r.SelectMany(c => c))),
        InvestigationalBlock i => i.Content.SelectMany(RunsOf),
        TeachBackBlock t => t.Items.SelectMany(i => i),
        ConditionalBlock c => c.Content.SelectMany(RunsOf),
        _ => [],
    };

    /// <summary>
    /// Only the YAML header between the opening --- lines, without reading or checking the wording; null when it cannot be
    /// read that simply (<see cref="Parse"/> then says why).
    /// </summary>
    public static ConsentTemplateHeader? HeaderOf(string source)
    {
        var lines = source.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        if (lines is not ["---", ..]) return null;
        var end = Array.FindIndex(lines, 1, l => l is "---" or "...");
        if (end < 0) return null;
        try
        {
            return Yaml.Deserialize<ConsentTemplateHeader>(string.Join('\n', lines[1..end]));
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return null;
        }
    }

    public static ConsentTemplateText Parse(string source)
    {
        MarkdownDocument markdown;
        try
        {
            markdown = Markdown.Parse(source, Pipeline);
        }
        catch (ArgumentException)
        {
            // Markdig stops at a depth limit of its own (quotes in quotes, lists in lists, links in links, boxes in boxes).
            throw new TemplateFormatException(
                "The text is nested too deeply: quotes, lists, links or ':::' boxes inside one another. A consent form needs at most a box with a list in it.");
        }
        var front = markdown.Descendants<YamlFrontMatterBlock>().FirstOrDefault()
            ?? throw new TemplateFormatException("The template must start with a YAML header between --- lines.");
        ConsentTemplateHeader header;
        try
        {
            header = Yaml.Deserialize<ConsentTemplateHeader>(string.Join('\n', front.Lines.Lines.Take(front.Lines.Count).Select(l => l.ToString())))
                ?? throw new TemplateFormatException("The YAML header is empty.");
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new TemplateFormatException($"The YAML header cannot be read (line {e.Start.Line}): {e.Message}");
        }
        if (header.Kind is not (ConsentKind or ShortFormKind))
            throw new TemplateFormatException($"kind: {header.Kind} is not known; use {ConsentKind} (the default) or {ShortFormKind}.");
        if (string.IsNullOrWhiteSpace(header.Code) || header.Version < 1 || string.IsNullOrWhiteSpace(header.Language)
            || string.IsNullOrWhiteSpace(header.Title) || (string.IsNullOrWhiteSpace(header.CellSource) != header.IsShortForm))
            throw new TemplateFormatException(header.IsShortForm
                ? "A short form's header needs code, version (1 or more), language and title, and no cell_source: one short form serves every cell source."
                : "The header needs code, version (1 or more), language, cell_source and title.");

        var blocks = markdown.Where(b => b is not YamlFrontMatterBlock).Select(Block).ToList();
        if (blocks.FirstOrDefault() is not InvestigationalBlock)
            throw new TemplateFormatException("The template must open with the '::: investigational' box.");
        if (!header.IsShortForm && !blocks.OfType<TeachBackBlock>().Any())
            throw new TemplateFormatException("The template needs a '::: teach-back' list.");
        foreach (var condition in header.IsShortForm ? [.. Conditions.Where(c => c != "clinicaltrials"), .. CellConditions.Keys] : Conditions)
        {
            if (!blocks.OfType<ConditionalBlock>().Any(c => c.Condition == condition))
                throw new TemplateFormatException($"The template needs a '::: {condition}' section: the form must say what applies under each regulatory basis.");
        }
        if (blocks.Where(b => b is not ConditionalBlock { Condition: "study" or "clinicaltrials" }).SelectMany(RunsOf)
                .SelectMany(r => r.Placeholders).FirstOrDefault(StudyPlaceholders.Contains) is { } misplaced)
            throw new TemplateFormatException($"{{{{ {misplaced} }}}} may be used only inside '::: study' or '::: clinicaltrials'.");
        if (string.IsNullOrWhiteSpace(header.ShortTitle) || header.ShortTitle.Contains("{{"))
            throw new TemplateFormatException("The header needs short_title: a plain title of a few words, printed at the top of every page.");
        var title = Run(header.Title, FontFace.Bold);
        return new ConsentTemplateText(header, blocks, title, source) { Labels = ConsentLabels.From(header.Labels, header.IsShortForm) };
    }

    /// <summary>The same file with its header's version number changed: the starting point of a new draft.</summary>
    public static string WithVersion(string source, int version) =>
        VersionLine().Replace(source, $"version: {version}", 1);

    [System.Text.RegularExpressions.GeneratedRegex(@"(?m)^version:[ \t]*\d+[ \t]*$")]
    private static partial System.Text.RegularExpressions.Regex VersionLine();

    /// <summary>The template with every placeholder filled; fails on any placeholder without a value.</summary>
    public ResolvedConsentText Resolve(IReadOnlyDictionary<string, string> values, RegulatoryBasis basis = RegulatoryBasis.NoStudy,
        string? cellSource = null)
    {
        cellSource ??= Header.CellSource;
        if (PlaceholdersFor(basis, cellSource).FirstOrDefault(p => string.IsNullOrWhiteSpace(values.GetValueOrDefault(p))) is { } missing)
            throw new MissingPlaceholderException(missing);
        var context = Context(values);
        var blocks = Blocks.Where(b => b is not ConditionalBlock c || Applies(c.Condition, basis, cellSource)).Select(b => Resolve(b, context)).ToList();
        return new ResolvedConsentText(Header, Text(Title, context), blocks);
    }

    private static ResolvedBlock Resolve(TemplateBlock block, TemplateContext context) => block switch
    {
        HeadingBlock h => new ResolvedHeading(h.Level, Runs(h.Runs, context)),
        ParagraphBlock p => new ResolvedParagraph(Runs(p.Runs, context)),
        BulletsBlock l => new ResolvedBullets(l.Items.Select(i => Runs(i, context)).ToList()),
        TableBlock t => new ResolvedTable(t.Header.Select(c => Runs(c, context)).ToList(),
            t.Rows.Select(r => (IReadOnlyList<IReadOnlyList<ResolvedRun>>)r.Select(c => Runs(c, context)).ToList()).ToList()),
        InvestigationalBlock i => new ResolvedInvestigational(i.Content.Select(b => Resolve(b, context)).ToList()),
        TeachBackBlock t => new ResolvedTeachBack(t.Items.Select(i => Runs(i, context)).ToList()),
        ConditionalBlock c => new ResolvedConditional(c.Condition, c.Content.Select(b => Resolve(b, context)).ToList()),
        _ => throw new InvalidOperationException(block.GetType().Name),
    };

    private static List<ResolvedRun> Runs(IReadOnlyList<TemplateRun> runs, TemplateContext context) =>
        runs.Select(r => new ResolvedRun(Text(r, context), r.Face)).ToList();

    // Most runs hold no placeholder: their text is the source itself, with no template to render.
    private static string Text(TemplateRun run, TemplateContext context) =>
        run.Placeholders.Count == 0 ? run.Source : run.Text.Render(context, NullEncoder.Default);

    private static TemplateContext Context(IReadOnlyDictionary<string, string> values)
    {
        var context = new TemplateContext();
        foreach (var group in values.Where(kv => kv.Value is not null).GroupBy(kv => kv.Key.Split('.')[0]))
            context.SetValue(group.Key, group.ToDictionary(kv => kv.Key[(group.Key.Length + 1)..], kv => (object)kv.Value));
        return context;
    }

    private static TemplateBlock Block(Block block) => block switch
    {
        Markdig.Syntax.HeadingBlock h => new HeadingBlock(h.Level, Inlines(h.Inline)),
        Markdig.Syntax.ParagraphBlock p => new ParagraphBlock(Inlines(p.Inline)),
        ListBlock { IsOrdered: false } list => new BulletsBlock(Items(list)),
        Table table => TableOf(table),
        CustomContainer { Info: "investigational" } c => new InvestigationalBlock(c.Select(Block).ToList()),
        CustomContainer { Info: "teach-back" } c when c.SingleOrDefault() is ListBlock list => new TeachBackBlock(Items(list)),
        CustomContainer { Info: "study" or "no-study" or "clinicaltrials" or "bone-marrow" or "adipose" or "umbilical-cord" } c => new ConditionalBlock(c.Info!,
            c.Select(Block).Select(b => b is ConditionalBlock or InvestigationalBlock or TeachBackBlock
                ? throw new TemplateFormatException($"Line {c.Line + 1}: '::: {c.Info}' holds headings, paragraphs, lists and tables only.")
                : b).ToList()),
        _ => throw new TemplateFormatException(
            $"Line {block.Line + 1}: {block.GetType().Name.Replace("Block", "").ToLowerInvariant()} is not allowed in a consent template."),
    };

    private static List<IReadOnlyList<TemplateRun>> Items(ListBlock list) =>
        list.Cast<ListItemBlock>().Select(item => item.SingleOrDefault() is Markdig.Syntax.ParagraphBlock p
            ? (IReadOnlyList<TemplateRun>)Inlines(p.Inline)
            : throw new TemplateFormatException($"Line {item.Line + 1}: a list item must be one paragraph.")).ToList();

    private static TableBlock TableOf(Table table)
    {
        var rows = table.Cast<TableRow>().Select(row => (IReadOnlyList<IReadOnlyList<TemplateRun>>)row.Cast<TableCell>()
            .Select(cell => cell.FirstOrDefault() is Markdig.Syntax.ParagraphBlock p ? Inlines(p.Inline) : []).ToList()).ToList();
        return new TableBlock(rows[0], rows.Skip(1).ToList());
    }

    /// <summary>Flattens Markdown inlines into runs of one emphasis each, then parses their placeholders.</summary>
    private static List<TemplateRun> Inlines(ContainerInline? inline)
    {
        var pieces = new List<(string Text, FontFace Face)>();
        Walk(inline, bold: false, italic: false);
        var merged = new List<(StringBuilder Text, FontFace Face)>();
        foreach (var (text, face) in pieces)
        {
            if (merged.Count > 0 && merged[^1].Face == face) merged[^1].Text.Append(text);
            else merged.Add((new StringBuilder(text), face));
        }
        return merged.Select(m => Run(m.Text.ToString(), m.Face)).ToList();

        void Walk(ContainerInline? container, bool bold, bool italic)
        {
            for (var node = container?.FirstChild; node is not null; node = node.NextSibling)
            {
                switch (node)
                {
                    case LiteralInline literal:
                        pieces.Add((literal.Content.ToString(), Face(bold, italic)));
                        break;
                    case EmphasisInline emphasis:
                        Walk(emphasis, bold || emphasis.DelimiterCount >= 2, italic || emphasis.DelimiterCount == 1);
                        break;
                    case LineBreakInline:
                        pieces.Add((" ", Face(bold, italic)));
                        break;
                    case ContainerInline other:
                        Walk(other, bold, italic);
                        break;
                    default:
                        throw new TemplateFormatException($"Line {node.Line + 1}: '{node}' is not allowed in a consent template.");
                }
            }
        }
    }

    private static FontFace Face(bool bold, bool italic) =>
        bold && italic ? FontFace.BoldItalic : bold ? FontFace.Bold : italic ? FontFace.Italic : FontFace.Regular;

    /// <summary>
    /// Parses the Liquid in one run. Only plain placeholders from <see cref="Placeholders"/> are allowed:
    /// no tags, no filters, so a template author cannot hide logic or misspell a name unnoticed.
    /// </summary>
    private static TemplateRun Run(string text, FontFace face)
    {
        if (!Liquid.TryParse(text, out var template, out var error))
            throw new TemplateFormatException($"A placeholder cannot be read in \"{text}\": {error}");
        var used = new List<string>();
        foreach (var statement in ((Fluid.Parser.FluidTemplate)template).Statements)
        {
            switch (statement)
            {
                case Fluid.Ast.TextSpanStatement:
                    break;
                case Fluid.Ast.OutputStatement { Expression: Fluid.Ast.MemberExpression member }
                    when member.Segments.All(s => s is Fluid.Ast.IdentifierSegment):
                    var name = string.Join('.', member.Segments.Cast<Fluid.Ast.IdentifierSegment>().Select(s => s.Identifier));
                    if (!Placeholders.Contains(name))
                        throw new TemplateFormatException($"Unknown placeholder {{{{ {name} }}}}. Known: {string.Join(", ", Placeholders)}.");
                    used.Add(name);
                    break;
                default:
                    throw new TemplateFormatException($"Only plain placeholders such as {{{{ patient.name }}}} are allowed, in \"{text}\".");
            }
        }
        return new TemplateRun(template, face, text, used);
    }

}

public sealed record ResolvedRun(string Text, FontFace Face);
public abstract record ResolvedBlock;
public sealed record ResolvedHeading(int Level, IReadOnlyList<ResolvedRun> Runs) : ResolvedBlock;
public sealed record ResolvedParagraph(IReadOnlyList<ResolvedRun> Runs) : ResolvedBlock;
public sealed record ResolvedBullets(IReadOnlyList<IReadOnlyList<ResolvedRun>> Items) : ResolvedBlock;
public sealed record ResolvedTable(IReadOnlyList<IReadOnlyList<ResolvedRun>> Header, IReadOnlyList<IReadOnlyList<IReadOnlyList<ResolvedRun>>> Rows) : ResolvedBlock;
public sealed record ResolvedInvestigational(IReadOnlyList<ResolvedBlock> Content) : ResolvedBlock;
public sealed record ResolvedTeachBack(IReadOnlyList<IReadOnlyList<ResolvedRun>> Items) : ResolvedBlock;

/// <summary>Conditional wording that applies to this form's regulatory basis.</summary>
public sealed record ResolvedConditional(string Condition, IReadOnlyList<ResolvedBlock> Content) : ResolvedBlock;

/// <summary>A template with its placeholders filled: plain text in structure, ready for PDF or HTML.</summary>
public sealed record ResolvedConsentText(ConsentTemplateHeader Header, string Title, IReadOnlyList<ResolvedBlock> Blocks)
{
    /// <summary>
    /// The running prose in reading order, for reading-level scores: paragraphs, list items and teach-back
    /// questions, also inside the investigational box and any other block that holds blocks in a
    /// <c>Content</c> list. Not the title, headings or table cells: they are labels, not sentences.
    /// </summary>
    public IEnumerable<string> Prose()
    {
        return Blocks.SelectMany(Of);

        static IEnumerable<string> Of(ResolvedBlock block) => block switch
        {
            ResolvedParagraph p => [Text(p.Runs)],
            ResolvedBullets l => l.Items.Select(Text),
            ResolvedTeachBack t => t.Items.Select(Text),
            ResolvedInvestigational i => i.Content.SelectMany(Of),
            ResolvedHeading or ResolvedTable => [],
            // A container kind added later (conditional wording, say) is read through its Content blocks.
            _ when block.GetType().GetProperty("Content")?.GetValue(block) is IEnumerable<ResolvedBlock> inner => inner.SelectMany(Of),
            _ => [],
        };

        static string Text(IReadOnlyList<ResolvedRun> runs) => string.Concat(runs.Select(r => r.Text));
    }

    /// <summary>Each unit of text in reading order: a heading, a paragraph, a list item or a table cell.</summary>
    public IEnumerable<string> Units() => Blocks.SelectMany(UnitsOf);

    private static IEnumerable<string> UnitsOf(ResolvedBlock block) => block switch
    {
        ResolvedHeading h => [Join(h.Runs)],
        ResolvedParagraph p => [Join(p.Runs)],
        ResolvedBullets l => l.Items.Select(Join),
        ResolvedTable t => t.Header.Concat(t.Rows.SelectMany(r => r)).Select(Join),
        ResolvedInvestigational i => i.Content.SelectMany(UnitsOf),
        ResolvedTeachBack t => t.Items.Select(Join),
        ResolvedConditional c => c.Content.SelectMany(UnitsOf),
        _ => [],
    };

    private static string Join(IReadOnlyList<ResolvedRun> runs) => string.Concat(runs.Select(r => r.Text));
}
