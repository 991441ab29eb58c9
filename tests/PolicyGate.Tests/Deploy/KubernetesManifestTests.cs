using System.Net;
using PolicyGate.Tests.Cli;
using PolicyGate.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace PolicyGate.Tests.Deploy;

/// <summary>
/// deploy/kubernetes as rendered objects (security context, probes, PDB, resources, PrometheusRule) and as a node: the
/// StatefulSet's container with the ConfigMap's TOML, the Secret's keys as env and each volume at its mount path, where only
/// the documented secrets are filled in and the optional tenants ConfigMap is absent, becomes ready (local simulation:
/// no cluster here).
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly List<YamlMappingNode> s_objects = Load("deploy/kubernetes/policygate.yaml");

    [Fact]
    public void Pod_spec_meets_pod_security_restricted_with_probes_resources_and_drain()
    {
        YamlMappingNode pod = Path(Object("StatefulSet", "policygate"), "spec", "template", "spec");
        Assert.Equal("RuntimeDefault", Text(pod, "securityContext", "seccompProfile", "type"));
        Assert.Equal("true", Text(pod, "securityContext", "runAsNonRoot"));
        YamlMappingNode container = Container(pod);
        Assert.DoesNotMatch(@":latest$|^[^:]+$", Text(container, "image"));
        Assert.Equal("false", Text(container, "securityContext", "allowPrivilegeEscalation"));
        Assert.Equal("true", Text(container, "securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("ALL", ((YamlSequenceNode)Path(container, "securityContext", "capabilities")["drop"]).Children.Single().ToString());
        Assert.Equal("/readyz", Text(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/healthz", Text(container, "livenessProbe", "httpGet", "path"));
        Assert.Equal("/healthz", Text(container, "startupProbe", "httpGet", "path"));
        Assert.NotNull(Text(container, "resources", "requests", "cpu"));
        Assert.NotNull(Text(container, "resources", "requests", "memory"));
        Assert.NotNull(Text(container, "resources", "limits", "memory"));
        Assert.NotNull(Path(container, "lifecycle", "preStop", "exec"));

        Dictionary<string, string> mounts = Mounts(container);
        Assert.Equal("/tmp", mounts["tmp"]);
        YamlMappingNode tmp = Volumes(pod)["tmp"];
        Assert.True(tmp.Children.ContainsKey("emptyDir"));
        Assert.Equal("true", Text(Volumes(pod)["tenants"], "configMap", "optional"));

        // Grace period covers preStop + the configured drain (edge.timeouts.shutdown = 20s) with margin.
        Assert.True(int.Parse(Text(pod, "terminationGracePeriodSeconds")!, System.Globalization.CultureInfo.InvariantCulture) >= 5 + 20 + 10);
    }

    [Fact]
    public void Pdb_keeps_a_pod_and_the_prometheus_rule_wraps_the_shipped_rules()
    {
        YamlMappingNode pdb = Object("PodDisruptionBudget", "policygate");
        YamlMappingNode statefulSet = Object("StatefulSet", "policygate");
        int replicas = int.Parse(Text(statefulSet, "spec", "replicas")!, System.Globalization.CultureInfo.InvariantCulture);
        string? minAvailable = Text(pdb, "spec", "minAvailable");
        string? maxUnavailable = Text(pdb, "spec", "maxUnavailable");
        // Protects something: at least one pod stays through voluntary evictions.
        Assert.True(minAvailable == "1" || (maxUnavailable is not null && int.Parse(maxUnavailable, System.Globalization.CultureInfo.InvariantCulture) < replicas),
            $"PDB minAvailable={minAvailable} maxUnavailable={maxUnavailable} with {replicas} replica(s) protects nothing");
        Assert.Equal(Text(statefulSet, "spec", "selector", "matchLabels", "app.kubernetes.io/name"), Text(pdb, "spec", "selector", "matchLabels", "app.kubernetes.io/name"));

        YamlMappingNode rule = Load("deploy/kubernetes/prometheusrule.yaml").Single();
        Assert.Equal("PrometheusRule", Text(rule, "kind"));
        YamlMappingNode rules = Load("deploy/prometheus/policygate-rules.yml").Single();
        Assert.True(Canonical(Path(rule, "spec")["groups"]) == Canonical(rules["groups"]),
            "deploy/kubernetes/prometheusrule.yaml differs from deploy/prometheus/policygate-rules.yml: run scripts/render-prometheusrule.sh");
    }

    [Fact]
    public async Task Placeholder_secrets_are_refused_by_check_config_like_serve()
    {
        using DeploySimulation pod = Simulate(out Dictionary<string, string> env, fillSecrets: false);
        (int exit, string stdout, string stderr) = await PolicygateProcess.RunAsync(
            ["check-config", "--config", pod.Map("/etc/policygate/policygate.toml")], env, pod.Root);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("admin.token_file: the admin token from env POLICYGATE_ADMIN_TOKEN is a placeholder", stderr, StringComparison.Ordinal);
        Assert.Contains("POLICYGATE_AUDIT_KEY: expected 64 hex characters, found 25", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifests_with_only_the_documented_secrets_filled_in_give_a_ready_node()
    {
        using DeploySimulation pod = Simulate(out Dictionary<string, string> env, fillSecrets: true);
        YamlMappingNode container = Container(Path(Object("StatefulSet", "policygate"), "spec", "template", "spec"));
        string[] args = ((YamlSequenceNode)container["args"]).Children.Select(c => c.ToString()).ToArray();
        await using PolicygateProcess node = pod.Start(args, env, "/var/lib/policygate");
        (HttpStatusCode status, string body) = await pod.WaitForReadyAsync(9090, node, TimeSpan.FromSeconds(60));
        Assert.True(status == HttpStatusCode.OK, $"/readyz {status} {body}\n{node.Stdout}\n{node.Stderr}");
    }

    /// <summary>The pod's file system: ConfigMap TOML at its subPath, the TLS secret's keys, an empty tenants dir (optional ConfigMap absent), the data PVC, /tmp.</summary>
    private static DeploySimulation Simulate(out Dictionary<string, string> env, bool fillSecrets)
    {
        YamlMappingNode pod = Path(Object("StatefulSet", "policygate"), "spec", "template", "spec");
        YamlMappingNode container = Container(pod);
        Dictionary<string, string> mounts = Mounts(container);
        DeploySimulation sim = new();
        string toml = Text(Object("ConfigMap", "policygate-config"), "data", "policygate.toml")!;
        sim.WriteFile(mounts["config"], sim.Relocate(toml));
        sim.WriteCertificate(mounts["tls"] + "/tls.crt", mounts["tls"] + "/tls.key", "apps.example.com");
        Directory.CreateDirectory(sim.Map(mounts["tenants"]));
        Directory.CreateDirectory(sim.Map(mounts["data"]));
        Directory.CreateDirectory(sim.Map(mounts["tmp"]));

        YamlMappingNode secret = Path(Object("Secret", "policygate-secrets"), "stringData");
        env = [];
        foreach (YamlMappingNode variable in ((YamlSequenceNode)container["env"]).Children.Cast<YamlMappingNode>())
        {
            string key = Text(variable, "valueFrom", "secretKeyRef", "key")!;
            string placeholder = Text(secret, key)!;
            env[variable["name"].ToString()] = fillSecrets ? DeploySimulation.RandomHex32() : placeholder; // the header: `openssl rand -hex 32`
        }

        return sim;
    }

    private static List<YamlMappingNode> Load(string relative)
    {
        YamlStream stream = [];
        using StreamReader reader = new(RepoPaths.File(relative));
        stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
    }

    private static YamlMappingNode Object(string kind, string name) => s_objects.Single(o => Text(o, "kind") == kind && Text(o, "metadata", "name") == name);

    private static YamlMappingNode Container(YamlMappingNode pod) => (YamlMappingNode)((YamlSequenceNode)pod["containers"]).Children.Single();

    private static Dictionary<string, string> Mounts(YamlMappingNode container) => ((YamlSequenceNode)container["volumeMounts"]).Children
        .Cast<YamlMappingNode>().ToDictionary(m => m["name"].ToString(), m => m["mountPath"].ToString());

    private static Dictionary<string, YamlMappingNode> Volumes(YamlMappingNode pod) => ((YamlSequenceNode)pod["volumes"]).Children
        .Cast<YamlMappingNode>().ToDictionary(m => m["name"].ToString(), m => m);

    private static YamlMappingNode Path(YamlMappingNode node, params string[] keys)
    {
        foreach (string key in keys)
        {
            node = (YamlMappingNode)node[key];
        }

        return node;
    }

    private static string? Text(YamlMappingNode node, params string[] keys)
    {
        YamlNode current = node;
        foreach (string key in keys)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? next))
            {
                return null;
            }

            current = next;
        }

        return current is YamlScalarNode scalar ? scalar.Value : null;
    }

    private static string Canonical(YamlNode node) => node switch
    {
        YamlScalarNode s => "\"" + s.Value + "\"",
        YamlSequenceNode seq => "[" + string.Join(",", seq.Children.Select(Canonical)) + "]",
        YamlMappingNode map => "{" + string.Join(",", map.Children.Select(kv => Canonical(kv.Key) + ":" + Canonical(kv.Value))) + "}",
        _ => "",
    };
}
