using KneeClinic.Core.Audit;
using KneeClinic.Core.Consent;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Procedures;
using KneeClinic.Core.Screening;

namespace KneeClinic.Core.Cases;

/// <summary>
/// One knee treated for one patient, from screening to the last follow-up. Every stage change is
/// a method here that either succeeds or returns the <see cref="RuleViolation"/> it would break.
/// </summary>
public sealed class Case : Aggregate
{
    public const int MinimumJustificationLength = 20;

    private readonly List<ConsentDocument> _consents = [];
    private readonly List<CellProduct> _products = [];
    private readonly List<FollowUpVisit> _visits = [];
    private readonly List<AdverseEvent> _adverseEvents = [];

    private Case() { }

    public Case(Guid patientId, KneeSide knee, CellSource cellSource, KlGrade? kellgrenLawrenceGrade,
        string assignedClinicianId, DateTimeOffset openedAt)
    {
        PatientId = patientId;
        Knee = knee;
        CellSource = cellSource;
        KellgrenLawrenceGrade = kellgrenLawrenceGrade;
        AssignedClinicianId = assignedClinicianId;
        OpenedAt = openedAt;
        Stage = CaseStage.Screening;
        Screening = new CaseScreening(Id);
    }

    public Guid PatientId { get; private set; }
    public KneeSide Knee { get; private set; }
    public CellSource CellSource { get; private set; }

    /// <summary>Radiographic osteoarthritis severity, 0 (none) to 4 (severe).</summary>
    public KlGrade? KellgrenLawrenceGrade { get; private set; }

    public CaseStage Stage { get; private set; }
    public string AssignedClinicianId { get; private set; } = "";
    public DateTimeOffset OpenedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    [PatientData]
    public string? CloseReason { get; private set; }

    public CaseScreening Screening { get; private set; } = null!;

    /// <summary>Every consent form printed for the case, with its signature and what happened to it since.</summary>
    public IReadOnlyList<ConsentDocument> ConsentDocuments => _consents;

    /// <summary>Every product obtained for the case; rejected and discarded ones stay on record.</summary>
    public IReadOnlyList<CellProduct> Products => _products;

    public Injection? Injection { get; private set; }

    public IReadOnlyList<FollowUpVisit> Visits => _visits;

    public IReadOnlyList<AdverseEvent> AdverseEvents => _adverseEvents;

    /// <summary>The injection has been given: the case is in (or done with) follow-up.</summary>
    public bool HasBeenInjected => !IsBeforeInjection(this);

    public bool ScreeningIsOpen => Stage is CaseStage.Screening or CaseStage.Eligible or CaseStage.NotEligible;

    /// <summary>The step the pathway waits for on this case; the screens offer its form and no other.</summary>
    public PathwayStep NextStep => Stage switch
    {
        CaseStage.Screening or CaseStage.NotEligible => PathwayStep.Screening,
        CaseStage.Eligible => PathwayStep.Consent,
        CaseStage.Consented => CellSource.Profile().Obtained switch
        {
            ProductOrigin.Harvest => PathwayStep.Harvest,
            ProductOrigin.Receipt => PathwayStep.Receipt,
        },
        CaseStage.ProductObtained => PathwayStep.Processing,
        CaseStage.ProductReleased => PathwayStep.Injection,
        CaseStage.Injected or CaseStage.FollowUp => PathwayStep.FollowUp,
        CaseStage.Completed or CaseStage.Closed => PathwayStep.None,
    };

    public RuleViolation? RecordCheckup(DateOnly date, string? history, string? notes, int baselinePainNrs,
        IEnumerable<(Contraindication Kind, string? Notes)> contraindications, DateOnly today)
    {
        if (Guard() is { } locked) return locked;
        if (date > today) return CaseRules.CheckupInFuture;
        if (PainScore.From(baselinePainNrs) is not { } pain) return CaseRules.PainOutOfRange;

        Screening.RecordCheckup(date, history, notes, pain, contraindications);
        ReopenDecision();
        return null;
    }

    /// <summary>
    /// Baseline KOOS; it informs the outcome charts, not the eligibility decision, so the decision stands. Often
    /// filled in at the consent visit, so it may be taken until the injection, never after.
    /// </summary>
    public RuleViolation? RecordBaselineKoos(FollowUp.KoosAnswers answers)
    {
        if (Stage == CaseStage.Closed) return CaseRules.CaseClosed;
        if (HasBeenInjected) return CaseRules.BaselineAfterInjection;
        Screening.RecordBaselineKoos(answers);
        return null;
    }

    public RuleViolation? AddMedication(Medication medication)
    {
        if (Guard() is { } locked) return locked;
        if (medication.PauseFrom is { } from && medication.ResumeOn is { } to && to < from)
            return CaseRules.ResumeBeforePause;

        Screening.AddMedication(medication);
        ReopenDecision();
        return null;
    }

    public RuleViolation? RemoveMedication(Guid medicationId)
    {
        if (Guard() is { } locked) return locked;
        if (!Screening.RemoveMedication(medicationId)) return CaseRules.NotFound;
        ReopenDecision();
        return null;
    }

    public RuleViolation? AddImaging(ImagingStudy study, DateOnly today)
    {
        if (Guard() is { } locked) return locked;
        if (study.PerformedOn > today) return CaseRules.ImagingInFuture;

        Screening.AddImaging(study);
        KellgrenLawrenceGrade = Screening.Imaging
            .Where(i => i.KellgrenLawrenceGrade is not null)
            .OrderBy(i => i.PerformedOn)
            .LastOrDefault()?.KellgrenLawrenceGrade ?? KellgrenLawrenceGrade;
        ReopenDecision();
        return null;
    }

    public RuleViolation? RemoveImaging(Guid studyId)
    {
        if (Guard() is { } locked) return locked;
        if (!Screening.RemoveImaging(studyId)) return CaseRules.NotFound;
        ReopenDecision();
        return null;
    }

    /// <summary>
    /// Records the eligibility decision. A case with any present contraindication can only be
    /// declared eligible through an explicit, justified override of every one of them, and an
    /// active infection can never be overridden: it has to be cleared and the check-up recorded again.
    /// </summary>
    public RuleViolation? DecideEligibility(EligibilityOutcome outcome, string? reason, string clinicianId, DateTimeOffset at)
    {
        if (Guard() is { } locked) return locked;
        if (Screening.CheckupDate is null) return CaseRules.CheckupMissing;
        if (Screening.Imaging.Count == 0) return CaseRules.ImagingMissing;

        var present = Screening.PresentContraindications();
        var overridden = Array.Empty<Contraindication>();
        switch (outcome)
        {
            case EligibilityOutcome.NotEligible when string.IsNullOrWhiteSpace(reason):
                return CaseRules.NotEligibleReasonRequired;
            case EligibilityOutcome.Eligible when present.Count > 0:
                return CaseRules.ContraindicationPresent(present);
            case EligibilityOutcome.EligibleWithOverride:
                if (present.Count == 0) return CaseRules.NothingToOverride;
                if (present.Contains(Contraindication.ActiveInfection)) return CaseRules.ActiveInfectionNotOverridable;
                if ((reason?.Trim().Length ?? 0) < MinimumJustificationLength) return CaseRules.JustificationRequired;
                overridden = [.. present.Order()];
                break;
        }

        Screening.SetDecision(outcome, reason, overridden, clinicianId, at);
        Stage = Screening.IsEligible ? CaseStage.Eligible : CaseStage.NotEligible;
        return null;
    }

    public RuleViolation? Close(string reason, DateTimeOffset at)
    {
        if (Stage == CaseStage.Closed) return CaseRules.CaseClosed;
        if (string.IsNullOrWhiteSpace(reason)) return CaseRules.CloseReasonRequired;
        Stage = CaseStage.Closed;
        ClosedAt = at;
        CloseReason = reason.Trim();
        return null;
    }

    /// <summary>A case still being worked on (at most one per knee of a patient), as a query the database runs.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<Case, bool>> Open =
        c => c.Stage != CaseStage.Closed && c.Stage != CaseStage.Completed;

    private static readonly Func<Case, bool> IsOpenCase = Open.Compile();

    /// <summary>A case not injected yet (closed ones included), as a query the database runs.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<Case, bool>> BeforeInjection =
        c => c.Stage != CaseStage.Injected && c.Stage != CaseStage.FollowUp && c.Stage != CaseStage.Completed;

    private static readonly Func<Case, bool> IsBeforeInjection = BeforeInjection.Compile();

    public bool IsOpen => IsOpenCase(this);

    /// <summary>
    /// A new case for a knee that already has an open one would split one treatment's record in two: the open case
    /// must be completed or closed first.
    /// </summary>
    public static RuleViolation? MayOpen(KneeSide knee, IEnumerable<KneeSide> kneesWithOpenCases) =>
        kneesWithOpenCases.Contains(knee) ? CaseRules.KneeAlreadyOpen(knee) : null;

    // ---- Consent ------------------------------------------------------------------------------------------------

    /// <summary>A consent form can be made once the patient is eligible, and again (re-consent) until the injection.</summary>
    public RuleViolation? CanGenerateConsent()
    {
        if (Stage == CaseStage.Closed) return ConsentRules.ClosedCaseConsent;
        if (HasBeenInjected) return ConsentRules.TooLateInPathway;
        return Screening.IsEligible ? null : ConsentRules.NotEligibleForConsent;
    }

    /// <summary>
    /// Keeps a freshly printed consent form with the case, awaiting the patient's signature. One form per language waits
    /// at a time: with a form in that language already waiting, the new one is refused, unless a reason is given for it,
    /// which voids the waiting form (a double click on "Generate" makes one form, not two to sign).
    /// </summary>
    public RuleViolation? AddConsent(ConsentDocument document, string? replacingReason = null)
    {
        if (CanGenerateConsent() is { } violation) return violation;
        if (document.CaseId != Id || document.Status != ConsentStatus.Generated) return ConsentRules.DocumentNotOfCase;
        var waiting = _consents.Where(d => d.Status == ConsentStatus.Generated && d.Language == document.Language).ToList();
        if (waiting.Count > 0 && string.IsNullOrWhiteSpace(replacingReason))
            return ConsentRules.FormAwaitingSignature(waiting[^1].DocumentNumber, document.Language);
        foreach (var old in waiting)
            old.Void($"Replaced by form {document.DocumentNumber}: {replacingReason!.Trim()}", document.GeneratedById, document.GeneratedAt);
        _consents.Add(document);
        return null;
    }

    /// <summary>
    /// Records the patient's signature on a printed form. A form is refused when it would not allow a procedure right
    /// now (printed on wording since replaced, signed too long ago), or when it was printed before the current
    /// eligibility decision and so may say the wrong things. The signed consent moves an eligible case on.
    /// </summary>
    public RuleViolation? RecordSignature(Guid documentId, ConsentSignature signature, ConsentTerms terms, DateTimeOffset now)
    {
        if (_consents.FirstOrDefault(d => d.Id == documentId) is not { } document) return ConsentRules.DocumentNotOfCase;
        if (document.CheckSignature(signature, now) is { } invalid) return invalid;
        if (terms.Covers(document.TemplateVersionId, signature.SignedAt, now) is { } notValid)
            return notValid == ConsentRules.ConsentSuperseded ? ConsentRules.PrintedOnSupersededVersion : notValid;
        if (CanGenerateConsent() is { } violation) return violation;
        if (Screening.DecidedAt > document.GeneratedAt) return ConsentRules.ScreeningChangedSincePrinted;

        document.RecordSignature(signature, now);
        if (Stage == CaseStage.Eligible) Stage = CaseStage.Consented;
        return null;
    }

    /// <summary>
    /// The patient withdraws from the treatment, not from one sheet of paper: every signed consent of the case ends
    /// (none earlier than its own signing). Before anything was done the case returns to eligible, so a new consent
    /// may follow; later, every further procedure is refused until the patient signs again.
    /// </summary>
    public RuleViolation? WithdrawConsent(Guid documentId, DateTimeOffset withdrawnAt, string reason, string byId, DateTimeOffset now)
    {
        if (_consents.FirstOrDefault(d => d.Id == documentId) is not { } document) return ConsentRules.DocumentNotOfCase;
        if (document.Withdraw(withdrawnAt, reason, byId, now) is { } violation) return violation;
        foreach (var other in _consents.Where(d => d.Status == ConsentStatus.Signed))
            other.Withdraw(withdrawnAt < other.Signature!.SignedAt ? other.Signature.SignedAt : withdrawnAt, reason, byId, now);
        if (Stage == CaseStage.Consented) Stage = CaseStage.Eligible;
        return null;
    }

    /// <summary>A printed form that will not be signed (a misprint, a second copy) is voided and kept on record.</summary>
    public RuleViolation? VoidConsent(Guid documentId, string reason, string byId, DateTimeOffset now) =>
        _consents.FirstOrDefault(d => d.Id == documentId) is { } document ? document.Void(reason, byId, now) : ConsentRules.DocumentNotOfCase;

    // ---- Procedures ---------------------------------------------------------------------------------------------

    /// <summary>The product the case is working with (see <see cref="CellProduct.Current"/>).</summary>
    public CellProduct? CurrentProduct => CellProduct.Current(_products);

    /// <summary>The harvest of the patient's own cells, which makes the case's product.</summary>
    public RuleViolation? RecordHarvest(HarvestRecord harvest, ConsentTerms terms, ClinicClock clock)
    {
        if (CanObtainProduct() is { } blocked) return blocked;
        if (CellSource.Profile().Obtained != ProductOrigin.Harvest) return PathwayRules.HarvestIsForOwnCells;
        if (harvest.EndedAt < harvest.StartedAt) return PathwayRules.EndsBeforeStart;
        if (harvest.EndedAt > clock.Now) return PathwayRules.InFuture;
        if (harvest.VolumeMl <= 0) return PathwayRules.VolumeRequired;
        if (Consents(terms).ValidAt(harvest.StartedAt) is { } consent) return consent;

        _products.Add(CellProduct.FromHarvest(Id, CellSource, harvest));
        Stage = CaseStage.ProductObtained;
        return null;
    }

    /// <summary>The receipt of a donor product from its supplier, which becomes the case's product.</summary>
    public RuleViolation? RecordReceipt(ProductReceipt receipt, ConsentTerms terms, ClinicClock clock)
    {
        if (CanObtainProduct() is { } blocked) return blocked;
        if (CellSource.Profile().Obtained != ProductOrigin.Receipt) return PathwayRules.ReceiptIsForDonorCells;
        if (receipt.ReceivedAt > clock.Now) return PathwayRules.InFuture;
        if (clock.EndOf(receipt.Expiry) < receipt.ReceivedAt) return PathwayRules.ProductExpiredOnReceipt;
        if (Consents(terms).ValidAt(receipt.ReceivedAt) is { } consent) return consent;

        _products.Add(CellProduct.FromReceipt(Id, CellSource, receipt));
        Stage = CaseStage.ProductObtained;
        return null;
    }

    /// <summary>
    /// Processing (or thaw and preparation) of the current product and the release decision. A rejected product stays
    /// on record with the reason, and the case waits for a new harvest or receipt.
    /// </summary>
    public RuleViolation? RecordProcessing(ProcessingRecord record, ConsentTerms terms, ClinicClock clock)
    {
        if (Stage == CaseStage.Closed) return CaseRules.CaseClosed;
        if (CurrentProduct is not { } product) return PathwayRules.NoProductToProcess;
        if (product.Processing is not null) return PathwayRules.AlreadyProcessed;
        if (Stage != CaseStage.ProductObtained) return PathwayRules.NoProductToProcess;
        if (record.Release == ReleaseDecision.Rejected && string.IsNullOrWhiteSpace(record.ReleaseNote)) return PathwayRules.RejectionReasonRequired;
        if (Consents(terms).WithdrawnBy(clock.Now) is { } withdrawn) return withdrawn;
        if (product.RecordProcessing(record, clock) is { } violation) return violation;

        Stage = product.IsReleased ? CaseStage.ProductReleased : CaseStage.Consented;
        return null;
    }

    /// <summary>
    /// A released product that will not be injected (past its use-by time, damaged, lost) is discarded with the
    /// reason; it stays on record and the case waits for a new harvest or receipt.
    /// </summary>
    public RuleViolation? DiscardProduct(string reason, string byId, DateTimeOffset now)
    {
        if (Stage == CaseStage.Closed) return CaseRules.CaseClosed;
        if (Stage != CaseStage.ProductReleased || CurrentProduct is not { } product) return PathwayRules.OnlyReleasedCanBeDiscarded;
        if (product.Discard(reason, byId, now) is { } violation) return violation;
        Stage = CaseStage.Consented;
        return null;
    }

    /// <summary>
    /// The pre-injection time-out: the released product made for this case (checked by its code), the right knee, the
    /// patient's two identifiers, the product within its use-by time and a consent valid now. Recorded on the product,
    /// it opens the injection record.
    /// </summary>
    public RuleViolation? ConfirmTimeOut(TimeOutCheck check, ConsentTerms terms, ClinicClock clock)
    {
        if (Stage == CaseStage.Closed) return CaseRules.CaseClosed;
        if (HasBeenInjected) return PathwayRules.AlreadyInjected;
        if (Stage != CaseStage.ProductReleased || CurrentProduct is not { IsReleased: true } product) return PathwayRules.NotReleased;
        if (!product.ProductCode.Matches(check.ProductCode)) return PathwayRules.ProductCodeMismatch;
        if (check.Knee != Knee) return PathwayRules.KneeMismatch;
        if (!check.NameAndBirthDateConfirmed || !check.RecordNumberConfirmed) return PathwayRules.IdentifiersNotConfirmed;
        if (clock.Now > product.Processing!.UseBy) return PathwayRules.ProductExpired;
        if (Consents(terms).ValidAt(clock.Now) is { } invalid) return invalid;
        product.RecordTimeOut(check.ClinicianId, clock.Now);
        return null;
    }

    /// <summary>
    /// The injection, with the bedside checks: the released product made for this case, not past its use-by time, the
    /// right knee, ultrasound guidance, and a consent valid at that moment. Schedules the follow-up visits.
    /// </summary>
    public RuleViolation? RecordInjection(InjectionEntry entry, ConsentTerms terms, FollowUpSchedule schedule, ClinicClock clock)
    {
        if (InjectionBlocked(entry, terms, clock.Now) is { } violation) return violation;

        var product = CurrentProduct!;
        Injection = new Injection(Id, product.Id, ProductCode.Read(entry.ProductCode), entry.Knee, entry.VolumeMl,
            entry.Approach.Trim(), entry.UltrasoundGuided, entry.ClinicianId, entry.PerformedAt,
            string.IsNullOrWhiteSpace(entry.ImmediateReaction) ? null : entry.ImmediateReaction.Trim(), entry.DischargeInstructionsGiven);
        _visits.AddRange(schedule.For(Id, clock.DateOf(entry.PerformedAt)));
        Stage = CaseStage.Injected;
        return null;
    }

    private RuleViolation? InjectionBlocked(InjectionEntry entry, ConsentTerms terms, DateTimeOffset now)
    {
        if (Stage == CaseStage.Closed) return CaseRules.CaseClosed;
        if (HasBeenInjected) return PathwayRules.AlreadyInjected;
        if (Stage != CaseStage.ProductReleased || CurrentProduct is not { IsReleased: true } product) return PathwayRules.NotReleased;
        if (!product.ProductCode.Matches(entry.ProductCode)) return PathwayRules.ProductCodeMismatch;
        if (entry.Knee != Knee) return PathwayRules.KneeMismatch;
        if (product.TimeOutAt is not { } timeOut) return PathwayRules.TimeOutRequired;
        // Times are typed to the minute: a time-out at 10:00:40 stands for an injection recorded at 10:00.
        if (entry.PerformedAt < timeOut.AddTicks(-(timeOut.Ticks % TimeSpan.TicksPerMinute))) return PathwayRules.TimeOutAfterInjection;
        if (entry.PerformedAt - timeOut > PathwayRules.TimeOutLasts) return PathwayRules.TimeOutStale;
        if (!entry.UltrasoundGuided) return PathwayRules.UltrasoundRequired;
        if (entry.PerformedAt > now) return PathwayRules.InFuture;
        if (entry.PerformedAt < product.Processing!.DecidedAt) return PathwayRules.InjectedBeforeRelease;
        if (entry.PerformedAt > product.Processing.UseBy) return PathwayRules.ProductExpired;
        if (entry.VolumeMl <= 0) return PathwayRules.VolumeRequired;
        if (entry.VolumeMl > product.Processing.OutputVolumeMl) return PathwayRules.VolumeExceedsProduct;
        if (!entry.DischargeInstructionsGiven) return PathwayRules.DischargeInstructionsRequired;
        return Consents(terms).ValidAt(entry.PerformedAt);
    }

    // ---- Follow-up and safety -----------------------------------------------------------------------------------

    /// <summary>Records a follow-up visit; the case is complete once every visit is recorded or marked missed.</summary>
    public RuleViolation? RecordVisit(Guid visitId, VisitEntry entry, ConsentTerms terms, ClinicClock clock)
    {
        if (VisitBlocked(visitId) is { } blocked) return blocked;
        if (Consents(terms).WithdrawnBy(entry.VisitedAt) is { } withdrawn) return withdrawn;
        if (_visits.First(v => v.Id == visitId).Record(entry, clock.DateOf(entry.VisitedAt), clock.Today) is { } violation) return violation;
        FollowUpProgressed();
        return null;
    }

    public RuleViolation? MarkVisitMissed(Guid visitId, DateOnly today, string? reason)
    {
        if (VisitBlocked(visitId) is { } blocked) return blocked;
        if (_visits.First(v => v.Id == visitId).MarkMissed(today, reason) is { } violation) return violation;
        FollowUpProgressed();
        return null;
    }

    /// <summary>Reports an adverse event. Events are reported at any stage, on closed cases too: safety reporting never stops.</summary>
    public RuleViolation? ReportAdverseEvent(AdverseEventDetails details, string reportedById, ClinicClock clock)
    {
        var adverseEvent = new AdverseEvent(Id, reportedById, clock.Now);
        if (adverseEvent.Apply(details, clock.Now, clock.Today) is { } violation) return violation;
        _adverseEvents.Add(adverseEvent);
        return null;
    }

    /// <summary>Updates what is known of an event: grade, action, outcome and resolution as it evolves.</summary>
    public RuleViolation? UpdateAdverseEvent(Guid eventId, AdverseEventDetails details, ClinicClock clock) =>
        _adverseEvents.FirstOrDefault(e => e.Id == eventId) is { } adverseEvent
            ? adverseEvent.Update(details, clock.Now, clock.Today)
            : AdverseEventRules.EventNotOfCase;

    /// <summary>Marks an event recorded by mistake, with the reason; it stays on the record, struck through.</summary>
    public RuleViolation? MarkAdverseEventEnteredInError(Guid eventId, string? reason, string byId, ClinicClock clock) =>
        _adverseEvents.FirstOrDefault(e => e.Id == eventId) is { } adverseEvent
            ? adverseEvent.MarkEnteredInError(reason, byId, clock.Now)
            : AdverseEventRules.EventNotOfCase;

    /// <summary>Harvest or receipt: the patient is eligible and has consented, and no product is in hand yet.</summary>
    private RuleViolation? CanObtainProduct()
    {
        if (Stage == CaseStage.Closed) return CaseRules.CaseClosed;
        if (!Screening.IsEligible) return PathwayRules.NotEligibleForProcedure;
        return Stage switch
        {
            CaseStage.Consented => null,
            CaseStage.ProductObtained or CaseStage.ProductReleased or CaseStage.Injected or CaseStage.FollowUp or CaseStage.Completed
                => PathwayRules.ProductAlreadyObtained,
            CaseStage.Screening or CaseStage.Eligible or CaseStage.NotEligible => PathwayRules.NotConsented,
            CaseStage.Closed => CaseRules.CaseClosed,
        };
    }

    private RuleViolation? VisitBlocked(Guid visitId)
    {
        if (Stage == CaseStage.Closed) return CaseRules.CaseClosed;
        if (!HasBeenInjected) return FollowUpRules.NotInjected;
        if (_visits.All(v => v.Id != visitId)) return FollowUpRules.VisitNotOfCase;
        return null;
    }

    private void FollowUpProgressed() =>
        Stage = _visits.All(v => v.Status != VisitStatus.Scheduled) ? CaseStage.Completed : CaseStage.FollowUp;

    private CaseConsents Consents(ConsentTerms terms) => new(_consents, terms);

    private RuleViolation? Guard() => Stage == CaseStage.Closed ? CaseRules.CaseClosed
        : ScreeningIsOpen ? null
        : CaseRules.ScreeningLocked;

    /// <summary>A decision taken on different screening facts no longer stands.</summary>
    private void ReopenDecision()
    {
        if (Screening.Decision is null) return;
        Screening.ClearDecision();
        Stage = CaseStage.Screening;
    }
}
