namespace KneeClinic.Web.Features;

public static class Conflicts
{
    public const string Message =
        "Someone else saved a change to this record while you were working on it. Your change was not saved: " +
        "reload the page to see the latest version, then make your change again.";
}
