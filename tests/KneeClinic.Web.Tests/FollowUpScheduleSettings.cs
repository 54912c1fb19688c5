using KneeClinic.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Tests;

/// <summary>The follow-up visits an injection schedules come from the clinic's settings, checked at start.</summary>
public sealed class FollowUpScheduleSettings
{
    [Fact]
    public void WithoutSettingsTheScheduleIsTwoAndSixWeeksThenThreeSixAndTwelveMonths()
    {
        using var factory = new ClinicFactory();
        var schedule = factory.Services.GetRequiredService<IOptions<ClinicOptions>>().Value.Schedule;
        Assert.Equal(["2 weeks", "6 weeks", "3 months", "6 months", "12 months"], schedule.Visits.Select(v => v.Label));
    }

    [Fact]
    public void AClinicCanSetItsOwnVisitsIncludingATwoYearOne()
    {
        using var factory = new SettingsClinicFactory(
            ("Clinic:FollowUpVisits:0:Label", "1 month"), ("Clinic:FollowUpVisits:0:DaysAfterInjection", "30"),
            ("Clinic:FollowUpVisits:0:WindowDaysBefore", "5"), ("Clinic:FollowUpVisits:0:WindowDaysAfter", "5"),
            ("Clinic:FollowUpVisits:1:Label", "24 months"), ("Clinic:FollowUpVisits:1:DaysAfterInjection", "730"),
            ("Clinic:FollowUpVisits:1:WindowDaysBefore", "30"), ("Clinic:FollowUpVisits:1:WindowDaysAfter", "60"));
        var schedule = factory.Services.GetRequiredService<IOptions<ClinicOptions>>().Value.Schedule;
        Assert.Equal([("1 month", 30), ("24 months", 730)], schedule.Visits.Select(v => (v.Label, v.DaysAfterInjection)));
    }

    [Fact]
    public void AVisitBeforeTheInjectionStopsTheAppAtStartWithTheSettingNamed()
    {
        using var factory = new SettingsClinicFactory(("Clinic:FollowUpVisits:0:Label", "Day zero"), ("Clinic:FollowUpVisits:0:DaysAfterInjection", "0"));
        var error = Assert.Throws<OptionsValidationException>(() => factory.Services);
        Assert.Contains("Clinic:FollowUpVisits", error.Message);
    }
}
