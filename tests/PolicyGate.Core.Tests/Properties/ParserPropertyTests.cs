using System.Buffers;
using System.Text;
using CsCheck;
using PolicyGate.Core.Inspection.Tenants;
using PolicyGate.Core.Policy;
using PolicyGate.Core.Policy.Egress;
using PolicyGate.Core.ProxyProtocol;
using PolicyGate.Core.Routing;
using PolicyGate.Core.Tls;
using PolicyGate.Core.Tests.ProxyProtocol;
using PolicyGate.Core.Tests.Tls;

namespace PolicyGate.Core.Tests.Properties;

/// <summary>
/// Issue 14 (B): every parser of remote or operator input, fed random and mutated input from a fixed seed. Invariants:
/// no exception escapes, a refusal is one of the documented outcomes, and a length field never makes the parser wait for
/// (or allocate) more than the documented maximum.
/// </summary>
public sealed class ParserPropertyTests
{
    private static readonly byte[][] s_proxySeeds =
    [
        "PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n"u8.ToArray(),
        "PROXY TCP6 2001:db8::1 2001:db8::2 56324 443\r\n"u8.ToArray(),
        "PROXY UNKNOWN\r\n"u8.ToArray(),
        ProxyV2Fixtures.InetWithTlvs,
        ProxyV2Fixtures.Inet6,
        ProxyV2Fixtures.LocalInet,
        ProxyV2Fixtures.ProxyUnspec,
    ];

    private static readonly byte[][] s_helloSeeds =
    [
        ClientHelloBuilder.Hello(ClientHelloBuilder.Sni("app-8080.localhost")),
        ClientHelloBuilder.Hello(ClientHelloBuilder.Extension(0x000A, [0x00, 0x02, 0x00, 0x1D]), ClientHelloBuilder.Sni("demo.localhost"), ClientHelloBuilder.Alpn("h2", "http/1.1")),
        ClientHelloBuilder.TwoRecords(ClientHelloBuilder.Handshake(ClientHelloBuilder.Body(ClientHelloBuilder.Sni("x.localhost"))), 20),
    ];

    private static readonly byte[][] s_egressSeeds =
    [
        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nProxy-Authorization: Basic d2ViMTpzZWNyZXQ=\r\n\r\n"u8.ToArray(),
        "GET http://example.com:8080/a?b=c HTTP/1.1\r\nHost: example.com\r\nContent-Length: 0\r\n\r\n"u8.ToArray(),
        "CONNECT [2001:db8::1]:443 HTTP/1.0\r\n\r\n"u8.ToArray(),
        "CONNECT 0x7f.1:22 HTTP/1.1\r\n\r\n"u8.ToArray(),
    ];

    /// <summary>Random bytes, or a seed with a few bytes flipped, inserted, deleted or the tail cut off.</summary>
    private static Gen<byte[]> Mutated(byte[][] seeds, int maxRandom = 512) => Gen.Frequency(
        (1, Gen.Byte.Array[0, maxRandom]),
        (4, Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Int[0, 6], Gen.Int[0, int.MaxValue], Gen.Byte, Gen.Int[0, 3],
            (seed, count, position, value, kind) => Mutate(seeds[seed], count, position, value, kind))));

    private static byte[] Mutate(byte[] seed, int count, int position, byte value, int kind)
    {
        List<byte> bytes = [.. seed];
        Random random = new(position);
        for (int i = 0; i < Math.Max(1, count) && bytes.Count > 0; i++)
        {
            int at = random.Next(bytes.Count);
            switch (kind)
            {
                case 0: bytes[at] = value; break;
                case 1: bytes.Insert(at, value); break;
                case 2: bytes.RemoveAt(at); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
            value = (byte)random.Next(256);
        }
        return [.. bytes];
    }

    [Fact]
    public void Proxy_header_parser_never_throws_and_answers_one_of_three_outcomes()
    {
        int run = PropertyRun.Check(Mutated(s_proxySeeds), bytes =>
        {
            ProxyParseResult result = ProxyHeaderParser.Parse(new ReadOnlySequence<byte>(bytes));
            Assert.True(Enum.IsDefined(result.Status));
            Assert.Equal(result.Status == ProxyParseStatus.Complete, result.Header is not null);
            Assert.Equal(result.Status == ProxyParseStatus.Invalid, result.Error is not null);
            // Never waits for more than the documented maxima: v1 107 bytes, v2 2048 bytes.
            if (result.Status == ProxyParseStatus.Incomplete)
            {
                Assert.True(bytes.Length < 2048, $"incomplete after {bytes.Length} bytes");
            }
        });
        Assert.True(run >= 1000, $"only {run} iterations ran");
    }

    [Fact]
    public void Proxy_v2_length_field_beyond_the_maximum_is_refused_from_the_16_byte_header_alone()
    {
        PropertyRun.Check(Gen.Int[2048 - 16 + 1, 65535], length =>
        {
            byte[] header = [.. ProxyV2Fixtures.Signature, 0x21, 0x11, (byte)(length >> 8), (byte)length];
            Assert.Equal(ProxyParseStatus.Invalid, ProxyHeaderParser.Parse(new ReadOnlySequence<byte>(header)).Status);
        }, iterations: 2000);
    }

    [Fact]
    public void ClientHello_parser_never_throws_and_every_prefix_of_a_valid_hello_is_incomplete()
    {
        int run = PropertyRun.Check(Mutated(s_helloSeeds, 1024), bytes =>
        {
            ClientHelloResult result = ClientHelloParser.Parse(new ReadOnlySequence<byte>(bytes));
            Assert.True(Enum.IsDefined(result.Status));
            Assert.Equal(result.Status == ClientHelloStatus.Complete, result.Info is not null);
        });
        Assert.True(run >= 1000, $"only {run} iterations ran");

        byte[][] complete = [.. s_helloSeeds.Where(static h => ClientHelloParser.Parse(new ReadOnlySequence<byte>(h)).Status == ClientHelloStatus.Complete)];
        Assert.Equal(s_helloSeeds.Length, complete.Length);
        foreach (byte[] hello in complete)
        {
            for (int cut = 0; cut < hello.Length; cut++)
            {
                Assert.Equal(ClientHelloStatus.Incomplete, ClientHelloParser.Parse(new ReadOnlySequence<byte>(hello, 0, cut)).Status);
            }
        }
    }

    [Fact]
    public void ClientHello_record_length_field_does_not_make_the_parser_wait_beyond_16_KiB()
    {
        PropertyRun.Check(Gen.Int[0, 0xFFFFFF], length =>
        {
            byte[] start = [0x16, 0x03, 0x01, 0x40, 0x00, 0x01, (byte)(length >> 16), (byte)(length >> 8), (byte)length];
            ClientHelloResult result = ClientHelloParser.Parse(new ReadOnlySequence<byte>(start));
            Assert.True(result.Status == ClientHelloStatus.Incomplete ? length <= 16 * 1024 : result.Status == ClientHelloStatus.Invalid,
                $"length {length}: {result.Status}");
        }, iterations: 5000);
    }

    [Fact]
    public void Sni_route_grammar_never_throws_and_accepted_routes_are_well_formed()
    {
        Gen<string> label = Gen.String[Gen.Char["abcdefgs0123456789-._"], 0, 24];
        Gen<string> hosts = Gen.Frequency(
            (1, Gen.String[0, 80]),
            (4, Gen.Select(label, Gen.Int[0, 3].Select(static i => new[] { "localhost", "LocalHost.", "apps.example.com", "" }[i]), (l, d) => l + "." + d)));
        int run = PropertyRun.Check(hosts, host =>
        {
            bool ok = SniRouteParser.TryParse(host, "localhost", out SniRoute? route, out string error);
            if (ok)
            {
                Assert.InRange(route!.Port, 1, 65535);
                Assert.False(string.IsNullOrEmpty(route.Id));
                Assert.False(route.Passthrough && route.Http2);
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error));
            }
        });
        Assert.True(run >= 1000, $"only {run} iterations ran");
    }

    [Fact]
    public void Egress_request_parser_never_throws_and_refuses_only_with_documented_statuses()
    {
        int run = PropertyRun.Check(Mutated(s_egressSeeds), bytes =>
        {
            if (ProxyRequestParser.TryParse(bytes, out ProxyRequest request, out ProxyRequestError error))
            {
                Assert.InRange(request.Port, 1, 65535);
                Assert.False(string.IsNullOrEmpty(request.Host));
                Assert.DoesNotContain(request.Host, c => char.IsControl(c) || c == ' ');
            }
            else
            {
                Assert.Contains(error.Status, new[] { 400, 414, 431 });
                Assert.False(string.IsNullOrEmpty(error.Message));
            }
        });
        Assert.True(run >= 1000, $"only {run} iterations ran");
    }

    [Fact]
    public void Admin_json_parsers_never_throw_on_mutated_or_hostile_bodies()
    {
        byte[][] seeds =
        [
            """{"instance_id":"web_1","app_id":"web","address":"127.0.0.1","port_policy":{"ports":[{"port":8080,"pp":true,"protocol":"http"}]}}"""u8.ToArray(),
            """{"ports":[{"port":22,"protocol":"tcp"},{"port":443}],"restrict_mode":true}"""u8.ToArray(),
            """{"a":1,"a":2}"""u8.ToArray(),
            Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)),
        ];
        int run = PropertyRun.Check(Mutated(seeds), bytes =>
        {
            // Found by this property: invalid UTF-8 inside a JSON string escaped InstanceRegistrationParser as an exception.
            InstanceRegistrationParseResult registration = InstanceRegistrationParser.Parse(bytes);
            Assert.True(registration.Registration is not null ^ registration.Error is not null);
            PortPolicyParseResult policy = PortPolicyParser.Parse(bytes);
            Assert.True(policy.IsValid ^ policy.Policy is null);
        });
        Assert.True(run >= 1000, $"only {run} iterations ran");
    }

    [Fact]
    public void Tenant_file_parser_never_throws_on_mutated_toml()
    {
        byte[][] seeds =
        [
            "mode = \"block\"\ncontent_types = [\"text/*\", \"application/json\"]\nmax_scan = \"8MiB\"\n[detectors]\nemail = true\n"u8.ToArray(),
            "[a]\nb = [1, 2, {c = 3}]\nd = 1979-05-27T07:32:00Z\n\"\"\"\n"u8.ToArray(),
        ];
        int run = PropertyRun.Check(Mutated(seeds, 256), bytes =>
        {
            bool ok = TenantFileParser.TryParse("t.toml", "t", Encoding.UTF8.GetString(bytes), out TenantPolicy? policy, out string? error);
            Assert.True(ok ? policy is not null : !string.IsNullOrEmpty(error));
        }, iterations: 5000);
        Assert.True(run >= 500, $"only {run} iterations ran");
    }
}
