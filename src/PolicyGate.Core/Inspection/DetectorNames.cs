using System.Collections.Frozen;

namespace PolicyGate.Core.Inspection;

/// <summary>Detector names as used in tenant files, metrics, audit entries and X-PolicyGate-Blocked.</summary>
public static class DetectorNames
{
    public const string CreditCard = "credit_card";
    public const string UsSsn = "us_ssn";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string Ipv4 = "ipv4";
    public const string Ipv6 = "ipv6";
    public const string Iban = "iban";
    public const string Leakage = "leakage";
    public const string Entropy = "entropy";
    public const string Framing = "framing";
    public const string SecretPrefix = "secret_prefix";

    /// <summary>Pseudo-detectors used only in verdicts (never configurable).</summary>
    public const string Encoding = "encoding";
    public const string Limit = "limit";
    public const string Tenant = "tenant";

    /// <summary>Every configurable detector, in documentation order.</summary>
    public static readonly IReadOnlyList<string> All =
        [CreditCard, UsSsn, Email, Phone, Ipv4, Ipv6, Iban, Leakage, Entropy, Framing, SecretPrefix];

    private static readonly FrozenDictionary<string, DetectionChannel> s_channels = new Dictionary<string, DetectionChannel>
    {
        [CreditCard] = DetectionChannel.Automaton,
        [UsSsn] = DetectionChannel.Automaton,
        [Email] = DetectionChannel.Automaton,
        [Phone] = DetectionChannel.Automaton,
        [Ipv4] = DetectionChannel.Automaton,
        [Ipv6] = DetectionChannel.Automaton,
        [Iban] = DetectionChannel.Automaton,
        [Leakage] = DetectionChannel.Automaton,
        [Entropy] = DetectionChannel.Rules,
        [Framing] = DetectionChannel.Rules,
        [SecretPrefix] = DetectionChannel.Rules,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool IsKnown(string name) => s_channels.ContainsKey(name);

    public static DetectionChannel ChannelOf(string name) => s_channels[name];
}
