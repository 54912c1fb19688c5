using KneeClinic.Web.Features.Consents;
using QRCoder;

namespace KneeClinic.Web.Tests;

public class VerificationLinks
{
    [Theory]
    [InlineData("https://knees.example.org", "HTTPS://KNEES.EXAMPLE.ORG/CONSENTS/VERIFY/KC-2026-7QX2M9ND")]
    [InlineData("https://knees.example.org/", "HTTPS://KNEES.EXAMPLE.ORG/CONSENTS/VERIFY/KC-2026-7QX2M9ND")]
    [InlineData("http://localhost:5000", "HTTP://LOCALHOST:5000/CONSENTS/VERIFY/KC-2026-7QX2M9ND")]
    [InlineData("https://example.org/northClinic", "HTTPS://EXAMPLE.ORG/northClinic/CONSENTS/VERIFY/KC-2026-7QX2M9ND")]
    public void TheLinkIsInCapitalsExceptAConfiguredPathPrefix(string site, string expected) =>
        Assert.Equal(expected, ConsentGeneration.VerificationLink(site, "KC-2026-7QX2M9ND"));

    [Fact]
    public void TheLinkFitsASmallQrCode()
    {
        using var generator = new QRCodeGenerator();
        var link = ConsentGeneration.VerificationLink("https://consent-records.kneeclinic.example.org", "KC-2026-7QX2M9ND");
        using var code = generator.CreateQrCode(link, QRCodeGenerator.ECCLevel.M);
        using var asBytes = generator.CreateQrCode(link.ToLowerInvariant(), QRCodeGenerator.ECCLevel.M);

        // Alphanumeric mode packs 2 characters in 11 bits instead of 16: a code with fewer, larger modules.
        Assert.True(code.Version < asBytes.Version, $"version {code.Version} is not smaller than {asBytes.Version}");
    }
}
