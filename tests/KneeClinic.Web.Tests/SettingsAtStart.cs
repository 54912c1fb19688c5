using KneeClinic.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Tests;

/// <summary>The Security and Database settings are bound, checked at start with the setting named, and used.</summary>
public sealed class SettingsAtStart
{
    private sealed class SettingsFactory(params (string Key, string Value)[] settings) : ClinicFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        }
    }

    [Fact]
    public void ThePasswordLockoutAndIdleSettingsReachIdentityAndTheSessionCookie()
    {
        using var factory = new SettingsFactory(("Security:PasswordMinimumLength", "16"), ("Security:MaxFailedSignIns", "3"),
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
        using var factory = new SettingsFactory((key, value));
        var error = Assert.Throws<OptionsValidationException>(() => factory.Services);
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void ADatabaseDirectoryOfNothingStopsTheAppAtStartWithTheSettingNamed()
    {
        using var factory = new SettingsFactory(("Database:DataDirectory", " "));
        var error = Assert.ThrowsAny<Exception>(() => factory.Services);
        Assert.Contains("Database:DataDirectory", error.Message);
    }

    [Fact]
    public void SqlServerWithoutAConnectionStringStopsTheAppAtStartWithTheSettingNamed()
    {
        using var factory = new SettingsFactory(("Database:Provider", "SqlServer"), ("ConnectionStrings:SqlServer", ""));
        // Stopped before the database is prepared, by the settings check or by the first attempt to connect.
        var error = Assert.ThrowsAny<Exception>(() => factory.Services);
        Assert.True(error is OptionsValidationException or InvalidOperationException, error.GetType().Name);
        Assert.Contains("ConnectionStrings:SqlServer", error.Message);
    }
}
