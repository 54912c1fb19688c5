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

public static class CellSourceExtensions
{
    public static bool IsAutologous(this CellSource source) => source != CellSource.UmbilicalCord;

    public static string DisplayName(this CellSource source) => source switch
    {
        CellSource.BoneMarrow => "Bone marrow (BMAC)",
        CellSource.Adipose => "Adipose (fat-derived)",
        CellSource.UmbilicalCord => "Umbilical cord (donor)",
        _ => source.ToString(),
    };
}
