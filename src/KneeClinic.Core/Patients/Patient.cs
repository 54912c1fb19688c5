using KneeClinic.Core.Audit;

namespace KneeClinic.Core.Patients;

public enum Sex
{
    Female,
    Male,
    Other,
    Unknown,
}

public sealed class Patient : Aggregate
{
    public const int NameMaxLength = 100;

    private Patient() { }

    public const int MaxAgeYears = 130;

    public Patient(Mrn mrn, string givenName, string familyName, DateOnly dateOfBirth, Sex sex, DateTimeOffset createdAt)
    {
        Mrn = mrn;
        CreatedAt = createdAt;
        Update(givenName, familyName, dateOfBirth, sex, phone: null, email: null, notes: null);
    }

    /// <summary>
    /// What is wrong with a patient's identifying details, as of <paramref name="today"/>: an MRN with characters an MRN
    /// cannot hold, a date of birth that is not
    /// in the past or is not believable, and a name holding a control character (a stray tab, line break or terminal
    /// code pasted with it), which prints as nothing on the consent form, so the printed name would not be the stored one.
    /// </summary>
    public static IReadOnlyList<RuleViolation> Check(string? mrn, string? givenName, string? familyName, DateOnly? dateOfBirth, DateOnly today)
    {
        var problems = new List<RuleViolation>();
        if (!string.IsNullOrWhiteSpace(mrn) && Mrn.From(mrn) is null) problems.Add(PatientRules.MrnFormat);
        if (dateOfBirth >= today) problems.Add(PatientRules.BornInFuture);
        else if (dateOfBirth < today.AddYears(-MaxAgeYears)) problems.Add(PatientRules.TooOld);
        if (givenName?.Any(char.IsControl) == true) problems.Add(PatientRules.ControlCharacter(nameof(GivenName), "given name"));
        if (familyName?.Any(char.IsControl) == true) problems.Add(PatientRules.ControlCharacter(nameof(FamilyName), "family name"));
        return problems;
    }

    /// <summary>The clinic's medical record number; unique.</summary>
    public Mrn Mrn { get; private set; }
    [PatientData]
    public string GivenName { get; private set; } = "";
    [PatientData]
    public string FamilyName { get; private set; } = "";

    /// <summary>"family given" without accents or case, for the patient search (<see cref="Patients.SearchKey"/>).</summary>
    public string SearchName { get; private set; } = "";

    public const int SearchNameMaxLength = 2 * NameMaxLength + 50;

    private readonly List<PatientNameWord> _nameWords = [];

    /// <summary>
    /// Each word of <see cref="SearchName"/> once, so a search for the start of any word ("smi", "john smi") is a range
    /// in an index rather than a LIKE '%smi%' that reads every patient.
    /// </summary>
    public IReadOnlyCollection<PatientNameWord> NameWords => _nameWords;
    [PatientData]
    public DateOnly DateOfBirth { get; private set; }
    [PatientData]
    public Sex Sex { get; private set; }
    [PatientData]
    public string? Phone { get; private set; }

    /// <summary>The phone's digits reversed, for the patient search (<see cref="Patients.PhoneKey"/>); empty without a phone.</summary>
    public string PhoneSearch { get; private set; } = "";
    [PatientData]
    public string? Email { get; private set; }
    [PatientData]
    public string? Notes { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public string FullName => $"{GivenName} {FamilyName}";

    /// <summary>"Family, Given": how a patient is named in lists and headings, sorted by family name.</summary>
    public static string ListName(string familyName, string givenName) => $"{familyName}, {givenName}";

    /// <summary>
    /// "A. M.": the first letter of the given and the family name, enough to match a paper form without showing the name.
    /// A letter is a whole text element, so an accented capital written with a combining mark stays whole.
    /// </summary>
    public static string Initials(string familyName, string givenName) =>
        string.Join(" ", new[] { givenName, familyName }.Select(n => n.Trim()).Where(n => n.Length > 0)
            .Select(n => System.Globalization.StringInfo.GetNextTextElement(n).ToUpperInvariant() + "."));

    public void Update(string givenName, string familyName, DateOnly dateOfBirth, Sex sex, string? phone, string? email, string? notes)
    {
        GivenName = givenName.Trim();
        FamilyName = familyName.Trim();
        SearchName = SearchKey.Of($"{FamilyName} {GivenName}");
        RefreshNameWords();
        DateOfBirth = dateOfBirth;
        Sex = sex;
        Phone = Blank(phone);
        PhoneSearch = PhoneKey.Of(Phone);
        Email = Blank(email);
        Notes = Blank(notes);
    }

    public void ChangeMrn(Mrn mrn) => Mrn = mrn;

    /// <summary>Brings <see cref="NameWords"/> in line with the name: words no longer in it go, new ones come.</summary>
    public void RefreshNameWords()
    {
        var words = SearchKey.Words(SearchName).ToHashSet(StringComparer.Ordinal);
        _nameWords.RemoveAll(w => !words.Contains(w.Word));
        foreach (var kept in _nameWords) kept.SortsAs(SearchName);
        foreach (var word in words.Where(w => !_nameWords.Exists(n => n.Word == w)))
            _nameWords.Add(new PatientNameWord(Id, word, SearchName));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>
/// One word of a patient's name as the search compares it (<see cref="SearchKey.Words"/>), with the patient's search
/// name beside it: the index of words then holds a search's patients in the order the list shows them, so a page of
/// them is read from it without looking each patient up first.
/// </summary>
public sealed class PatientNameWord
{
    private PatientNameWord() { }

    public PatientNameWord(Guid patientId, string word, string searchName) => (PatientId, Word, SearchName) = (patientId, word, searchName);

    public Guid PatientId { get; private set; }
    public string Word { get; private set; } = "";

    /// <summary>The patient's <see cref="Patient.SearchName"/>, kept with it when the name changes.</summary>
    public string SearchName { get; private set; } = "";

    internal void SortsAs(string searchName) => SearchName = searchName;
}

public static class PatientRules
{
    public static readonly RuleViolation MrnFormat = new(nameof(MrnFormat), Mrn.FormatMessage, nameof(Patient.Mrn));

    public static readonly RuleViolation BornInFuture = new(nameof(BornInFuture),
        "The date of birth must be in the past.", nameof(Patient.DateOfBirth));

    public static readonly RuleViolation TooOld = new(nameof(TooOld),
        $"Check the date of birth: that would make the patient over {Patient.MaxAgeYears} years old.", nameof(Patient.DateOfBirth));

    public static RuleViolation ControlCharacter(string member, string label) => new(nameof(ControlCharacter),
        $"The {label} contains a control character (a tab, line break or similar). Type the name again without it.", member);
}
