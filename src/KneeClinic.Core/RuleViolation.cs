namespace KneeClinic.Core;

/// <summary>
/// A pathway rule that a requested change would break. <see cref="Message"/> is written for the
/// clinician who asked for the change; <see cref="Code"/> is stable for tests and logs.
/// </summary>
public sealed record RuleViolation(string Code, string Message)
{
    public override string ToString() => $"{Code}: {Message}";
}
