using System.ComponentModel.DataAnnotations;
using KneeClinic.Web.Features.Procedures;

namespace KneeClinic.Web.Features.Consents;

public sealed class GenerateConsentForm
{
    [Required(ErrorMessage = "Choose the language of the form."), StringLength(16)]
    public string Language { get; set; } = "en";

    /// <summary>Body text at 14 pt instead of 12 pt, for patients who read large print.</summary>
    public bool LargePrint { get; set; }

    /// <summary>
    /// For a patient who reads neither language of the written form: the language of the short form they sign. The form in
    /// <see cref="Language"/> then serves as the written summary.
    /// </summary>
    [StringLength(16)]
    public string? ShortFormLanguage { get; set; }

    /// <summary>Why a new form is printed while one in the same language waits for its signature; that one is then voided.</summary>
    [StringLength(1000, ErrorMessage = "Keep the reason for a new form under 1,000 characters.")]
    public string? ReplaceReason { get; set; }
}

public sealed class SignatureForm
{
    [Required, DataType(DataType.DateTime), Display(Name = "Date and time the patient signed")]
    [ClinicTime(ErrorMessage = "Check the date and time the patient signed.")]
    public DateTime? SignedAt { get; set; }

    [StringLength(200), Display(Name = "Witness name")]
    public string? WitnessName { get; set; }

    [StringLength(200), Display(Name = "Interpreter name")]
    public string? InterpreterName { get; set; }

    [StringLength(64), Display(Name = "Interpreter's language")]
    public string? InterpreterLanguage { get; set; }

    [Display(Name = "The patient answered the teach-back questions in their own words, and I initialled each one")]
    public bool TeachBackConfirmed { get; set; }

    [Display(Name = "A legally authorized representative signed for the patient")]
    public bool SignedByRepresentative { get; set; }

    [StringLength(200), Display(Name = "Representative's name")]
    public string? RepresentativeName { get; set; }

    [StringLength(100), Display(Name = "Relationship to the patient")]
    public string? RepresentativeRelationship { get; set; }

    [StringLength(200), Display(Name = "Legal authority to consent (e.g. health care power of attorney, court-appointed guardian)")]
    public string? RepresentativeAuthority { get; set; }

    [Display(Name = "Scan of the signed form (PDF, PNG or JPEG, up to 10 MB)")]
    public IFormFile? Scan { get; set; }

    public Guid Version { get; set; }
}

public sealed class WithdrawForm
{
    [Required, DataType(DataType.DateTime), Display(Name = "When the patient withdrew")]
    [ClinicTime(ErrorMessage = "Check the date and time of the withdrawal.")]
    public DateTime? WithdrawnAt { get; set; }

    [Required, StringLength(2000), Display(Name = "Reason")]
    public string Reason { get; set; } = "";

    public Guid Version { get; set; }
}

public sealed class VoidForm
{
    [Required, StringLength(2000), Display(Name = "Why this form is voided")]
    public string Reason { get; set; } = "";

    public Guid Version { get; set; }
}

public sealed class VerifyForm
{
    [Required, StringLength(32), Display(Name = "Document number")]
    public string Number { get; set; } = "";
}
