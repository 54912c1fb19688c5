using KneeClinic.Core.Staff;
using Xunit.Abstractions;

namespace KneeClinic.Core.Tests;

public sealed class PasswordPolicyRules(ITestOutputHelper output)
{
    [Fact]
    public void TheShippedListHoldsHundredsOfPasswordsAllLongEnoughToPassTheLengthRule()
    {
        var list = PasswordPolicy.CommonPasswords;
        output.WriteLine($"{list.Count} common passwords in the list");

        Assert.True(list.Count >= 300, $"only {list.Count} entries");
        Assert.All(list, p => Assert.True(p.Length >= 12, $"'{p}' is refused by length already"));
    }

    [Theory]
    [InlineData("password1234")]
    [InlineData("Password2026!")]
    [InlineData("PASSWORD2026!")]
    [InlineData("qwertyuiop[]")]
    [InlineData("1qaz2wsx3edc")]
    [InlineData("123456789012")]
    [InlineData("Liverpool2025")]
    [InlineData("september2026")]
    [InlineData("KneeClinic2026!")]
    [InlineData("letmein12345")]
    [InlineData(" welcome2026! ")]
    public void RefusesAListedPasswordWhateverItsCase(string password)
    {
        var error = PasswordPolicy.Check(password, "someone@clinic.test");

        Assert.Equal(PasswordPolicy.TooCommonCode, error?.Code);
        Assert.Contains("commonly used passwords", error!.Description);
    }

    [Theory]
    [InlineData("correct horse battery staple")]
    [InlineData("Demo-Clinic-2026!")]
    [InlineData("violet kettle under the stairs")]
    public void AcceptsPhrasesThatAreNotOnTheList(string password) =>
        Assert.Null(PasswordPolicy.Check(password, "maria.lopez@clinic.test"));

    [Theory]
    [InlineData(64)]
    [InlineData(128)]
    public void AcceptsVeryLongPasswords(int length)
    {
        var password = string.Concat(Enumerable.Repeat("tide pool ", 13))[..length];

        Assert.Null(PasswordPolicy.Check(password, "maria.lopez@clinic.test"));
    }

    [Theory]
    [InlineData("maria.lopez@clinic.test", "my name is Maria.Lopez ok")]
    [InlineData("maria.lopez@clinic.test", "MARIA.LOPEZ rules the ward")]
    public void RefusesAPasswordContainingTheEmailName(string email, string password) =>
        Assert.Equal(PasswordPolicy.ContainsEmailNameCode, PasswordPolicy.Check(password, email)?.Code);

    [Fact]
    public void AVeryShortEmailNameDoesNotRuleOutEveryPhraseThatHappensToContainIt() =>
        Assert.Null(PasswordPolicy.Check("a jolly good walk in the hills", "jo@clinic.test"));
}
