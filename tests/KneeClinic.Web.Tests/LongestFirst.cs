using Xunit.Abstractions;

[assembly: TestCollectionOrderer("KneeClinic.Web.Tests.LongestFirst", "KneeClinic.Web.Tests")]

namespace KneeClinic.Web.Tests;

/// <summary>
/// Starts the test classes that take longest first, so they run beside all the short ones instead of after them: the
/// assembly then takes about as long as its longest class, not that plus whatever happened to be scheduled before it.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    private static readonly string[] Longest =
    [
        nameof(BadInputCorpus), nameof(Browser.AutologousCaseInBrowser), nameof(Browser.AllogeneicCaseInBrowser), nameof(KilledProcess), nameof(FirstRun), nameof(AuditTrail),
        nameof(CasePathway), nameof(ConsentWorkflow),
    ];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => Rank(c.DisplayName)).ThenBy(c => c.DisplayName, StringComparer.Ordinal);

    private static int Rank(string collection)
    {
        var index = Array.FindIndex(Longest, name => collection.EndsWith("." + name, StringComparison.Ordinal));
        return index < 0 ? Longest.Length : index;
    }
}
