using System.CommandLine;
using System.Text.Json.Nodes;
using PolicyGate.Core.Bundles;

namespace PolicyGate.Cli;

/// <summary>`policygate bundle keygen|sign|verify|publish`: signed policy bundles (DESIGN §2, §9).</summary>
public static class BundleCommand
{
    public const string PrivateKeyFile = "bundle-signing.key";
    public const string PublicKeyFile = "bundle-signing.pub";

    public static Command Create()
    {
        Command bundle = new("bundle", "signed policy bundles: keygen, sign, verify, publish");
        bundle.Subcommands.Add(Keygen());
        bundle.Subcommands.Add(Sign());
        bundle.Subcommands.Add(Verify());
        bundle.Subcommands.Add(Publish());
        return bundle;
    }

    private static Command Keygen()
    {
        Option<string> outDir = new("--out") { Description = "directory for bundle-signing.key (0600) and bundle-signing.pub", Required = true };
        Command keygen = new("keygen", "create an Ed25519 bundle-signing key (PKCS#8 PEM) and print its key id") { outDir };
        keygen.SetAction(p =>
        {
            string dir = p.GetValue(outDir)!;
            string privatePath = Path.Combine(dir, PrivateKeyFile);
            if (File.Exists(privatePath))
            {
                Console.Error.WriteLine($"bundle keygen: {privatePath} already exists (refusing to overwrite a signing key)");
                return ExitCodes.Failed;
            }

            Directory.CreateDirectory(dir);
            using BundleSigningKey key = BundleSigningKey.Generate();
            FileStreamOptions options = new() { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (StreamWriter writer = new(new FileStream(privatePath, options)))
            {
                writer.Write(key.ExportPrivatePem());
            }

            File.WriteAllText(Path.Combine(dir, PublicKeyFile), key.ExportPublicPem());
            Console.Out.WriteLine(key.KeyId);
            return ExitCodes.Ok;
        });
        return keygen;
    }

    private static Command Sign()
    {
        Option<string> keyFile = new("--key") { Description = "Ed25519 private key, PKCS#8 PEM (bundle keygen or openssl genpkey -algorithm ed25519)", Required = true };
        Option<string> input = new("--in") { Description = "payload JSON (DESIGN §9)", Required = true };
        Option<string> output = new("--out") { Description = "envelope file to write", Required = true };
        Command sign = new("sign", "sign a payload into a DSSE envelope") { keyFile, input, output };
        sign.SetAction(p =>
        {
            if (!TryRead(p.GetValue(keyFile)!, out byte[] keyBytes) || !TryRead(p.GetValue(input)!, out byte[] payload))
            {
                return ExitCodes.Usage;
            }

            using BundleSigningKey? key = BundleSigningKey.TryImportPem(System.Text.Encoding.ASCII.GetString(keyBytes), out string? keyError);
            if (key is null)
            {
                Console.Error.WriteLine($"bundle sign: {p.GetValue(keyFile)}: {keyError}");
                return ExitCodes.Usage;
            }

            BundleResult<BundlePayload> decoded = BundlePayloadDecoder.Decode(payload);
            if (!decoded.IsOk)
            {
                Console.Error.WriteLine($"bundle sign: {p.GetValue(input)}: {decoded.Rejection}");
                return ExitCodes.Failed;
            }

            byte[] envelope = BundleEnvelopeWriter.Write(payload, [key.Sign(payload)]);
            if (envelope.Length > BundleConstants.MaxEnvelopeBytes)
            {
                Console.Error.WriteLine($"bundle sign: the envelope would be {envelope.Length} bytes, over the {BundleConstants.MaxEnvelopeBytes}-byte limit");
                return ExitCodes.Failed;
            }

            File.WriteAllBytes(p.GetValue(output)!, envelope);
            Console.Out.WriteLine($"signed {decoded.Value.BundleId} version {decoded.Value.Version} hash {BundleKeyId.Sha256(payload)} with {key.KeyId}");
            return ExitCodes.Ok;
        });
        return sign;
    }

    private static Command Verify()
    {
        Option<string[]> trusted = new("--trusted") { Description = "trusted key id sha256:<hex> (repeatable)", Required = true, AllowMultipleArgumentsPerToken = false };
        Option<string?> nodeId = new("--node-id") { Description = "also check the audience for this node id" };
        Option<string[]> labels = new("--label") { Description = "this node's label key=value for the audience check (repeatable)" };
        Argument<string> file = new("BUNDLE") { Description = "envelope file" };
        Command verify = new("verify", "check a bundle as a follower would (decode, signature, window, audience); prints OK or why not") { trusted, nodeId, labels, file };
        verify.SetAction(p =>
        {
            if (!TryRead(p.GetValue(file)!, out byte[] body))
            {
                return ExitCodes.Usage;
            }

            Dictionary<string, string> labelMap = new(StringComparer.Ordinal);
            foreach (string label in p.GetValue(labels) ?? [])
            {
                int eq = label.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    Console.Error.WriteLine($"bundle verify: --label '{label}' is not key=value");
                    return ExitCodes.Usage;
                }

                labelMap[label[..eq]] = label[(eq + 1)..];
            }

            string? node = p.GetValue(nodeId);
            BundleVerdict verdict = BundleVerifier.Verify(body, new BundleVerifyContext(p.GetValue(trusted)!, DateTimeOffset.UtcNow,
                node ?? (labelMap.Count > 0 ? "" : null), labelMap));
            if (verdict.Rejection is not null)
            {
                Console.Out.WriteLine("REJECTED " + verdict.Rejection);
                return ExitCodes.Failed;
            }

            BundlePayload payload = verdict.Bundle!.Payload;
            Console.Out.WriteLine($"OK {payload.BundleId} version {payload.Version} hash {verdict.Bundle.Hash} signed by "
                + string.Join(", ", verdict.Bundle.Envelope.Signatures.Select(s => s.KeyId)));
            return ExitCodes.Ok;
        });
        return verify;
    }

    private static Command Publish()
    {
        Argument<string> file = new("BUNDLE") { Description = "envelope file (bundle sign --out)" };
        Command publish = new("publish", "publish a signed bundle on the leader (PUT /api/v1/policy/bundle)") { file };
        AdminCommandContext context = new("bundle publish", publish);
        publish.SetAction(async (p, ct) =>
        {
            if (!TryRead(p.GetValue(file)!, out byte[] body))
            {
                return ExitCodes.Usage;
            }

            return await context.SendAsync(p, HttpMethod.Put, "policy/bundle", () => new ByteArrayContent(body), Render, ct);
        });
        return publish;
    }

    private static string Render(JsonNode? body) =>
        $"{(body?["published"]?.GetValue<bool>() == true ? "published" : "already published")} {body?["bundle_id"]} version {body?["version"]} hash {body?["hash"]}"
        + (body?["applied"]?.GetValue<bool>() == true ? "; applied on the leader" : "");

    private static bool TryRead(string path, out byte[] bytes)
    {
        try
        {
            bytes = File.ReadAllBytes(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"bundle: {path}: {e.Message}");
            bytes = [];
            return false;
        }
    }
}
