namespace KneeClinic.Core.Consent;

/// <summary>The named consent rules, with the message staff see when one is broken.</summary>
public static class ConsentRules
{
    public const int DefaultValidityDays = 90;

    public static readonly RuleViolation NotEligibleForConsent = new(nameof(NotEligibleForConsent),
        "A consent form can only be made once screening has found the patient eligible.");
    public static readonly RuleViolation ClosedCaseConsent = new(nameof(ClosedCaseConsent),
        "This case is closed. No consent can be made or recorded on it.");
    public static readonly RuleViolation DocumentNotOfCase = new(nameof(DocumentNotOfCase),
        "That consent form does not belong to this case.");
    public static readonly RuleViolation TooLateInPathway = new(nameof(TooLateInPathway),
        "The injection has already been given, so a new consent form is not needed for it.");

    public static readonly RuleViolation NotAwaitingSignature = new(nameof(NotAwaitingSignature),
        "Only a consent that is waiting for its signature can be signed. A signed, withdrawn or voided consent cannot change.");
    public static readonly RuleViolation SignedInFuture = new(nameof(SignedInFuture),
        "The signing time cannot be in the future.");
    public static readonly RuleViolation SignedBeforeGenerated = new(nameof(SignedBeforeGenerated),
        "The signing time is before this form was printed. Check the date and time.");
    public static readonly RuleViolation TeachBackRequired = new(nameof(TeachBackRequired),
        "Confirm that the patient explained the key points back in their own words (teach-back) before recording the signature.");
    public static readonly RuleViolation InterpreterLanguageRequired = new(nameof(InterpreterLanguageRequired),
        "Give the language the interpreter used.");
    public static readonly RuleViolation WitnessRequiredWithInterpreter = new(nameof(WitnessRequiredWithInterpreter),
        "A witness must sign when the form was explained through an interpreter.");
    public static readonly RuleViolation WitnessRequiredForShortForm = new(nameof(WitnessRequiredForShortForm),
        "A witness must be present and sign both the short form and the written summary when the short form is used.");
    public static readonly RuleViolation RepresentativeDetailsRequired = new(nameof(RepresentativeDetailsRequired),
        "When a legally authorized representative signs, give their name, their relationship to the patient and their legal authority to consent.");
    public static readonly RuleViolation ScanRequired = new(nameof(ScanRequired),
        "Upload the scan of the signed paper form.");

    public static readonly RuleViolation ScreeningChangedSincePrinted = new(nameof(ScreeningChangedSincePrinted),
        "The screening decision changed after this form was printed, so the form may say the wrong things. Void it and print a new one.");
    public static readonly RuleViolation PrintedOnSupersededVersion = new(nameof(PrintedOnSupersededVersion),
        "This form was printed on a version of the consent that has since been replaced. Void it and print a new one.");

    /// <summary>A form in this language is already waiting for its signature: a second one would leave two to sign.</summary>
    public static RuleViolation FormAwaitingSignature(DocumentNumber waiting, ConsentLanguage language) => new(nameof(FormAwaitingSignature),
        $"Form {waiting} in {language.Name} is already waiting for its signature. Open it to print it again, or give the reason " +
        "for a new one: the waiting form is then voided with that reason.");

    public static readonly RuleViolation NotSigned = new(nameof(NotSigned),
        "Only a signed consent can be withdrawn. An unsigned form can be voided instead.");
    public static readonly RuleViolation NotVoidable = new(nameof(NotVoidable),
        "Only a form that has not been signed can be voided. A signed consent can be withdrawn.");
    public static readonly RuleViolation WithdrawalReasonRequired = new(nameof(WithdrawalReasonRequired), "Give the reason for the withdrawal.");
    public static readonly RuleViolation VoidReasonRequired = new(nameof(VoidReasonRequired), "Give the reason for voiding the form.");
    public static readonly RuleViolation WithdrawnInFuture = new(nameof(WithdrawnInFuture),
        "The withdrawal date cannot be in the future.");
    public static readonly RuleViolation WithdrawnBeforeSigned = new(nameof(WithdrawnBeforeSigned),
        "The withdrawal date is before the consent was signed.");

    public static readonly RuleViolation ConsentMissing = new(nameof(ConsentMissing),
        "There is no signed consent for this case.");
    public static readonly RuleViolation ConsentWithdrawn = new(nameof(ConsentWithdrawn),
        "The patient withdrew consent. Nothing more may be done until a new consent is signed.");
    public static readonly RuleViolation ConsentSuperseded = new(nameof(ConsentSuperseded),
        "A newer version of the consent form has been published that requires the patient to consent again.");

    public static RuleViolation ConsentExpired(int days) => new(nameof(ConsentExpired),
        $"The consent was signed more than {days} days before this procedure. The patient must consent again.");

    public static readonly RuleViolation SignedAfterProcedure = new(nameof(SignedAfterProcedure),
        "The consent was signed after the time of this procedure.");

    // Why one printed form allows no procedure now: what the verification page tells the person holding the paper.
    public static readonly RuleViolation FormNotSignedYet = new(nameof(FormNotSignedYet),
        "This form has not been signed yet. It allows no procedure until the signature is recorded.");
    public static readonly RuleViolation FormVoided = new(nameof(FormVoided),
        "This form was voided before it was signed. It allows no procedure.");

    public static RuleViolation ConsentLapsed(int days) => new(nameof(ConsentLapsed),
        $"The consent was signed more than {days} days ago. The patient must consent again before any procedure.");
}
