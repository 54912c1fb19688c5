using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Tests;

/// <summary>The Security and Database settings are bound, checked at start with the setting named, and used.</summary>
public sealed class SettingsAtStart
{
    [Fact]
    public void ThePasswordLockoutAndIdleSettingsReachIdentityAndTheSessionCookie()
    {
        using var factory = new SettingsClinicFactory(("Security:PasswordMinimumLength", "16"), ("Security:MaxFailedSignIns", "3"),
            ("Security:LockoutDuration", "00:30:00"), ("Security:IdleSessionLimit", "00:10:00"));
        var identity = factory.Services.GetRequiredService<IOptions<IdentityOptions>>().Value;
        Assert.Equal(16, identity.Password.RequiredLength);
        Assert.Equal(3, identity.Lockout.MaxFailedAccessAttempts);
        Assert.Equal(TimeSpan.FromMinutes(30), identity.Lockout.DefaultLockoutTimeSpan);
        var cookie = factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        Assert.Equal(TimeSpan.FromMinutes(10), cookie.ExpireTimeSpan);
    }

    [Fact]
    public void WithoutSettingsThePolicyIsTwelveCharactersFiveTriesFifteenMinutesAndTwentyIdle()
    {
        using var factory = new ClinicFactory();
        var identity = factory.Services.GetRequiredService<IOptions<IdentityOptions>>().Value;
        Assert.Equal((12, 5, TimeSpan.FromMinutes(15)), (identity.Password.RequiredLength, identity.Lockout.MaxFailedAccessAttempts, identity.Lockout.DefaultLockoutTimeSpan));
        Assert.Equal(TimeSpan.FromMinutes(20),
            factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme).ExpireTimeSpan);
    }

    [Theory]
    [InlineData("Security:PasswordMinimumLength", "8")]
    [InlineData("Security:MaxFailedSignIns", "0")]
    [InlineData("Security:LockoutDuration", "00:00:00")]
    [InlineData("Security:IdleSessionLimit", "-00:05:00")]
    public void ASecuritySettingOutOfRangeStopsTheAppAtStartWithTheSettingNamed(string key, string value)
    {
        using var factory = new SettingsClinicFactory((key, value));
        var error = Assert.Throws<OptionsValidationException>(() => factory.Services);
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public async Task SqliteItselfWaitsForAnotherWritersLockForTheWholeCommandTimeout()
    {
        using var factory = new ClinicFactory();
        // Set once per pooled connection: it must hold on every later use of the same native connection too.
        var handles = new List<object>();
        for (var use = 0; use < 3; use++)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Core.Data.ClinicDbContext>();
            await db.Database.OpenConnectionAsync();
            handles.Add(((Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection()).Handle!);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA busy_timeout";
            Assert.Equal(30_000L, (long)(await command.ExecuteScalarAsync())!);
        }
        Assert.True(handles.Distinct(ReferenceEqualityComparer.Instance).Count() < handles.Count, "The pool never gave the same connection twice.");
    }

    [Fact]
    public void ACostEstimateOutOfOrderStopsTheAppAtStartNamingEveryCellSourcesKey()
    {
        using var factory = new SettingsClinicFactory(("Clinic:CostEstimates:Adipose:Low", "5000"), ("Clinic:CostEstimates:Adipose:High", "100"));
        var error = Assert.Throws<OptionsValidationException>(() => factory.Services);
        Assert.Contains("Clinic:CostEstimates needs Low and High", error.Message);
        Assert.Contains("BoneMarrow, Adipose, UmbilicalCord", error.Message);
    }

    [Fact]
    public void ADatabaseDirectoryOfNothingStopsTheAppAtStartWithTheSettingNamed()
    {
        using var factory = new SettingsClinicFactory(("Database:DataDirectory", " "));
        var error = Assert.ThrowsAny<Exception>(() => factory.Services);
        Assert.Contains("Database:DataDirectory", error.Message);
    }

    [Fact]
    public void SqlServerWithoutAConnectionStringStopsTheAppAtStartWithTheSettingNamed()
    {
        using var factory = new SettingsClinicFactory(("Database:Provider", "SqlServer"), ("ConnectionStrings:SqlServer", ""));
        // Stopped before the database is prepared, by the settings check or by the first attempt to connect.
        var error = Assert.ThrowsAny<Exception>(() => factory.Services);
        Assert.True(error is OptionsValidationException or InvalidOperationException, error.GetType().Name);
        Assert.Contains("ConnectionStrings:SqlServer", error.Message);
    }
}
