namespace KneeClinic.Core.Screening;

public static class ContraindicationExtensions
{
    public static string DisplayName(this Contraindication c) => c switch
    {
        Contraindication.ActiveInfection => "active infection",
        Contraindication.BleedingDisorder => "a blood or bleeding disorder",
        Contraindication.AnticoagulantTherapy => "anticoagulant therapy",
        Contraindication.CancerHistory => "a history of cancer",
        Contraindication.ChronicDiseaseOrFrailty => "chronic disease or poor general health",
        Contraindication.SevereKneeDamage => "severe knee damage",
    };

    /// <summary>What the clinician should weigh, shown beside each box on the checklist.</summary>
    public static string Guidance(this Contraindication c) => c switch
    {
        Contraindication.ActiveInfection => "Do not treat until cleared: the procedure could spread the infection.",
        Contraindication.BleedingDisorder => "Higher bleeding risk at the harvest and injection sites.",
        Contraindication.AnticoagulantTherapy => "Higher bleeding risk; plan a pause with the prescriber.",
        Contraindication.CancerHistory => "Weigh case by case: theoretical risk of tumour growth.",
        Contraindication.ChronicDiseaseOrFrailty => "Needs careful assessment; benefit tends to be lower.",
        Contraindication.SevereKneeDamage => "Less likely to benefit (e.g. Kellgren-Lawrence grade 4).",
    };
}
