using PolicyGate.Configuration;
using PolicyGate.Edge;

namespace PolicyGate.Runtime;

/// <summary>
/// The compiled, immutable configuration the data path reads (once per connection or request) from
/// <see cref="RuntimeConfigProvider.Current"/>: built once from validated <see cref="PolicyGateOptions"/>, never mutated.
/// </summary>
public sealed record RuntimeConfig
{
    public required EdgeRuntimeConfig Edge { get; init; }

    /// <summary>Server TLS options per ALPN set over the loaded edge certificate (or the reason it is not loaded).</summary>
    public required EdgeTlsServerOptions Tls { get; init; }

    public required InspectionRuntimeConfig Inspection { get; init; }

    public required PortPolicyFetchSettings PortPolicyFetch { get; init; }

    public required EgressRuntimeConfig Egress { get; init; }

    /// <summary>
    /// Compiles validated options (loads the edge certificate and client CA: a failure is recorded in <see cref="Tls"/>, not
    /// thrown; reads edge.trusted_proxies_file, whose bad line throws <see cref="ConfigException"/> as file:line);
    /// throws <see cref="ConfigException"/> with the key's name when a value cannot be compiled.
    /// </summary>
    public static RuntimeConfig Compile(PolicyGateOptions options)
    {
        try
        {
            return new RuntimeConfig
            {
                Edge = EdgeRuntimeConfig.From(options),
                Tls = EdgeTlsServerOptions.Create(EdgeCertificateLoader.Load(options), EdgeTlsServerOptions.ParseVersions(options.Edge.TlsVersions),
                    EdgeClientCertificateValidator.Load(options)),
                Inspection = new InspectionRuntimeConfig(options.Inspection.HoldBytes, options.ResolvePath(options.Inspection.TenantsDir)),
                PortPolicyFetch = PortPolicyFetchSettings.From(options.PortPolicyFetch),
                Egress = EgressRuntimeConfig.From(options.Egress),
            };
        }
        catch (FormatException e)
        {
            throw new ConfigException(e.Message);
        }
    }
}
