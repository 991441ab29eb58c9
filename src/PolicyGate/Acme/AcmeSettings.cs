using PolicyGate.Configuration;

namespace PolicyGate.Acme;

/// <summary>What one order asks for, derived from [edge.acme]: the names (dns-01: *.&lt;base_domain&gt; and &lt;base_domain&gt;), challenge and limits.</summary>
public sealed record AcmeSettings(
    IReadOnlyList<string> Names,
    string Challenge,
    IReadOnlyList<string> Contacts,
    bool TermsOfServiceAgreed,
    TimeSpan DnsPropagationWait,
    TimeSpan OrderTimeout)
{
    public const string Dns01 = "dns-01";
    public const string TlsAlpn01 = "tls-alpn-01";

    public static AcmeSettings From(PolicyGateOptions options)
    {
        AcmeOptions acme = options.Edge.Acme;
        List<string> names = acme.Challenge == Dns01 ? ["*." + options.Edge.BaseDomain, options.Edge.BaseDomain] : [];
        foreach (string name in acme.Names)
        {
            if (!names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                names.Add(name);
            }
        }

        return new AcmeSettings(names, acme.Challenge, acme.Email.Length > 0 ? ["mailto:" + acme.Email] : [], acme.TermsOfServiceAgreed,
            acme.DnsPropagationWait, acme.OrderTimeout);
    }
}
