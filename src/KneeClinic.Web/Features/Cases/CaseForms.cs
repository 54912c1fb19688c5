using System.ComponentModel.DataAnnotations;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Screening;

namespace KneeClinic.Web.Features.Cases;

public sealed class NewCaseForm
{
    [Required]
    public Guid PatientId { get; set; }

    [Required]
    public KneeSide? Knee { get; set; }

    [Required, Display(Name = "Cell source")]
    public CellSource? CellSource { get; set; }

    [Range(0, 4, ErrorMessage = "The Kellgren-Lawrence grade runs from 0 to 4."), Display(Name = "Kellgren-Lawrence grade (if known)")]
    public int? KellgrenLawrenceGrade { get; set; }

    [Required(ErrorMessage = "Choose the clinician responsible for this case."), Display(Name = "Assigned clinician")]
    public string? AssignedClinicianId { get; set; }
}

/// <summary>Every form on the case page carries the case version it was read at, so a concurrent change is caught.</summary>
public abstract class CaseFormBase
{
    public Guid Version { get; set; }
}

public sealed class CheckupForm : CaseFormBase
{
    [Required, DataType(DataType.Date), Display(Name = "Check-up date")]
    public DateOnly? CheckupDate { get; set; }

    [StringLength(4000), Display(Name = "Medical history")]
    public string? MedicalHistory { get; set; }

    [StringLength(4000), Display(Name = "Check-up notes")]
    public string? Notes { get; set; }

    [Required, Range(0, 10, ErrorMessage = "Pain is scored from 0 to 10."), Display(Name = "Baseline knee pain (NRS 0-10)")]
    public int? BaselinePainNrs { get; set; }

    /// <summary>The contraindications ticked on the checklist.</summary>
    public List<Contraindication> Present { get; set; } = [];

    public Dictionary<Contraindication, string?> ContraindicationNotes { get; set; } = [];
}

public sealed class MedicationForm : CaseFormBase
{
    [Required, StringLength(200), Display(Name = "Medicine")]
    public string Name { get; set; } = "";

    [StringLength(200)]
    public string? Dose { get; set; }

    [Required, Display(Name = "Type")]
    public MedicationKind? Kind { get; set; }

    [DataType(DataType.Date), Display(Name = "Pause from")]
    public DateOnly? PauseFrom { get; set; }

    [DataType(DataType.Date), Display(Name = "Resume on")]
    public DateOnly? ResumeOn { get; set; }
}

public sealed class ImagingForm : CaseFormBase
{
    [Required]
    public ImagingModality? Modality { get; set; }

    [Required, DataType(DataType.Date), Display(Name = "Date")]
    public DateOnly? PerformedOn { get; set; }

    [Required, StringLength(4000)]
    public string Findings { get; set; } = "";

    [Range(0, 4, ErrorMessage = "The Kellgren-Lawrence grade runs from 0 to 4."), Display(Name = "Kellgren-Lawrence grade")]
    public int? KellgrenLawrenceGrade { get; set; }
}

public sealed class DecisionForm : CaseFormBase
{
    [Required(ErrorMessage = "Choose a decision.")]
    public EligibilityOutcome? Outcome { get; set; }

    [StringLength(4000), Display(Name = "Reason or justification")]
    public string? Reason { get; set; }
}

public sealed class CloseCaseForm : CaseFormBase
{
    [Required, StringLength(2000), Display(Name = "Reason for closing")]
    public string Reason { get; set; } = "";
}

public sealed class RemoveEntryForm : CaseFormBase
{
    [Required]
    public Guid EntryId { get; set; }
}
