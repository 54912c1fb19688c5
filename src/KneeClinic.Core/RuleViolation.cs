namespace KneeClinic.Core;

/// <summary>
/// A pathway rule that a requested change would break. <see cref="Message"/> is written for the
/// clinician who asked for the change; <see cref="Code"/> is stable for tests and logs; <see cref="Member"/>, when set,
/// names the property of the domain object the rule is about, so a form can show the message beside that field.
/// </summary>
public sealed record RuleViolation(string Code, string Message, string? Member = null)
{
    public override string ToString() => $"{Code}: {Message}";
}
