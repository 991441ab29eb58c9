namespace PolicyGate.Core.Acme;

/// <summary>When to renew a certificate and how long to wait after a failure; pure so it is tested without clocks.</summary>
public static class RenewalSchedule
{
    /// <summary>
    /// Two thirds into the certificate's lifetime, moved earlier by <paramref name="jitterSample"/> (0..1) times the
    /// smaller of <paramref name="maxJitter"/> and a tenth of the lifetime, so a fleet does not renew in one burst.
    /// </summary>
    public static DateTimeOffset RenewAt(DateTimeOffset notBefore, DateTimeOffset notAfter, TimeSpan maxJitter, double jitterSample)
    {
        TimeSpan lifetime = notAfter - notBefore;
        if (lifetime <= TimeSpan.Zero)
        {
            return notBefore;
        }

        TimeSpan jitterBound = maxJitter < lifetime / 10 ? maxJitter : lifetime / 10;
        return notBefore + lifetime * 2 / 3 - jitterBound * Math.Clamp(jitterSample, 0, 1);
    }

    /// <summary>Delay before retry <paramref name="failures"/> (1 = first retry): initial doubling up to max.</summary>
    public static TimeSpan Backoff(int failures, TimeSpan initial, TimeSpan max)
    {
        if (failures <= 1)
        {
            return initial < max ? initial : max;
        }

        double ticks = initial.Ticks * Math.Pow(2, Math.Min(failures - 1, 40));
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }
}
