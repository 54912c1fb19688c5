using KneeClinic.Core.Data;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;

namespace KneeClinic.Web.Infrastructure;

/// <summary>Saving a change that someone else may have changed first.</summary>
public static class Saves
{
    public const string ConflictMessage =
        "Someone else saved a change to this record while you were working on it. Your change was not saved: " +
        "reload the page to see the latest version, then make your change again.";

    /// <summary>
    /// Saves; when the version check finds that the record changed since the form was read, adds the conflict message to
    /// <paramref name="modelState"/> and returns false, so the page can be shown again with what was typed.
    /// </summary>
    public static async Task<bool> SavedAsync(this ClinicDbContext db, ModelStateDictionary modelState)
    {
        try
        {
            await db.SaveChangesAsync();
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            modelState.AddModelError("", ConflictMessage);
            return false;
        }
    }
}
