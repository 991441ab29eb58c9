using PolicyGate.Core.Acme;

namespace PolicyGate.Core.Tests.Acme;

public sealed class RenewalScheduleTests
{
    private static readonly DateTimeOffset s_notBefore = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0.0, 60.0)]    // 90-day cert: day 60 ...
    [InlineData(1.0, 59.9583)] // ... at most 1 h earlier (renew_jitter 1h < a tenth of the lifetime)
    [InlineData(0.5, 59.97917)]
    public void Ninety_day_certificate_renews_at_two_thirds_minus_jitter(double sample, double expectedDays)
    {
        DateTimeOffset at = RenewalSchedule.RenewAt(s_notBefore, s_notBefore.AddDays(90), TimeSpan.FromHours(1), sample);

        Assert.Equal(expectedDays, (at - s_notBefore).TotalDays, 3);
    }

    [Fact]
    public void Jitter_is_capped_at_a_tenth_of_a_short_lifetime()
    {
        DateTimeOffset at = RenewalSchedule.RenewAt(s_notBefore, s_notBefore.AddSeconds(9), TimeSpan.FromHours(1), 1.0);

        Assert.Equal(6.0 - 0.9, (at - s_notBefore).TotalSeconds, 6);
    }

    [Theory]
    [InlineData(1, 60)]
    [InlineData(2, 120)]
    [InlineData(4, 480)]
    [InlineData(7, 3600)]
    [InlineData(1000, 3600)]
    public void Backoff_doubles_from_initial_up_to_max(int failures, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RenewalSchedule.Backoff(failures, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)));
    }
}
