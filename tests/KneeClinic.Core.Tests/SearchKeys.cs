using KneeClinic.Core.Patients;

namespace KneeClinic.Core.Tests;

public sealed class SearchKeys
{
    [Theory]
    [InlineData("Lefèvre", "lefevre")]
    [InlineData("Chloé  DÉMO-Lefèvre", "chloe demo-lefevre")]
    [InlineData("Østergård", "ostergard")]
    [InlineData("Straße", "strasse")]
    [InlineData("Łukasz Wałęsa", "lukasz walesa")]
    [InlineData("Ngô Bảo Châu", "ngo bao chau")]
    [InlineData("Æsa Œdipe", "aesa oedipe")]
    [InlineData("Müller-Øvergård", "muller-overgard")]
    public void ANameIsSearchedWithoutAccentsOrCase(string name, string key) => Assert.Equal(key, SearchKey.Of(name));

    [Fact]
    public void APatientsSearchNameFollowsTheirName()
    {
        var patient = new Patient(Mrn.Of("K-1"), "Chloé", "Lefèvre", new DateOnly(1970, 1, 1), Sex.Female, CaseBuilder.Now);
        Assert.Equal("lefevre chloe", patient.SearchName);
        patient.Update("Zoë", "Østergård", new DateOnly(1970, 1, 1), Sex.Female, null, null, null);
        Assert.Equal("ostergard zoe", patient.SearchName);
    }
}
