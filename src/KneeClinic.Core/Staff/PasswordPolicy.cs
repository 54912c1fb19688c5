using System.Reflection;
using Microsoft.AspNetCore.Identity;

namespace KneeClinic.Core.Staff;

/// <summary>
/// Refuses the passwords an attacker tries first (the list the product ships) and passwords that contain the
/// name part of the account's email. Length is Identity's own rule (Security:PasswordMinimumLength, 12 or more); there are no composition rules.
/// </summary>
public sealed class PasswordPolicy : IPasswordValidator<ClinicUser>
{
    /// <summary>Email names shorter than this ("jo@") are too likely to appear in an honest passphrase.</summary>
    public const int ShortestEmailNameChecked = 4;

    public const string TooCommonCode = "PasswordTooCommon";
    public const string ContainsEmailNameCode = "PasswordContainsEmailName";

    private static readonly Lazy<HashSet<string>> Common = new(LoadCommonPasswords);

    internal static IReadOnlyCollection<string> CommonPasswords => Common.Value;

    public static bool IsCommon(string password) => Common.Value.Contains(password.Trim());

    public static IdentityError? Check(string password, string? email)
    {
        if (IsCommon(password))
            return new IdentityError
            {
                Code = TooCommonCode,
                Description = "This password is on the list of commonly used passwords. Choose a phrase of your own, for example a few unrelated words.",
            };
        var name = email?.Split('@')[0].Trim() ?? "";
        if (name.Length >= ShortestEmailNameChecked && password.Contains(name, StringComparison.OrdinalIgnoreCase))
            return new IdentityError
            {
                Code = ContainsEmailNameCode,
                Description = "The password must not contain your email name.",
            };
        return null;
    }

    public const string SameAsCurrentCode = "PasswordSameAsCurrent";

    public Task<IdentityResult> ValidateAsync(UserManager<ClinicUser> manager, ClinicUser user, string? password)
    {
        if (Check(password ?? "", user.Email ?? user.UserName) is { } error) return Task.FromResult(IdentityResult.Failed(error));
        // A change that keeps the password changes nothing: a password someone else may know stays valid. (Identity asks
        // this before it stores the new hash, so the account's hash is still the current password's.)
        if (user.PasswordHash is { } current && password is not null
            && manager.PasswordHasher.VerifyHashedPassword(user, current, password) != PasswordVerificationResult.Failed)
            return Task.FromResult(IdentityResult.Failed(new IdentityError
            {
                Code = SameAsCurrentCode,
                Description = "The new password must differ from the current one.",
            }));
        return Task.FromResult(IdentityResult.Success);
    }

    private static HashSet<string> LoadCommonPasswords()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("KneeClinic.Core.Staff.common-passwords.txt")
            ?? throw new InvalidOperationException("The common password list is missing from KneeClinic.Core.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
            if (line.Trim() is { Length: > 0 } entry && !entry.StartsWith('#')) set.Add(entry);
        return set;
    }
}
