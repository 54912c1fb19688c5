using Microsoft.AspNetCore.Identity;

namespace KneeClinic.Core.Staff;

/// <summary>A member of staff. Patients never have accounts.</summary>
public class ClinicUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>When an administrator disabled the account; null while it is active.</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    public bool IsDisabled => DisabledAt is not null;
}

public static class Roles
{
    public const string Administrator = nameof(Administrator);
    public const string Clinician = nameof(Clinician);

    public static readonly IReadOnlyList<string> All = [Administrator, Clinician];
}
