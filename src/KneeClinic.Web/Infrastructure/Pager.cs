namespace KneeClinic.Web.Infrastructure;

/// <summary>
/// The First / Previous / Next / Last links of a list in seek order (see <see cref="Keyset"/>), drawn by
/// Features/Shared/_Pager.cshtml. <see cref="Values"/> are the list's filters, sent again with each link; a list
/// whose filters may name a patient is paged with posted forms (<see cref="Post"/>), never with an address.
/// </summary>
public sealed record Pager(bool HasPrevious, bool HasNext, string? FirstId, string? LastId, IReadOnlyDictionary<string, string> Values, bool Post,
    bool CursorLost = false)
{
    /// <summary>Lists count their matches up to this, and say "more than" past it: a person needs no more.</summary>
    public const int CountCap = 1000;

    public static Pager Of<TRow>(KeysetPage<TRow> page, Func<TRow, string> id, IReadOnlyDictionary<string, string> values, bool post) =>
        new(page.HasPrevious, page.HasNext, page.Rows.Count > 0 ? id(page.Rows[0]) : null, page.Rows.Count > 0 ? id(page.Rows[^1]) : null,
            values, post, page.CursorLost);

    public bool Shown => HasPrevious || HasNext || CursorLost;

    /// <summary>The filters plus where the page starts, for a link or a form.</summary>
    public IReadOnlyDictionary<string, string> To(string? after = null, string? before = null, bool last = false)
    {
        var values = new Dictionary<string, string>(Values);
        if (after is not null) values[nameof(PagedRequest.After)] = after;
        if (before is not null) values[nameof(PagedRequest.Before)] = before;
        if (last) values[nameof(PagedRequest.Last)] = "true";
        return values;
    }

    /// <summary>"25 patients", or "more than 1,000 patients" past <see cref="CountCap"/>.</summary>
    public static string Count(int matches, string one, string many) => matches switch
    {
        1 => $"1 {one}",
        > CountCap => $"more than {CountCap:N0} {many}",
        _ => $"{matches:N0} {many}",
    };
}
