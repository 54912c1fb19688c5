using System.ComponentModel.DataAnnotations;
using KneeClinic.Core.Data;
using KneeClinic.Core.Patients;
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

public sealed class PatientSearchForm
{
    /// <summary>A name, or a phone number (a text without letters; see <see cref="PhoneKey"/>).</summary>
    [StringLength(100), Display(Name = "Name or phone")]
    public string? Name { get; set; }

    [StringLength(Core.Patients.Mrn.MaxLength), Display(Name = "MRN")]
    public string? Mrn { get; set; }

    [DataType(DataType.Date), Display(Name = "Date of birth")]
    public DateOnly? DateOfBirth { get; set; }

    [Range(1, 100_000)]
    public int Page { get; set; } = 1;
}

public sealed record PatientRow(Guid Id, Mrn Mrn, string GivenName, string FamilyName, DateOnly DateOfBirth, int OpenCases);

public sealed record PatientSearchResult(PatientSearchForm Form, IReadOnlyList<PatientRow> Rows, int Total)
{
    public int Pages => Math.Max(1, (Total + PatientSearch.PageSize - 1) / PatientSearch.PageSize);
}

public static class PatientSearch
{
    public const int PageSize = 20;

    public static async Task<PatientSearchResult> RunAsync(ClinicDbContext db, PatientSearchForm form)
    {
        var query = db.Patients.AsNoTracking();
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
            // Each word, without accents or case, anywhere in the name: "lefevre" finds "Lefèvre".
            foreach (var word in SearchKey.Of(form.Name).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var pattern = $"%{EscapeLike(word)}%";
                query = query.Where(p => EF.Functions.Like(p.SearchName, pattern, "\\"));
            }
        }
        if (!string.IsNullOrWhiteSpace(form.Mrn))
        {
            // A start no MRN could have matches nobody (the page says why); otherwise a range over the unique index.
            var (from, before) = Mrn.StartingWith(form.Mrn) ?? (default, default);
            query = query.Where(p => p.Mrn >= from && p.Mrn < before);
        }
        if (form.DateOfBirth is { } dob)
            query = query.Where(p => p.DateOfBirth == dob);

        var total = await query.CountAsync();
        var page = Math.Clamp(form.Page, 1, Math.Max(1, (total + PageSize - 1) / PageSize));
        form.Page = page;
        var rows = await query
            .OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName).ThenBy(p => p.Mrn)
            .Skip((page - 1) * PageSize).Take(PageSize)
            .Select(p => new PatientRow(p.Id, p.Mrn, p.GivenName, p.FamilyName, p.DateOfBirth,
                db.Cases.Where(Core.Cases.Case.Open).Count(c => c.PatientId == p.Id)))
            .ToListAsync();
        return new PatientSearchResult(form, rows, total);
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
