using SkiaSharp;

namespace KneeClinic.Documents.Layout;

/// <summary>One laid-out line: pieces of text at x offsets, all on one baseline.</summary>
public sealed record TextLine(IReadOnlyList<(string Text, TextStyle Style, float X)> Pieces, float Height, float Ascent)
{
    public void Draw(SKCanvas canvas, DocumentFonts fonts, float x, float y)
    {
        foreach (var (text, style, offset) in Pieces)
            fonts.DrawText(canvas, text, style, x + offset, y + Ascent);
    }
}

/// <summary>Greedy line breaking of styled runs at spaces; a word longer than the line is cut between letters.</summary>
public static class TextLayout
{
    public static IReadOnlyList<TextLine> Lines(DocumentFonts fonts, IReadOnlyList<Run> runs, float width) =>
        fonts.LineCache is { } cache ? cache.GetOrAdd(runs, width, () => Break(fonts, runs, width)) : Break(fonts, runs, width);

    private static List<TextLine> Break(DocumentFonts fonts, IReadOnlyList<Run> runs, float width)
    {
        var lines = new List<TextLine>();
        var pieces = new List<(string Text, TextStyle Style, float X)>();
        var x = 0f;

        foreach (var (word, style, spaceBefore) in Words(runs))
        {
            var space = spaceBefore && pieces.Count > 0 ? fonts.Width(" ", style) : 0;
            var wordWidth = fonts.Width(word, style);
            if (pieces.Count > 0 && x + space + wordWidth > width)
            {
                Flush();
                space = 0;
            }
            if (wordWidth > width)
            {
                foreach (var part in Cut(fonts, word, style, width - x, width))
                {
                    var partWidth = fonts.Width(part, style);
                    if (pieces.Count > 0 && x + partWidth > width) Flush();
                    pieces.Add((part, style, x));
                    x += partWidth;
                }
                continue;
            }
            // Words of one style on one line become one string: one text operator in the PDF instead of many.
            if (space > 0 && pieces.Count > 0 && pieces[^1].Style == style)
                pieces[^1] = (pieces[^1].Text + " " + word, style, pieces[^1].X);
            else
                pieces.Add((word, style, x + space));
            x += space + wordWidth;
        }
        if (pieces.Count > 0 || lines.Count == 0) Flush(runs.Count > 0 ? runs[0].Style : Typography.Standard.Body);
        return lines;

        void Flush(TextStyle? emptyStyle = null)
        {
            var styles = pieces.Count > 0 ? pieces.Select(p => p.Style).ToList() : [emptyStyle ?? Typography.Standard.Body];
            var height = styles.Max(DocumentFonts.LineHeight);
            var ascent = styles.Max(s => -fonts.Metrics(s).Ascent) + (height - styles.Max(s => s.Size)) / 2;
            lines.Add(new TextLine(pieces.ToList(), height, ascent));
            pieces.Clear();
            x = 0;
        }
    }

    private static IEnumerable<(string Word, TextStyle Style, bool SpaceBefore)> Words(IReadOnlyList<Run> runs)
    {
        var pendingSpace = false;
        foreach (var run in runs)
        {
            var text = run.Text.Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' ');
            var start = 0;
            for (var i = 0; i <= text.Length; i++)
            {
                if (i < text.Length && text[i] != ' ') continue;
                if (i > start)
                {
                    yield return (text[start..i], run.Style, pendingSpace);
                    pendingSpace = false;
                }
                if (i < text.Length) pendingSpace = true;
                start = i + 1;
            }
        }
    }

    private static IEnumerable<string> Cut(DocumentFonts fonts, string word, TextStyle style, float firstWidth, float fullWidth)
    {
        var start = 0;
        var limit = firstWidth;
        while (start < word.Length)
        {
            var end = start + 1;
            while (end < word.Length && fonts.Width(word[start..(end + 1)], style) <= limit) end++;
            if (char.IsHighSurrogate(word[end - 1]) && end < word.Length) end++;
            yield return word[start..end];
            start = end;
            limit = fullWidth; // the caller wraps: later parts start a fresh line
        }
    }
}
