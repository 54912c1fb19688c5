namespace KneeClinic.Core.Procedures;

/// <summary>The named rules of the procedure pathway, with the message a clinician sees when one is broken.</summary>
public static class PathwayRules
{
    public static readonly RuleViolation NotEligibleForProcedure = new(nameof(NotEligibleForProcedure),
        "Screening has not found this patient eligible, so no procedure can be recorded.");
    public static readonly RuleViolation NotConsented = new(nameof(NotConsented),
        "Record the patient's signed consent before the harvest or the product receipt.");
    public static readonly RuleViolation HarvestIsForOwnCells = new(nameof(HarvestIsForOwnCells),
        "Donor (umbilical-cord) cells are not harvested: record the receipt of the product from the supplier.");
    public static readonly RuleViolation ReceiptIsForDonorCells = new(nameof(ReceiptIsForDonorCells),
        "This case uses the patient's own cells: record the harvest, not a product receipt.");
    public static readonly RuleViolation ProductAlreadyObtained = new(nameof(ProductAlreadyObtained),
        "A product has already been obtained for this case. Reject it at processing if it cannot be used.");
    public static readonly RuleViolation EndsBeforeStart = new(nameof(EndsBeforeStart),
        "The end time is before the start time.");
    public static readonly RuleViolation InFuture = new(nameof(InFuture),
        "That time is in the future. Record what has happened, when it happened.");
    public static readonly RuleViolation VolumeRequired = new(nameof(VolumeRequired),
        "Give a volume greater than 0 mL.");
    public static readonly RuleViolation ProductExpiredOnReceipt = new(nameof(ProductExpiredOnReceipt),
        "The product lot had already expired when it was received. Do not accept it.");

    public static readonly RuleViolation NoProductToProcess = new(nameof(NoProductToProcess),
        "Record the harvest or the product receipt before processing.");
    public static readonly RuleViolation AlreadyProcessed = new(nameof(AlreadyProcessed),
        "This product has already been processed and its release decided.");
    public static readonly RuleViolation ProcessedBeforeObtained = new(nameof(ProcessedBeforeObtained),
        "Processing cannot start before the harvest ended or the product was received.");
    public static readonly RuleViolation SecondVerifierMustDiffer = new(nameof(SecondVerifierMustDiffer),
        "The second verifier must be a different person from the operator.");
    public static readonly RuleViolation KitExpired = new(nameof(KitExpired),
        "The processing kit had expired on the day of processing. A product made with it cannot be released.");
    public static readonly RuleViolation ViabilityOutOfRange = new(nameof(ViabilityOutOfRange),
        "Viability is a percentage from 0 to 100.");
    public static readonly RuleViolation UseByRequired = new(nameof(UseByRequired),
        "A released product needs a use-by time later than its release.");
    public static readonly RuleViolation DecidedBeforeProcessingEnded = new(nameof(DecidedBeforeProcessingEnded),
        "The release decision is made after processing ends. Check the times.");
    public static readonly RuleViolation OnlyReleasedCanBeDiscarded = new(nameof(OnlyReleasedCanBeDiscarded),
        "Only a released product that has not been injected can be discarded.");
    public static readonly RuleViolation RejectionReasonRequired = new(nameof(RejectionReasonRequired),
        "Give the reason the product is rejected.");
    public static readonly RuleViolation DiscardReasonRequired = new(nameof(DiscardReasonRequired),
        "Give the reason the product is discarded.");
    public static readonly RuleViolation UseByAfterLotExpiry = new(nameof(UseByAfterLotExpiry),
        "The use-by time cannot be later than the expiry of the supplier's lot.");

    public static readonly RuleViolation NotReleased = new(nameof(NotReleased),
        "There is no released product for this case. Only a product released at processing can be injected.");
    public static readonly RuleViolation ProductCodeMismatch = new(nameof(ProductCodeMismatch),
        "STOP: the product code does not match the product made for this case. Do not inject. Check the label.");
    public static readonly RuleViolation KneeMismatch = new(nameof(KneeMismatch),
        "STOP: the knee does not match the knee this case is for. Do not inject.");
    public static readonly RuleViolation UltrasoundRequired = new(nameof(UltrasoundRequired),
        "The injection must be guided by ultrasound. Confirm that it was.");
    public static readonly RuleViolation ProductExpired = new(nameof(ProductExpired),
        "The product is past its use-by time. Do not inject it.");
    public static readonly RuleViolation AlreadyInjected = new(nameof(AlreadyInjected),
        "The injection has already been recorded for this case.");
    public static readonly RuleViolation InjectedBeforeRelease = new(nameof(InjectedBeforeRelease),
        "The injection time is before the product was released.");
    public static readonly RuleViolation VolumeExceedsProduct = new(nameof(VolumeExceedsProduct),
        "The injected volume is more than the product's output volume.");
    public static readonly RuleViolation IdentifiersNotConfirmed = new(nameof(IdentifiersNotConfirmed),
        "STOP: confirm two identifiers before the injection. The patient says their full name and date of birth, and the record number on their wristband matches.");
    public static readonly RuleViolation TimeOutRequired = new(nameof(TimeOutRequired),
        "Do the pre-injection time-out first: scan the product, check the patient's identity and the knee, then record the injection.");
    public static readonly RuleViolation TimeOutAfterInjection = new(nameof(TimeOutAfterInjection),
        "The injection time is before the time-out. The time-out comes before the needle: check the time.");
    public static readonly RuleViolation TimeOutStale = new(nameof(TimeOutStale),
        "The time-out was more than an hour before this injection time. Do it again at the bedside.");

    /// <summary>How long a time-out stands: the check is for the injection that follows it, not one later in the day.</summary>
    public static readonly TimeSpan TimeOutLasts = TimeSpan.FromHours(1);

    public static readonly RuleViolation DischargeInstructionsRequired = new(nameof(DischargeInstructionsRequired),
        "Give the patient the discharge instructions, then record the injection.");
}
