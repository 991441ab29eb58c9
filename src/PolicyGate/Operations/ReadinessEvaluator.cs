namespace PolicyGate.Operations;

/// <summary>Runs every registered <see cref="IReadinessCheck"/>; a check that throws counts as not ready.</summary>
public sealed class ReadinessEvaluator(IEnumerable<IReadinessCheck> checks)
{
    /// <summary>The failing checks as name → reason; empty when ready.</summary>
    public IReadOnlyDictionary<string, string> Failures()
    {
        Dictionary<string, string> failures = new(StringComparer.Ordinal);
        foreach (IReadinessCheck check in checks)
        {
            string? reason;
            try
            {
                reason = check.Check();
            }
            catch (Exception e)
            {
                reason = "check failed: " + e.Message;
            }

            if (reason is not null)
            {
                failures[check.Name] = reason;
            }
        }

        OperationsMetrics.Ready.Set(failures.Count == 0 ? 1 : 0);
        return failures;
    }

    /// <summary>The degraded checks as name → reason (the node is ready but not fully healthy); empty when none.</summary>
    public IReadOnlyDictionary<string, string> Degradations()
    {
        Dictionary<string, string> degraded = new(StringComparer.Ordinal);
        foreach (IReadinessCheck check in checks)
        {
            try
            {
                if (check.Degraded() is string reason)
                {
                    degraded[check.Name] = reason;
                }
            }
            catch (Exception e)
            {
                degraded[check.Name] = "check failed: " + e.Message;
            }
        }

        return degraded;
    }
}
