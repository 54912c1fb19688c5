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
    public const int MrnMaxLength = 32;
    public const int NameMaxLength = 100;

    private Patient() { }

    public Patient(string mrn, string givenName, string familyName, DateOnly dateOfBirth, Sex sex, DateTimeOffset createdAt)
    {
        Mrn = mrn.Trim();
        CreatedAt = createdAt;
        Update(givenName, familyName, dateOfBirth, sex, phone: null, email: null, notes: null);
    }

    /// <summary>The clinic's medical record number; unique.</summary>
    public string Mrn { get; private set; } = "";
    public string GivenName { get; private set; } = "";
    public string FamilyName { get; private set; } = "";
    public DateOnly DateOfBirth { get; private set; }
    public Sex Sex { get; private set; }
    public string? Phone { get; private set; }
    public string? Email { get; private set; }
    public string? Notes { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public string FullName => $"{GivenName} {FamilyName}";

    public void Update(string givenName, string familyName, DateOnly dateOfBirth, Sex sex, string? phone, string? email, string? notes)
    {
        GivenName = givenName.Trim();
        FamilyName = familyName.Trim();
        DateOfBirth = dateOfBirth;
        Sex = sex;
        Phone = Blank(phone);
        Email = Blank(email);
        Notes = Blank(notes);
    }

    public void ChangeMrn(string mrn) => Mrn = mrn.Trim();

    public int AgeOn(DateOnly day)
    {
        var age = day.Year - DateOfBirth.Year;
        return DateOfBirth.AddYears(age) > day ? age - 1 : age;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
