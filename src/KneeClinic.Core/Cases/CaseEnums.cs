namespace KneeClinic.Core.Cases;

public enum KneeSide
{
    Left,
    Right,
}

public enum CellSource
{
    /// <summary>Bone-marrow aspirate concentrate, the patient's own (autologous).</summary>
    BoneMarrow,

    /// <summary>Fat-derived cells from a mini-liposuction, the patient's own (autologous).</summary>
    Adipose,

    /// <summary>Donated umbilical-cord tissue from another person (allogeneic).</summary>
    UmbilicalCord,
}

/// <summary>Where a case stands on the pathway, in order.</summary>
public enum CaseStage
{
    Screening,
    Eligible,
    NotEligible,
    Consented,
    ProductObtained,
    ProductReleased,
    Injected,
    FollowUp,
    Completed,
    Closed,
}

/// <summary>The step a case waits for: the one form its page offers to move it on.</summary>
public enum PathwayStep
{
    Screening,
    Consent,
    Harvest,
    Receipt,
    Processing,
    Injection,
    FollowUp,
    None,
}

/// <summary>How a case's product comes into the clinic.</summary>
public enum ProductOrigin
{
    /// <summary>Harvested from the patient at the clinic.</summary>
    Harvest,

    /// <summary>Received from a supplier (a cord-tissue bank).</summary>
    Receipt,
}

/// <summary>
/// What the pathway needs to know about a cell source: whose cells they are, how the product is obtained, and how it
/// is named on screen. Every member of <see cref="CellSource"/> has one, so a new source cannot slip through unnamed.
/// </summary>
public sealed record CellSourceProfile(CellSource Source, bool Autologous, ProductOrigin Obtained, string Title)
{
    /// <summary>The settings key of the source's cost estimate (Clinic:CostEstimates:&lt;key&gt;).</summary>
    public string CostKey => Source.ToString();

    /// <summary>What the step that brings the product in is called.</summary>
    public string ObtainStep => Obtained switch
    {
        ProductOrigin.Harvest => "Harvest",
        ProductOrigin.Receipt => "Product receipt",
    };
}

public static class CellSourceExtensions
{
    private static readonly CellSourceProfile BoneMarrow = new(CellSource.BoneMarrow, true, ProductOrigin.Harvest, "Bone marrow (BMAC)");
    private static readonly CellSourceProfile Adipose = new(CellSource.Adipose, true, ProductOrigin.Harvest, "Adipose (fat-derived)");
    private static readonly CellSourceProfile UmbilicalCord = new(CellSource.UmbilicalCord, false, ProductOrigin.Receipt, "Umbilical cord (donor)");

    public static CellSourceProfile Profile(this CellSource source) => source switch
    {
        CellSource.BoneMarrow => BoneMarrow,
        CellSource.Adipose => Adipose,
        CellSource.UmbilicalCord => UmbilicalCord,
    };

    public static bool IsAutologous(this CellSource source) => source.Profile().Autologous;

    public static string DisplayName(this CellSource source) => source.Profile().Title;
}
