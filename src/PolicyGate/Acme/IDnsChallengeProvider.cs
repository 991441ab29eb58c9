namespace PolicyGate.Acme;

/// <summary>Publishes and removes the DNS-01 TXT record `_acme-challenge.&lt;domain&gt;` (edge.acme.dns_provider).</summary>
public interface IDnsChallengeProvider
{
    /// <summary>Adds a TXT record <paramref name="recordName"/> = <paramref name="value"/> (other values at the same name stay).</summary>
    Task PresentAsync(string domain, string recordName, string value, CancellationToken cancellationToken);

    /// <summary>Removes what <see cref="PresentAsync"/> added; best effort (a failure is logged, not fatal).</summary>
    Task CleanupAsync(string domain, string recordName, string value, CancellationToken cancellationToken);
}
