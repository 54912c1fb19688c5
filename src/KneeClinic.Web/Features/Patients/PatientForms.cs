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

    public static async Task<PatientSearchResult> RunAsync(ClinicDbContext db, PatientSearchForm form)
    {
        var query = db.Patients.AsNoTracking().IgnoreAutoIncludes();
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
        }
        else if (!string.IsNullOrWhiteSpace(form.Name))
        {
            // Each typed word, without accents or case, is the start of a word of the name: "lefev" finds "Lefèvre", and
            // "john smi" finds John Smith. A range in the index of name words, never a LIKE '%...%' that reads every patient.
            // The longest word (the likeliest to name few patients) picks the candidates from the index of words; each other
            // word is then checked per candidate on the (PatientId, Word) key, so a common word ("pat") is never read in full.
            var typed = SearchKey.Words(SearchKey.Of(form.Name)).Distinct().OrderByDescending(w => w.Length).ToList();
            for (var i = 0; i < typed.Count; i++)
            {
                var word = typed[i];
                var before = SearchKey.After(word) ?? word + char.MaxValue;
#pragma warning disable CA1309
                if (i == 0)
                {
                    var ids = db.PatientNameWords.Where(w => string.Compare(w.Word, word) >= 0 && string.Compare(w.Word, before) < 0).Select(w => w.PatientId);
                    query = query.Where(p => ids.Contains(p.Id));
                }
                else
                    query = query.Where(p => db.PatientNameWords.Any(w => w.PatientId == p.Id && string.Compare(w.Word, word) >= 0 && string.Compare(w.Word, before) < 0));
#pragma warning restore CA1309
            }
            // A name with no letter or digit ("%", "--") names nobody.
            if (typed.Count == 0) query = query.Where(p => false);
        }
        if (!string.IsNullOrWhiteSpace(form.Mrn))
        {
            // A start no MRN could have matches nobody (the page says why); otherwise a range over the unique index.
            var (from, before) = Mrn.StartingWith(form.Mrn) ?? (default, default);
            query = query.Where(p => p.Mrn >= from && p.Mrn < before);
        }
        if (form.DateOfBirth is { } dob)
            query = query.Where(p => p.DateOfBirth == dob);

        var matches = await Keyset.CountUpToAsync(query, Pager.CountCap);
        // By the search name ("family given" without accents or case), then id: a unique order the index holds.
        var order = Keyset.OrderBy(query, p => p.SearchName).ThenBy(p => p.Id);
        // The open cases are counted for the page's rows alone, from the (PatientId, Stage) index.
        var page = await Keyset.PageAsync(query, order, p => p.Id, Guid.TryParse, form, PageSize,
            p => new PatientRow(p.Id, p.Mrn, p.GivenName, p.FamilyName, p.DateOfBirth,
                db.Cases.Where(Core.Cases.Case.Open).Count(c => c.PatientId == p.Id)));
        return new PatientSearchResult(form, page, matches);
    }
}
