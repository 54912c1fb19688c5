using System.ComponentModel.DataAnnotations;
using KneeClinic.Core.Data;
using KneeClinic.Core.Patients;
using KneeClinic.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Features.Patients;

public sealed class PatientForm
{
    [Required, StringLength(Core.Patients.Mrn.MaxLength), Display(Name = "MRN")]
    public string Mrn { get; set; } = "";

    [Required, StringLength(Patient.NameMaxLength), Display(Name = "Given name")]
    public string GivenName { get; set; } = "";

    [Required, StringLength(Patient.NameMaxLength), Display(Name = "Family name")]
    public string FamilyName { get; set; } = "";

    [Required, DataType(DataType.Date), Display(Name = "Date of birth")]
    public DateOnly? DateOfBirth { get; set; }

    [Required]
    public Sex? Sex { get; set; }

    [Phone, StringLength(40)]
    public string? Phone { get; set; }

    [EmailAddress, StringLength(254)]
    public string? Email { get; set; }

    [StringLength(4000)]
    public string? Notes { get; set; }

    public Guid Version { get; set; }

    public static PatientForm From(Patient p) => new()
    {
        Mrn = p.Mrn.Value,
        GivenName = p.GivenName,
        FamilyName = p.FamilyName,
        DateOfBirth = p.DateOfBirth,
        Sex = p.Sex,
        Phone = p.Phone,
        Email = p.Email,
        Notes = p.Notes,
        Version = p.Version,
    };
}

public sealed class PatientSearchForm : PagedRequest
{
    /// <summary>A name, or a phone number (a text without letters; see <see cref="PhoneKey"/>).</summary>
    [StringLength(100), Display(Name = "Name or phone")]
    public string? Name { get; set; }

    [StringLength(Core.Patients.Mrn.MaxLength), Display(Name = "MRN")]
    public string? Mrn { get; set; }

    [DataType(DataType.Date), Display(Name = "Date of birth")]
    public DateOnly? DateOfBirth { get; set; }

    public bool IsFiltered => !string.IsNullOrWhiteSpace(Name) || !string.IsNullOrWhiteSpace(Mrn) || DateOfBirth is not null;

    /// <summary>The search again, for the pager's forms (posted: a name or a date of birth never goes in an address).</summary>
    public Dictionary<string, string> Values() => new Dictionary<string, string?>
    {
        [nameof(Name)] = Name,
        [nameof(Mrn)] = Mrn,
        [nameof(DateOfBirth)] = DateOfBirth?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    }.Where(kv => !string.IsNullOrEmpty(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value!);
}

public sealed record PatientRow(Guid Id, Mrn Mrn, string GivenName, string FamilyName, DateOnly DateOfBirth, int OpenCases);

public sealed record PatientSearchResult(PatientSearchForm Form, KeysetPage<PatientRow> Page, int Matches)
{
    public IReadOnlyList<PatientRow> Rows => Page.Rows;

    public Pager Pager => Pager.Of(Page, r => r.Id.ToString(), Form.Values(), post: Form.IsFiltered);
}

public static class PatientSearch
{
    public const int PageSize = 20;

    public static async Task<PatientSearchResult> RunAsync(ClinicDbContext db, DataChanges changes, PatientSearchForm form)
    {
        var query = db.Patients.AsNoTracking().IgnoreAutoIncludes();
        if (!string.IsNullOrWhiteSpace(form.Mrn))
        {
            // A start no MRN could have matches nobody (the page says why); otherwise a range over the unique index.
            var (from, before) = Mrn.StartingWith(form.Mrn) ?? (default, default);
            query = query.Where(p => p.Mrn >= from && p.Mrn < before);
        }
        if (form.DateOfBirth is { } dob)
            query = query.Where(p => p.DateOfBirth == dob);

        int matches;
        if (PhoneKey.LooksLikePhone(form.Name))
        {
            // The end of the number (or all of it), over the index of reversed digits: a range, plus the few shorter
            // stored numbers the typed one could end with (see PhoneKey).
            var phone = PhoneKey.Search(form.Name) ?? new PhoneSearch("-", "-", []);
            var (from, before, shorter) = (phone.From, phone.Before, phone.Shorter);
            // string.Compare is only how LINQ spells SQL's >= and <; the database compares, and keys are digits alone.
#pragma warning disable CA1309
            query = before is null
                ? query.Where(p => string.Compare(p.PhoneSearch, from) >= 0 || shorter.Contains(p.PhoneSearch))
                : query.Where(p => (string.Compare(p.PhoneSearch, from) >= 0 && string.Compare(p.PhoneSearch, before) < 0) || shorter.Contains(p.PhoneSearch));
#pragma warning restore CA1309
            matches = await Keyset.CountUpToAsync(query, Pager.CountCap);
        }
        else if (!string.IsNullOrWhiteSpace(form.Name))
        {
            // Each typed word, without accents or case, is the start of a word of the name: "lefev" finds "Lefèvre", and
            // "john smi" finds John Smith. A range in the index of name words, never a LIKE '%...%' that reads every patient.
            // The longest word (the likeliest to name few patients) comes first.
            var words = NameWords(form.Name);
            // A name with no letter or digit ("%", "--") names nobody.
            if (words.Count == 0) return new PatientSearchResult(form, KeysetPage.Empty<PatientRow>(), 0);

            // How many match, up to the cap. With the name alone, the index of words answers without reading a patient
            // ("mar" at 50,000 patients: 0.5 to 1 ms, where looking each candidate up in Patients took 2 ms).
            var byName = form.DateOfBirth is null && string.IsNullOrWhiteSpace(form.Mrn);
            matches = byName
                ? await Keyset.CountUpToAsync(MatchingIds(db, words).Distinct(), WordIndexCap)
                : await Keyset.CountUpToAsync(FromWordIndex(db, query, words), Pager.CountCap);
            // By name alone, up to a few thousand matches: the page comes from the index of words, which holds each
            // word's patients in list order ("mar" at 50,000 patients, 1,185 of them: 0.2 ms, against 1.5 ms walking the
            // list and checking each patient). Past that, walking the list finds a page's worth sooner.
            if (byName && matches <= WordIndexCap)
                return new PatientSearchResult(form, await PageFromWordIndexAsync(db, words, form), matches);

            // With a date of birth or an MRN start as well, the page two ways, chosen by that count. A page is 20 rows in
            // (search name, id) order.
            // - Few matches (up to the cap): the candidates come from the index of words and are sorted; at most 1,000
            //   lookups and a small sort, where reading the list in order would read every patient to find a rare name
            //   ("zq" found nobody in 0.05 ms this way, 150 ms walking the list, at 50,000 patients).
            // - Many (more than the cap; by name alone, more than WordIndexCap): the list is read in the order of its
            //   (SearchName, Id) index and each patient is checked on the (PatientId, Word) key until the page is full,
            //   with no sort. A common start ("mar", 2% of
            //   patients) fills page 1 after a few hundred rows, where collecting and sorting all of its patients looked
            //   each of them up (1.3 ms against 4.4 ms for "mar", 2.9 ms against 28 ms for "o", one patient in ten).
            // (A common name found only in one stretch of the list, a family name shared by thousands, is still read up to
            // that stretch: the walk costs what lies before it, less than the table.)
            query = matches > Pager.CountCap ? CheckedInOrder(db, query, words) : FromWordIndex(db, query, words);
        }
        else if (form.IsFiltered)
            matches = await Keyset.CountUpToAsync(query, Pager.CountCap);
        else
            // The whole list: the same figure for every page and every user until a patient is added, so it is kept (at
            // 50,000 patients, counting up to the cap read 1,001 index entries on every page of the list).
            matches = await changes.KeptAsync(db, typeof(PatientSearch), () => Keyset.CountUpToAsync(query, Pager.CountCap));

        // By the search name ("family given" without accents or case), then id: a unique order the index holds.
        var order = Keyset.OrderBy(query, p => p.SearchName).ThenBy(p => p.Id);
        // The open cases are counted for the page's rows alone, from the (PatientId, Stage) index.
        var page = await Keyset.PageAsync(query, order, p => p.Id, Guid.TryParse, form, PageSize,
            p => new PatientRow(p.Id, p.Mrn, p.GivenName, p.FamilyName, p.DateOfBirth,
                db.Cases.Where(Core.Cases.Case.Open).Count(c => c.PatientId == p.Id)));
        return new PatientSearchResult(form, page, matches);
    }

    /// <summary>Up to this many patients found by name, a page is read from the index of words (see <see cref="PageFromWordIndexAsync"/>).</summary>
    public const int WordIndexCap = 3000;

    /// <summary>A patient found by name, as the index of words holds it.</summary>
    internal sealed class NameHit
    {
        public string SearchName { get; init; } = "";
        public Guid PatientId { get; init; }
    }

    /// <summary>
    /// A page of the patients with a word starting with each typed word, in list order, from the (Word, SearchName,
    /// PatientId) index: the first word's range read and sorted by name, the other words checked on the (PatientId, Word)
    /// key; then the page's own patients (20 at most) read by id.
    /// </summary>
    private static async Task<KeysetPage<PatientRow>> PageFromWordIndexAsync(ClinicDbContext db, List<NameWord> words, PatientSearchForm form)
    {
        var found = WordHits(db, words);
        var order = Keyset.OrderBy(found, h => h.SearchName).ThenBy(h => h.PatientId);
        var ids = await Keyset.PageAsync(found, order, h => h.PatientId, Guid.TryParse, form, PageSize, h => h.PatientId);
        var page = ids.Rows.ToList();
        var rows = (await db.Patients.AsNoTracking().Where(p => EF.Parameter(page).Contains(p.Id))
                .Select(p => new PatientRow(p.Id, p.Mrn, p.GivenName, p.FamilyName, p.DateOfBirth,
                    db.Cases.Where(Core.Cases.Case.Open).Count(c => c.PatientId == p.Id)))
                .ToListAsync())
            .ToDictionary(r => r.Id);
        // (Its 20 ids are one parameter, a JSON array. A patient removed between the two reads is left out.)
        return new KeysetPage<PatientRow>([.. page.Where(rows.ContainsKey).Select(id => rows[id])], ids.HasPrevious, ids.HasNext, ids.CursorLost);
    }

    /// <summary>The patients with a word starting with each typed word, each once, as the index of words holds them.</summary>
    // A patient with two words that start alike ("Mara Marsh" for "mar") is one hit.
    internal static IQueryable<NameHit> WordHits(ClinicDbContext db, List<NameWord> words) =>
        MatchingWords(db, words).Select(w => new NameHit { SearchName = w.SearchName, PatientId = w.PatientId }).Distinct();

    /// <summary>A typed word, and the first text after every word that starts with it (see <see cref="SearchKey.After"/>).</summary>
    internal sealed record NameWord(string From, string Before);

    /// <summary>The typed words of a name search, each once, the longest first.</summary>
    internal static List<NameWord> NameWords(string name) =>
        [.. SearchKey.Words(SearchKey.Of(name)).Distinct().OrderByDescending(w => w.Length).Select(w => new NameWord(w, SearchKey.After(w) ?? w + char.MaxValue))];

    // string.Compare is only how LINQ spells SQL's >= and < on text: the database compares (ordinal in both).
#pragma warning disable CA1309

    /// <summary>The patients with a word starting with the first typed word, from the index of words, each checked for the others.</summary>
    internal static IQueryable<Patient> FromWordIndex(ClinicDbContext db, IQueryable<Patient> query, List<NameWord> words)
    {
        var ids = MatchingIds(db, words);
        return query.Where(p => ids.Contains(p.Id));
    }

    /// <summary>The ids of the patients with a word starting with each typed word (an id once per matching first word).</summary>
    internal static IQueryable<Guid> MatchingIds(ClinicDbContext db, List<NameWord> words) => MatchingWords(db, words).Select(w => w.PatientId);

    /// <summary>
    /// The words in the first typed word's range whose patients have a word starting with each other typed word: each
    /// other word is checked per candidate on the (PatientId, Word) key, so a common word ("pat") is never read in full.
    /// </summary>
    private static IQueryable<PatientNameWord> MatchingWords(ClinicDbContext db, List<NameWord> words)
    {
        var (from, before) = (words[0].From, words[0].Before);
        var found = db.PatientNameWords.Where(w => string.Compare(w.Word, from) >= 0 && string.Compare(w.Word, before) < 0);
        foreach (var (other, otherBefore) in words.Skip(1))
            found = found.Where(w => db.PatientNameWords.Any(o => o.PatientId == w.PatientId && string.Compare(o.Word, other) >= 0 && string.Compare(o.Word, otherBefore) < 0));
        return found;
    }

    /// <summary>The patients with a word starting with each typed word, each checked on the (PatientId, Word) key.</summary>
    internal static IQueryable<Patient> CheckedInOrder(ClinicDbContext db, IQueryable<Patient> query, List<NameWord> words)
    {
        foreach (var (from, before) in words)
            query = query.Where(p => db.PatientNameWords.Any(w => w.PatientId == p.Id && string.Compare(w.Word, from) >= 0 && string.Compare(w.Word, before) < 0));
        return query;
    }
#pragma warning restore CA1309
}
