using System.Reflection;

namespace KneeClinic.Core.Audit;

/// <summary>
/// Marks a stored field that holds patient data in words a person could read (a name, a date of birth, contact details,
/// medical history, free-text notes). The audit viewer shows such a field's name and that it changed, and its values only
/// to an administrator who gives a reason (break-the-glass). A new field of that kind takes this attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class PatientDataAttribute : Attribute;

/// <summary>The fields marked <see cref="PatientDataAttribute"/>, read once from the domain's types.</summary>
public static class PatientData
{
    private static readonly HashSet<(string Type, string Field)> Marked =
    [
        .. typeof(PatientData).Assembly.GetTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Where(p => p.IsDefined(typeof(PatientDataAttribute), inherit: false))
                .Select(p => (t.Name, p.Name))),
    ];

    /// <summary>Every marked field as "Type.Field", for a list a person can read.</summary>
    public static IReadOnlyList<string> Fields { get; } = [.. Marked.Select(m => $"{m.Type}.{m.Field}").Order(StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="field"/> of the entity type named <paramref name="type"/> (its CLR name, as the trail's record names end) holds patient data.</summary>
    public static bool Holds(string type, string field) => Marked.Contains((type, field));

    /// <summary>Whether the entity type named <paramref name="type"/> has any field of patient data.</summary>
    public static bool AnyIn(string type) => Marked.Any(m => m.Type == type);
}
