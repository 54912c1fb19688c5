namespace KneeClinic.Core;

/// <summary>
/// The time at the clinic. Instants are kept in UTC; calendar days (visit windows, expiry dates, "today") are
/// counted as the clinic's wall clock runs, in its time zone. The one place that converts between the two.
/// </summary>
public sealed class ClinicClock(TimeProvider time, TimeZoneInfo zone)
{
    public TimeZoneInfo Zone => zone;

    public DateTimeOffset Now => time.GetUtcNow();

    public DateOnly Today => DateOf(Now);

    /// <summary>The clinic's wall-clock time at <paramref name="at"/>.</summary>
    public DateTime ToLocal(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).DateTime;

    /// <summary>The instant a wall-clock time typed at the clinic stands for.</summary>
    public DateTimeOffset ToUtc(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }

    /// <summary>The calendar day at the clinic at <paramref name="at"/>.</summary>
    public DateOnly DateOf(DateTimeOffset at) => DateOnly.FromDateTime(ToLocal(at));

    /// <summary>The last instant of <paramref name="day"/> at the clinic: an expiry date is usable through all of it.</summary>
    public DateTimeOffset EndOf(DateOnly day)
    {
        var end = day.ToDateTime(TimeOnly.MaxValue);
        return new DateTimeOffset(end, zone.GetUtcOffset(end));
    }
}
