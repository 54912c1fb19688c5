using SkiaSharp;

namespace KneeClinic.Documents.Layout;

/// <summary>
/// The unit of pagination: a measured piece that is never split across pages (a line of text,
/// a table row, a box). Components compose into slices; <see cref="Paginator"/> places them.
/// </summary>
public sealed record Slice(float Height, Action<SKCanvas, float, float> Draw)
{
    /// <summary>Space above, dropped at the top of a page.</summary>
    public float SpaceBefore { get; init; }

    /// <summary>Move to the next page together with the slice that follows (headings, table headers).</summary>
    public bool KeepWithNext { get; init; }

    /// <summary>For a table row: the header drawn again when the row starts a new page.</summary>
    public Slice? RepeatedHeader { get; init; }
}

/// <summary>Something that can be laid out in a given width: a paragraph, a list, a table, a box.</summary>
public interface IComponent
{
    IEnumerable<Slice> Compose(DocumentFonts fonts, float width);

    /// <summary>All the text it draws, so the fonts can be subset before layout.</summary>
    IEnumerable<Run> Runs();
}

public sealed record PlacedSlice(Slice Slice, float Y);

public static class Paginator
{
    /// <summary>Places slices top to bottom on pages of height <paramref name="pageHeight"/>, breaking where they no longer fit.</summary>
    public static List<List<PlacedSlice>> Paginate(IReadOnlyList<Slice> slices, float pageHeight)
    {
        var pages = new List<List<PlacedSlice>> { new() };
        var y = 0f;
        for (var i = 0; i < slices.Count; i++)
        {
            var slice = slices[i];
            var page = pages[^1];
            var space = page.Count == 0 ? 0 : slice.SpaceBefore;
            var needed = space + slice.Height + KeptHeight(slices, i);
            if (page.Count > 0 && y + needed > pageHeight)
            {
                page = [];
                pages.Add(page);
                y = 0;
                space = 0;
                if (slice.RepeatedHeader is { } header && !ReferenceEquals(header, slice))
                {
                    page.Add(new PlacedSlice(header, y));
                    y += header.Height;
                }
            }
            y += space;
            page.Add(new PlacedSlice(slice, y));
            y += slice.Height;
        }
        return pages;
    }

    // A heading needs room for itself and the first line after it, or it moves to the next page.
    private static float KeptHeight(IReadOnlyList<Slice> slices, int index)
    {
        var extra = 0f;
        for (var j = index; j < slices.Count - 1 && slices[j].KeepWithNext; j++)
            extra += slices[j + 1].SpaceBefore + slices[j + 1].Height;
        return extra;
    }
}
