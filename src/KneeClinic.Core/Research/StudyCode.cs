namespace KneeClinic.Core.Research;

/// <summary>
/// A case's code in research files: random, so nothing about the patient or the case can be read from it, and kept, so
/// the same case has the same code in every file. Only the key file (administrators, with a reason, audited) maps a
/// code back to a patient. Its rows are not copied into the audit trail, which every administrator can read: that would
/// be a second key file. Assigning codes is recorded as one event instead.
/// </summary>
public sealed class StudyCode
{
    public const int Length = 12;

    private StudyCode() { }

    public StudyCode(Guid caseId, DateTimeOffset assignedAt)
    {
        CaseId = caseId;
        Code = "S-" + RandomCode.New(Length - 2);
        AssignedAt = assignedAt;
    }

    public Guid CaseId { get; private set; }
    public string Code { get; private set; } = "";
    public DateTimeOffset AssignedAt { get; private set; }
}
