using SkiaSharp;

namespace KneeClinic.Documents.Layout;

/// <summary>Wrapped text; each line is its own slice, so paragraphs split across pages.</summary>
public sealed class Paragraph(IReadOnlyList<Run> runs, float spaceBefore = 5, bool keepWithNext = false, float indent = 0) : IComponent
{
    public Paragraph(string text, TextStyle style, float spaceBefore = 5, bool keepWithNext = false)
        : this([new Run(text, style)], spaceBefore, keepWithNext) { }

    public IEnumerable<Run> Runs() => runs;

    public IEnumerable<Slice> Compose(DocumentFonts fonts, float width)
    {
        var lines = TextLayout.Lines(fonts, runs, width - indent);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            yield return new Slice(line.Height, (c, x, y) => line.Draw(c, fonts, x + indent, y))
            {
                SpaceBefore = i == 0 ? spaceBefore : 0,
                // Headings stay with what follows; a paragraph's first line stays with its second.
                KeepWithNext = keepWithNext || (i == 0 && lines.Count > 1),
            };
        }
    }
}

/// <summary>A bulleted list; items wrap under their own text.</summary>
public sealed class BulletList(IReadOnlyList<IReadOnlyList<Run>> items, TextStyle bulletStyle, float spaceBefore = 4) : IComponent
{
    private const string Bullet = "\u2022";

    // The bullet is a glyph, not a drawn circle: a circle is sixteen curves in the PDF, a glyph two bytes.
    public IEnumerable<Run> Runs() => items.SelectMany(i => i).Append(new Run(Bullet, bulletStyle));

    public IEnumerable<Slice> Compose(DocumentFonts fonts, float width)
    {
        var first = true;
        var indent = bulletStyle.Size * 1.3f;
        foreach (var item in items)
        {
            var lines = TextLayout.Lines(fonts, item, width - indent);
            for (var i = 0; i < lines.Count; i++)
            {
                var line = lines[i];
                var bullet = i == 0;
                yield return new Slice(line.Height, (c, x, y) =>
                {
                    if (bullet)
                        fonts.DrawText(c, Bullet, bulletStyle, x + 3, y + line.Ascent);
                    line.Draw(c, fonts, x + indent, y);
                })
                { SpaceBefore = i == 0 ? (first ? spaceBefore : 2.5f) : 0 };
            }
            first = false;
        }
    }
}

/// <summary>
/// A table with proportional columns. Rows never split; when a row starts a new page the header row
/// is drawn again above it. The header stays with the first two rows, and the last row never goes to a
/// page alone, so no page shows a single row of a table. <paramref name="minRowHeight"/> leaves room to
/// write (the teach-back initials).
/// </summary>
public sealed class Table(IReadOnlyList<float> columnWeights, IReadOnlyList<IReadOnlyList<Run>> header,
    IReadOnlyList<IReadOnlyList<IReadOnlyList<Run>>> rows, float spaceBefore = 6, float minRowHeight = 0) : IComponent
{
    private const float Padding = 5;

    public IEnumerable<Run> Runs() => header.SelectMany(c => c).Concat(rows.SelectMany(r => r.SelectMany(c => c)));

    public IEnumerable<Slice> Compose(DocumentFonts fonts, float width)
    {
        var total = columnWeights.Sum();
        var widths = columnWeights.Select(w => w / total * width).ToArray();
        var headerSlice = Row(fonts, widths, header, shaded: true, 0) with { SpaceBefore = spaceBefore, KeepWithNext = true };
        yield return headerSlice;
        for (var i = 0; i < rows.Count; i++)
            yield return Row(fonts, widths, rows[i], shaded: false, minRowHeight) with
            {
                RepeatedHeader = headerSlice,
                KeepWithNext = i < rows.Count - 1 && (i == 0 || i == rows.Count - 2),
            };
    }

    private static Slice Row(DocumentFonts fonts, float[] widths, IReadOnlyList<IReadOnlyList<Run>> cells, bool shaded, float minHeight)
    {
        var laidOut = cells.Select((cell, i) => TextLayout.Lines(fonts, cell, widths[i] - 2 * Padding)).ToList();
        var height = Math.Max(minHeight, laidOut.Max(lines => lines.Sum(l => l.Height)) + 2 * Padding);
        return new Slice(height, (c, x, y) =>
        {
            using var fill = new SKPaint { Color = Typography.Shade, Style = SKPaintStyle.Fill };
            using var stroke = new SKPaint { Color = Typography.Rule, Style = SKPaintStyle.Stroke, StrokeWidth = 0.6f };
            if (shaded) c.DrawRect(x, y, widths.Sum(), height, fill);
            // The borders first, then the text: the PDF then changes colour twice a row instead of twice a cell.
            var cx = x;
            foreach (var w in widths)
            {
                c.DrawRect(cx, y, w, height, stroke);
                cx += w;
            }
            cx = x;
            for (var i = 0; i < widths.Length; i++)
            {
                var ly = y + Padding;
                foreach (var line in laidOut[i])
                {
                    line.Draw(c, fonts, cx + Padding, ly);
                    ly += line.Height;
                }
                cx += widths[i];
            }
        });
    }
}

/// <summary>
/// Components inside a bordered, shaded box. Each inner line is a segment of the box, so a box longer than
/// a page continues on the next one instead of being cut off; a short box is kept on one page.
/// </summary>
public sealed class Box(IReadOnlyList<IComponent> content, SKColor border, SKColor background, float spaceBefore = 8) : IComponent
{
    private const float Padding = 8;
    private const float KeepTogetherUpTo = 360;

    public IEnumerable<Run> Runs() => content.SelectMany(c => c.Runs());

    public IEnumerable<Slice> Compose(DocumentFonts fonts, float width)
    {
        var inner = content.SelectMany(c => c.Compose(fonts, width - 2 * Padding)).ToList();
        var total = inner.Sum(s => s.Height) + inner.Skip(1).Sum(s => s.SpaceBefore) + 2 * Padding;
        for (var i = 0; i < inner.Count; i++)
        {
            var slice = inner[i];
            var first = i == 0;
            var last = i == inner.Count - 1;
            var top = first ? Padding : slice.SpaceBefore;
            var height = top + slice.Height + (last ? Padding : 0);
            yield return new Slice(height, (c, x, y) =>
            {
                using var fill = new SKPaint { Color = background, Style = SKPaintStyle.Fill };
                using var stroke = new SKPaint { Color = border, Style = SKPaintStyle.Stroke, StrokeWidth = 1.5f };
                c.DrawRect(x, y, width, height, fill);
                c.DrawLine(x, y, x, y + height, stroke);
                c.DrawLine(x + width, y, x + width, y + height, stroke);
                if (first) c.DrawLine(x, y, x + width, y, stroke);
                if (last) c.DrawLine(x, y + height, x + width, y + height, stroke);
                slice.Draw(c, x + Padding, y + top);
            })
            { SpaceBefore = first ? spaceBefore : 0, KeepWithNext = !last && total <= KeepTogetherUpTo };
        }
    }
}

/// <summary>
/// A signature block: who signs and what their signature means, then lines to write on (printed name,
/// signature, date, time, ...), each with at least half an inch of room above it. Never split across pages.
/// </summary>
public sealed class SignatureBlock(string role, string meaning, IReadOnlyList<string> lineLabels, Typography typography,
    float spaceBefore = 14, bool keepWithNext = false) : IComponent
{
    /// <summary>Room to write above each line: half an inch and a little more.</summary>
    public const float WritingSpace = 40;

    public IEnumerable<Run> Runs() => lineLabels.Select(l => new Run(l, typography.Small))
        .Prepend(new Run(meaning, typography.Body)).Prepend(new Run(role, typography.SubHeading));

    public IEnumerable<Slice> Compose(DocumentFonts fonts, float width)
    {
        var header = TextLayout.Lines(fonts, [new Run(role, typography.SubHeading)], width)
            .Concat(TextLayout.Lines(fonts, [new Run(meaning, typography.Body)], width)).ToList();
        var column = (width - 24) / 2;
        var labels = lineLabels.Select(l => TextLayout.Lines(fonts, [new Run(l, typography.Small)], column)).ToList();
        var rows = labels.Chunk(2).Select(pair => WritingSpace + pair.Max(l => l.Sum(x => x.Height)) + 2).ToList();
        var height = header.Sum(l => l.Height) + rows.Sum();
        yield return new Slice(height, (c, x, y) =>
        {
            var ly = y;
            foreach (var line in header)
            {
                line.Draw(c, fonts, x, ly);
                ly += line.Height;
            }
            using var rule = new SKPaint { Color = Typography.Ink, StrokeWidth = 0.8f };
            for (var i = 0; i < labels.Count; i++)
            {
                var cx = x + (i % 2) * (column + 24);
                var cy = ly + rows.Take(i / 2).Sum() + WritingSpace;
                c.DrawLine(cx, cy, cx + column, cy, rule);
                var labelY = cy + 2;
                foreach (var line in labels[i])
                {
                    line.Draw(c, fonts, cx, labelY);
                    labelY += line.Height;
                }
            }
        })
        { SpaceBefore = spaceBefore, KeepWithNext = keepWithNext };
    }
}

/// <summary>Label/value pairs in columns (the patient block).</summary>
public sealed class FieldGrid(IReadOnlyList<(string Label, string Value)> fields, Typography typography, float spaceBefore = 8, int columns = 3) : IComponent
{
    public IEnumerable<Run> Runs() => fields.SelectMany(f => new[] { new Run(f.Label, typography.Label), new Run(f.Value, typography.Body) });

    public IEnumerable<Slice> Compose(DocumentFonts fonts, float width)
    {
        var column = width / columns;
        for (var i = 0; i < fields.Count; i += columns)
        {
            var pair = fields.Skip(i).Take(columns).Select(f => (
                Label: TextLayout.Lines(fonts, [new Run(f.Label, typography.Label)], column - 8),
                Value: TextLayout.Lines(fonts, [new Run(f.Value, typography.Body)], column - 8))).ToList();
            var height = pair.Max(p => p.Label.Sum(l => l.Height) + p.Value.Sum(l => l.Height)) + 4;
            yield return new Slice(height, (c, x, y) =>
            {
                for (var j = 0; j < pair.Count; j++)
                {
                    var ly = y;
                    foreach (var line in pair[j].Label.Concat(pair[j].Value))
                    {
                        line.Draw(c, fonts, x + j * column, ly);
                        ly += line.Height;
                    }
                }
            })
            { SpaceBefore = i == 0 ? spaceBefore : 2 };
        }
    }
}

/// <summary>A QR code drawn as vector squares beside a caption.</summary>
public sealed class QrCode(string payload, IReadOnlyList<Run> caption, float size = 72, float spaceBefore = 16) : IComponent
{
    public IEnumerable<Run> Runs() => caption;

    public IEnumerable<Slice> Compose(DocumentFonts fonts, float width)
    {
        using var generator = new QRCoder.QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCoder.QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix.Select(row => Enumerable.Range(0, row.Length).Select(i => row[i]).ToArray()).ToArray();
        var lines = TextLayout.Lines(fonts, caption, width - size - 12);
        var height = Math.Max(size, lines.Sum(l => l.Height));
        yield return new Slice(height, (c, x, y) =>
        {
            // Modules on a quarter-point grid: short coordinates in the PDF, and crisp edges.
            var cell = MathF.Round(size / modules.Length * 4) / 4;
            y = MathF.Round(y * 4) / 4;
            using var paint = new SKPaint { Color = SKColors.Black, Style = SKPaintStyle.Fill };
            // Horizontal runs of dark modules as one rectangle each: far fewer drawing operations than one per square.
            for (var r = 0; r < modules.Length; r++)
            {
                for (var k = 0; k < modules[r].Length; k++)
                {
                    if (!modules[r][k]) continue;
                    var start = k;
                    while (k + 1 < modules[r].Length && modules[r][k + 1]) k++;
                    c.DrawRect(x + start * cell, y + r * cell, (k - start + 1) * cell, cell, paint);
                }
            }
            var ly = y;
            foreach (var line in lines)
            {
                line.Draw(c, fonts, x + size + 12, ly);
                ly += line.Height;
            }
        })
        { SpaceBefore = spaceBefore };
    }
}
