using DiffPlex;
using DiffPlex.Chunkers;
using Microsoft.AspNetCore.Html;

namespace KneeClinic.Web.Features.ConsentTemplates;

public enum WordingChange
{
    Same,
    Removed,
    Inserted,
}

/// <summary>A run of the new wording: unchanged, taken out of the previous version, or added to it.</summary>
public sealed record WordingPart(WordingChange Change, string Text);

/// <summary>
/// The wording of a draft compared word by word with the version before it, so an administrator sees what they are
/// about to publish: the new text in full, with the words taken out and put in marked. Whitespace is kept as typed.
/// </summary>
public static class WordingDiff
{
    // DiffPlex's WordChunker, plus line breaks: template wording is Markdown, one sentence or item a line, and a word at the
    // end of a line would otherwise be compared together with the first word of the next.
    private static readonly DelimiterChunker Words = new([' ', '\t', '\r', '\n', '.', '(', ')', '{', '}', ',', '!', '?', ';', ':']);

    public static IReadOnlyList<WordingPart> Between(string previous, string draft)
    {
        var diff = Differ.Instance.CreateDiffs(previous, draft, ignoreWhiteSpace: false, ignoreCase: false, Words);
        var parts = new List<WordingPart>();
        var next = 0; // the next piece of the draft not yet placed
        foreach (var block in diff.DiffBlocks)
        {
            Add(parts, WordingChange.Same, diff.PiecesNew, next, block.InsertStartB - next);
            Add(parts, WordingChange.Removed, diff.PiecesOld, block.DeleteStartA, block.DeleteCountA);
            Add(parts, WordingChange.Inserted, diff.PiecesNew, block.InsertStartB, block.InsertCountB);
            next = block.InsertStartB + block.InsertCountB;
        }
        Add(parts, WordingChange.Same, diff.PiecesNew, next, diff.PiecesNew.Count - next);
        return parts;
    }

    /// <summary>
    /// The parts as HTML: removed words in &lt;del&gt;, added ones in &lt;ins&gt;, every word encoded (the wording is
    /// typed by administrators). Built here rather than in the view so that no whitespace of the view's own lines gets
    /// between the words of a block shown as typed.
    /// </summary>
    public static IHtmlContent ToHtml(IReadOnlyList<WordingPart> parts)
    {
        var html = new HtmlContentBuilder(parts.Count * 3);
        foreach (var part in parts)
        {
            var tag = part.Change switch
            {
                WordingChange.Inserted => "ins",
                WordingChange.Removed => "del",
                _ => null,
            };
            if (tag is not null) html.AppendHtml($"<{tag}>");
            html.Append(part.Text);
            if (tag is not null) html.AppendHtml($"</{tag}>");
        }
        return html;
    }

    private static void Add(List<WordingPart> parts, WordingChange change, IReadOnlyList<string> pieces, int start, int count)
    {
        if (count <= 0) return;
        var text = string.Concat(Enumerable.Range(start, count).Select(i => pieces[i]));
        if (parts is [.., { } last] && last.Change == change) parts[^1] = last with { Text = last.Text + text };
        else parts.Add(new WordingPart(change, text));
    }
}
