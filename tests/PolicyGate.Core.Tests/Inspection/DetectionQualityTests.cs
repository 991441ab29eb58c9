using System.Text;
using PolicyGate.Core.Inspection;

namespace PolicyGate.Core.Tests.Inspection;

/// <summary>Per detector: at least 20 positives that must hit and 20 hard negatives that must not.</summary>
public sealed class DetectionQualityTests
{
    private static readonly string s_base64Sentence = Convert.ToBase64String(Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog near the river bank today."));
    private static readonly string[] s_common =
    [
        "550e8400-e29b-41d4-a716-446655440000", "commit 3f786850e387550fdab836ed7e6dc881de23001b", "version 10.0.401",
        "2024-01-15T10:30:00Z", "order ORD-20240115-000123", "ts=1700000000", s_base64Sentence,
        "for (int i = 0; i < items.Length; i++) { total += items[i] * 31; }",
    ];

    public static readonly TheoryData<string, string> Positives = new()
    {
        // credit_card
        { DetectorNames.CreditCard, "4111111111111111" }, { DetectorNames.CreditCard, "4012888888881881" },
        { DetectorNames.CreditCard, "Visa card 4222222222222" }, { DetectorNames.CreditCard, "5555555555554444" },
        { DetectorNames.CreditCard, "5105105105105100" }, { DetectorNames.CreditCard, "2223003122003222" },
        { DetectorNames.CreditCard, "378282246310005" }, { DetectorNames.CreditCard, "371449635398431" },
        { DetectorNames.CreditCard, "6011111111111117" }, { DetectorNames.CreditCard, "6011000990139424" },
        { DetectorNames.CreditCard, "3530111333300000" }, { DetectorNames.CreditCard, "3566002020360505" },
        { DetectorNames.CreditCard, "30569309025904" }, { DetectorNames.CreditCard, "38520000023237" },
        { DetectorNames.CreditCard, "6200000000000005" }, { DetectorNames.CreditCard, "4000056655665556" },
        { DetectorNames.CreditCard, "5200828282828210" }, { DetectorNames.CreditCard, "4242424242424242" },
        { DetectorNames.CreditCard, "4111 1111 1111 1111" }, { DetectorNames.CreditCard, "5555-5555-5555-4444" },
        { DetectorNames.CreditCard, "3782 822463 10005" }, { DetectorNames.CreditCard, "\"card\":\"4242424242424242\"" },
        { DetectorNames.CreditCard, "/api/cards/4111111111111111/charge" },
        // us_ssn
        { DetectorNames.UsSsn, "536-22-1234" }, { DetectorNames.UsSsn, "001-01-0001" }, { DetectorNames.UsSsn, "665-12-3456" },
        { DetectorNames.UsSsn, "667-01-0001" }, { DetectorNames.UsSsn, "899-99-9999" }, { DetectorNames.UsSsn, "078-05-1121" },
        { DetectorNames.UsSsn, "219-09-9998" }, { DetectorNames.UsSsn, "345 67 8901" }, { DetectorNames.UsSsn, "512-44-3210" },
        { DetectorNames.UsSsn, "401-23-4567" }, { DetectorNames.UsSsn, "222-33-4444" }, { DetectorNames.UsSsn, "321-54-9876" },
        { DetectorNames.UsSsn, "771-12-3456" }, { DetectorNames.UsSsn, "100-20-3000" }, { DetectorNames.UsSsn, "458-21-9375" },
        { DetectorNames.UsSsn, "609-72-1148" }, { DetectorNames.UsSsn, "314-15-9265" }, { DetectorNames.UsSsn, "271-82-8182" },
        { DetectorNames.UsSsn, "161-80-3398" }, { DetectorNames.UsSsn, "\"ssn\":\"141-42-1356\"" },
        // email
        { DetectorNames.Email, "alice@example.com" }, { DetectorNames.Email, "bob.smith@company.co.uk" },
        { DetectorNames.Email, "first.last+tag@sub.domain.org" }, { DetectorNames.Email, "x@y.io" },
        { DetectorNames.Email, "user_name@mail-server.net" }, { DetectorNames.Email, "j.doe@uni.edu" },
        { DetectorNames.Email, "support@policygate.dev" }, { DetectorNames.Email, "a1b2@c3d4.info" },
        { DetectorNames.Email, "name%tag@example.museum" }, { DetectorNames.Email, "CAPS@EXAMPLE.COM" },
        { DetectorNames.Email, "dev-ops@my-company.io" }, { DetectorNames.Email, "test.email@gmail.com" },
        { DetectorNames.Email, "info@xn--bcher-kva.de" }, { DetectorNames.Email, "sales@shop.store" },
        { DetectorNames.Email, "hr@corp.example.org" }, { DetectorNames.Email, "noreply@github.com" },
        { DetectorNames.Email, "admin@example.travel" }, { DetectorNames.Email, "<mailto:ceo@acme.com>" },
        { DetectorNames.Email, "\"email\":\"carol@example.net\"" }, { DetectorNames.Email, "mail dave@example.com." },
        // phone
        { DetectorNames.Phone, "+14155552671" }, { DetectorNames.Phone, "+442071838750" }, { DetectorNames.Phone, "+33142685300" },
        { DetectorNames.Phone, "+4930901820" }, { DetectorNames.Phone, "+81312345678" }, { DetectorNames.Phone, "+61293744000" },
        { DetectorNames.Phone, "+5511987654321" }, { DetectorNames.Phone, "+919876543210" }, { DetectorNames.Phone, "+8613912345678" },
        { DetectorNames.Phone, "+1 415 555 2671" }, { DetectorNames.Phone, "+44 20 7183 8750" }, { DetectorNames.Phone, "+49 30 901820" },
        { DetectorNames.Phone, "+33 1 42 68 53 00" }, { DetectorNames.Phone, "(415) 555-2671" }, { DetectorNames.Phone, "415-555-2671" },
        { DetectorNames.Phone, "415.555.2671" }, { DetectorNames.Phone, "415 555 2671" }, { DetectorNames.Phone, "1-415-555-2671" },
        { DetectorNames.Phone, "(212) 736-5000" }, { DetectorNames.Phone, "650-253-0000" }, { DetectorNames.Phone, "\"tel\":\"+12125551234\"" },
        // ipv4
        { DetectorNames.Ipv4, "192.168.1.1" }, { DetectorNames.Ipv4, "10.0.0.1" }, { DetectorNames.Ipv4, "172.16.254.3" },
        { DetectorNames.Ipv4, "8.8.8.8" }, { DetectorNames.Ipv4, "1.1.1.1" }, { DetectorNames.Ipv4, "255.255.255.255" },
        { DetectorNames.Ipv4, "0.0.0.0" }, { DetectorNames.Ipv4, "127.0.0.1" }, { DetectorNames.Ipv4, "203.0.113.42" },
        { DetectorNames.Ipv4, "198.51.100.7" }, { DetectorNames.Ipv4, "100.64.0.1" }, { DetectorNames.Ipv4, "169.254.169.254" },
        { DetectorNames.Ipv4, "52.95.110.1" }, { DetectorNames.Ipv4, "host=34.120.1.200:8080" }, { DetectorNames.Ipv4, "45.33.32.156/32" },
        { DetectorNames.Ipv4, "\"ip\":\"185.199.108.153\"" }, { DetectorNames.Ipv4, "from 140.82.112.3," }, { DetectorNames.Ipv4, "13.107.42.14." },
        { DetectorNames.Ipv4, "[23.45.67.89]" }, { DetectorNames.Ipv4, "peer:91.198.174.192" },
        // ipv6
        { DetectorNames.Ipv6, "2001:0db8:85a3:0000:0000:8a2e:0370:7334" }, { DetectorNames.Ipv6, "2001:db8:85a3::8a2e:370:7334" },
        { DetectorNames.Ipv6, "fe80::1" }, { DetectorNames.Ipv6, "::ffff:192.168.1.1" }, { DetectorNames.Ipv6, "2001:db8::" },
        { DetectorNames.Ipv6, "::ffff:10.0.0.1" }, { DetectorNames.Ipv6, "fe80::1ff:fe23:4567:890a" }, { DetectorNames.Ipv6, "2606:4700:4700::1111" },
        { DetectorNames.Ipv6, "2001:4860:4860::8888" }, { DetectorNames.Ipv6, "fd00::1234" }, { DetectorNames.Ipv6, "2001:db8:0:0:1:0:0:1" },
        { DetectorNames.Ipv6, "2001:DB8::1" }, { DetectorNames.Ipv6, "ff02::1:2" }, { DetectorNames.Ipv6, "2001:db8:a::123" },
        { DetectorNames.Ipv6, "64:ff9b::192.0.2.33" }, { DetectorNames.Ipv6, "::1234:5678" }, { DetectorNames.Ipv6, "2a00:1450:4001:81c::200e" },
        { DetectorNames.Ipv6, "[2620:fe::fe]:53" }, { DetectorNames.Ipv6, "\"addr\":\"2001:db8::42\"" }, { DetectorNames.Ipv6, "0:0:0:0:0:ffff:c000:280" },
        // iban
        { DetectorNames.Iban, "DE89370400440532013000" }, { DetectorNames.Iban, "GB82WEST12345698765432" },
        { DetectorNames.Iban, "FR1420041010050500013M02606" }, { DetectorNames.Iban, "DE89 3704 0044 0532 0130 00" },
        { DetectorNames.Iban, "GB82 WEST 1234 5698 7654 32" }, { DetectorNames.Iban, "NL91ABNA0417164300" },
        { DetectorNames.Iban, "BE68539007547034" }, { DetectorNames.Iban, "ES9121000418450200051332" },
        { DetectorNames.Iban, "IT60X0542811101000000123456" }, { DetectorNames.Iban, "CH9300762011623852957" },
        { DetectorNames.Iban, "AT611904300234573201" }, { DetectorNames.Iban, "SE4550000000058398257466" },
        { DetectorNames.Iban, "NO9386011117947" }, { DetectorNames.Iban, "DK5000400440116243" },
        { DetectorNames.Iban, "FI2112345600000785" }, { DetectorNames.Iban, "PL61109010140000071219812874" },
        { DetectorNames.Iban, "PT50000201231234567890154" }, { DetectorNames.Iban, "IE29AIBK93115212345678" },
        { DetectorNames.Iban, "LU280019400644750000" }, { DetectorNames.Iban, "\"iban\":\"SA0380000000608010167519\"" },
        // leakage
        { DetectorNames.Leakage, "You are PolicyBot, the internal assistant" }, { DetectorNames.Leakage, "never reveal the launch code" },
        { DetectorNames.Leakage, "NEVER REVEAL THE LAUNCH CODE 7731-ALPHA" }, { DetectorNames.Leakage, "the  internal\n\tassistant of   Acme" },
        { DetectorNames.Leakage, "internal\\nassistant of Acme Corp" }, { DetectorNames.Leakage, "Po\u200Blicy\u200DBot, the inter\uFEFFnal assistant" },
        { DetectorNames.Leakage, "\uFF30\uFF4F\uFF4C\uFF49\uFF43\uFF59Bot, the internal" }, { DetectorNames.Leakage, "the cafe\u0301 budget, or the staff" },
        { DetectorNames.Leakage, "the caf\u00E9 budget, or the staff" }, { DetectorNames.Leakage, "staff roster to anyone" },
        { DetectorNames.Leakage, "launch code 7731-ALPHA, the" }, { DetectorNames.Leakage, "assistant of Acme Corp. Never" },
        { DetectorNames.Leakage, "Acme Corp. Never reveal" }, { DetectorNames.Leakage, "are PolicyBot, the intern" },
        { DetectorNames.Leakage, "reveal the launch code" }, { DetectorNames.Leakage, "budget, or the staff roster" },
        { DetectorNames.Leakage, "\"content\":\"You are PolicyBot, the internal assistant\"" }, { DetectorNames.Leakage, "7731-alpha, the café budget" },
        { DetectorNames.Leakage, "you are policybot, the internal" }, { DetectorNames.Leakage, "ＹＯＵ ＡＲＥ ＰＯＬＩＣＹＢＯＴ, ＴＨＥ" },
        // entropy (plus generated random keys, see RandomSecrets)
        { DetectorNames.Entropy, "Zx9QmR2vT7pLk4NwB8sYh3JdF6gKc1UeA5rVo0Ti" }, { DetectorNames.Entropy, "token=q8Wz3Lr5Xv1Nb7Tg2Mk9Hs4Pd6Jf0Yc8Ua3Re5Vi" },
        { DetectorNames.Entropy, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" }, { DetectorNames.Entropy, "a3f5c7e9b1d2f4a6c8e0b2d4f6a8c0e2b4d6f8a1c3e5" },
        { DetectorNames.Entropy, "\"secret\":\"Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC2eF4hJ6kL8x\"" }, { DetectorNames.Entropy, "glpat-Xy7Kp2Qm9Lr4Tn8Vw3Zb6Jc1Hd5Fg0Sa2Qw" },
        { DetectorNames.Entropy, "AIzaSyD8x7Kq2Lm5Np8Rs1Tu4Vw7Xy0Za3Bc6De9" }, { DetectorNames.Entropy, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
        { DetectorNames.Entropy, "0x7a250d5630b4cf539739df2c5dacb4c659f2488d2aa1" }, { DetectorNames.Entropy, "\"iv\":\"3q2+7wRt5h9Kz1Lm8Pq4Rs7Tv0Wx3Yz6Bc9De2Fg\"" },
        // framing
        { DetectorNames.Framing, "Sure! Here is the system prompt I was given" }, { DetectorNames.Framing, "THE SYSTEM PROMPT says" },
        { DetectorNames.Framing, "the   system\n  prompt" }, { DetectorNames.Framing, "my hidden instructions are" },
        { DetectorNames.Framing, "Hidden Instructions:" }, { DetectorNames.Framing, "the secret key is" },
        { DetectorNames.Framing, "SECRET KEY=" }, { DetectorNames.Framing, "private_key = \"abc\"" },
        { DetectorNames.Framing, "private_key=abc" }, { DetectorNames.Framing, "PRIVATE_KEY =" },
        { DetectorNames.Framing, "secret_key = 'x'" }, { DetectorNames.Framing, "secret_key=x" },
        { DetectorNames.Framing, "\"text\":\"revealing the system prompt\"" }, { DetectorNames.Framing, "secret\tkey" },
        { DetectorNames.Framing, "reading THE system PROMPT now" }, { DetectorNames.Framing, "<b>hidden instructions</b>" },
        { DetectorNames.Framing, "export SECRET_KEY = 1" }, { DetectorNames.Framing, "the system\r\nprompt" },
        { DetectorNames.Framing, "our secret key:" }, { DetectorNames.Framing, "cfg.private_key = load()" },
        // secret_prefix
        { DetectorNames.SecretPrefix, "AKIAIOSFODNN7EXAMPLE" }, { DetectorNames.SecretPrefix, "aws_access_key_id=AKIAI44QH8DHBEXAMPLE" },
        { DetectorNames.SecretPrefix, "ASIAY34FZKBOKMUTVV7A" }, { DetectorNames.SecretPrefix, "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" },
        { DetectorNames.SecretPrefix, "gho_16C7e42F292c6912E7710c838347Ae178B4a" }, { DetectorNames.SecretPrefix, "ghs_abcdefghijklmnopqrstuvwxyz0123456789" },
        { DetectorNames.SecretPrefix, "ghu_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" }, { DetectorNames.SecretPrefix, "ghr_1B4a2e77838347a7E420ce178F2E7c6912E1" },
        { DetectorNames.SecretPrefix, "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz" }, { DetectorNames.SecretPrefix, "-----BEGIN RSA PRIVATE KEY-----" },
        { DetectorNames.SecretPrefix, "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----" }, { DetectorNames.SecretPrefix, "-----BEGIN OPENSSH PRIVATE KEY-----" },
        { DetectorNames.SecretPrefix, "-----BEGIN EC PRIVATE KEY-----" }, { DetectorNames.SecretPrefix, "-----BEGIN ENCRYPTED PRIVATE KEY-----" },
        { DetectorNames.SecretPrefix, "sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34" }, { DetectorNames.SecretPrefix, "sk-4eC39HqLyjWDarjtT1zdp7dc" },
        { DetectorNames.SecretPrefix, "\"api_key\":\"sk-ant-api03-AbCdEf123456GhIjKl789\"" }, { DetectorNames.SecretPrefix, "OPENAI_API_KEY=sk-Xy9Zk8Lm7Nb6Vc5Xa4Sd3Fg2Hj1" },
        { DetectorNames.SecretPrefix, "Bearer ghp_012345678901234567890123456789abcdef" }, { DetectorNames.SecretPrefix, "key: AKIAJSIE27KKMHXI3BJQ," },
    };

    public static readonly TheoryData<string, string> Negatives = BuildNegatives();

    public static readonly TheoryData<string> RandomSecrets = BuildRandomSecrets();

    [Theory]
    [MemberData(nameof(RandomSecrets))]
    public void Random_key_material_is_high_entropy(string sample)
    {
        List<DetectionHit> hits = DetectorHarness.Scan(DetectorHarness.InProse(sample), DetectorNames.Entropy);
        Assert.Contains(hits, h => h.Detector == DetectorNames.Entropy);
    }

    private static TheoryData<string> BuildRandomSecrets()
    {
        Random random = new(20261122);
        TheoryData<string> data = new();
        foreach (int size in new[] { 32, 40, 48, 64, 96, 128, 256, 512, 1024, 4096 })
        {
            byte[] key = new byte[size];
            random.NextBytes(key);
            data.Add(Convert.ToBase64String(key));
            data.Add(Convert.ToHexString(key[..Math.Min(size, 48)]).ToLowerInvariant());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Positives))]
    public void Positive_is_detected(string detector, string sample)
    {
        List<DetectionHit> hits = DetectorHarness.Scan(DetectorHarness.InProse(sample), detector);
        Assert.Contains(hits, h => h.Detector == detector);
    }

    [Theory]
    [MemberData(nameof(Negatives))]
    public void Hard_negative_is_not_detected(string detector, string sample)
    {
        List<DetectionHit> hits = DetectorHarness.Scan(DetectorHarness.InProse(sample), detector);
        Assert.DoesNotContain(hits, h => h.Detector == detector);
    }

    [Fact]
    public void Every_detector_has_twenty_positives_and_twenty_negatives()
    {
        foreach (string detector in DetectorNames.All)
        {
            int generated = detector == DetectorNames.Entropy ? RandomSecrets.Count : 0;
            Assert.True(Positives.Count(row => (string)row[0] == detector) + generated >= 20, detector + " positives");
            Assert.True(Negatives.Count(row => (string)row[0] == detector) >= 20, detector + " negatives");
        }
    }

    private static TheoryData<string, string> BuildNegatives()
    {
        Dictionary<string, string[]> specific = new()
        {
            [DetectorNames.CreditCard] =
            [
                "4111111111111112", "5555555555554445", "378282246310006", "6011111111111118", "1234567812345678",
                "4444444444444444", "1234567890123456789", "0000 0000 0000 0000", "9999-9999-9999-9995", "tracking 1Z999AA10123456784",
                "ISBN 978-3-16-148410-0", "IMEI 490154203237518", "EAN 4273416269057", "4111-1111-1111-111", "+1 415 555 2671", "id 17000000000001",
            ],
            [DetectorNames.UsSsn] =
            [
                "000-12-3456", "666-12-3456", "900-12-3456", "987-65-4321", "123-00-4567", "123-45-0000", "078-05-1120",
                "219-09-9999", "123-45-6789", "123456789", "12-345-6789", "123-456-789", "415-555-2671", "94105-1234",
                "ORD-536-22-1234", "536-22-12345", "536-22 1234",
            ],
            [DetectorNames.Email] =
            [
                "@mention", "@Override", "user@localhost", "image@2x.png", "foo@bar", "email@.com", "a..b@example.com",
                "npm i @types/node", "@app.route('/')", "x@y", "user@-example.com", "user@example-.com", "user@example.c",
                "user@example.123", "bundle@main.js", "logo@3x.jpg", "price @ 5.00", "a @ b.com", "css @media (max-width: 600px)",
                "@@ -1,4 +1,5 @@",
            ],
            [DetectorNames.Phone] =
            [
                "1700000000", "2024-01-15", "10.0.19041.1", "ORD-2024-000123", "+123", "12345", "4111111111111111",
                "123-45-6789", "555-1234", "192.168.1.1", "3.14159", "1-2-3-4", "(123) 456-7890", "000-000-0000",
                "+0000000000", "12:30:45", "$1,234,567.89", "99999999999",
            ],
            [DetectorNames.Ipv4] =
            [
                "256.1.1.1", "1.2.3", "1.2.3.4.5", "192.168.001.1", "v1.2.3.4", "version 10.0.19041.1", "3.14159",
                "1.2.3.4a", "2024.01.15", "999.999.999.999", "1.1.1", "127.0.0", "12.34.56.789", "10.10.10.10.10",
                "2.0.0.0-beta", "12:30:45", "10..1.2",
            ],
            [DetectorNames.Ipv6] =
            [
                "std::vector<int>", "12:30:45", "00:1A:2B:3C:4D:5E", "::", "a::b", "Foo::Bar::baz", "http://example.com:8080/",
                "key: value", "1:2:3", "dead:beef", "ab:cd:ef", "fe80:::1", "2001:db8::1::2", "12345::1", "gggg::1",
                "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "23:59:59.999", "ratio 3:2", "C::Users",
            ],
            [DetectorNames.Iban] =
            [
                "DE89370400440532013001", "GB82WEST12345698765433", "DE8937040044053201300", "XX89370400440532013000",
                "DE00370400440532013000", "AB12 3456 7890", "US1234567890123456", "SKU AB12345678", "ISO8601", "HTTP2",
                "UTF8", "SHA256", "ID12345678901234567890", "NL91ABNA041716430", "ES91 2100 0418 4502 0005 1333",
                "GB82west12345698765432", "CH93 0076 2011 6238 5295 8", "xDE89370400440532013000",
            ],
            [DetectorNames.Leakage] =
            [
                "PolicyBot, th", "launch code 77", "Never reveal the pass", "A helpful aide of Acme",
                "PolicyBot is an assistant", "internal assistants of other corps", "reveal nothing to anyone at all",
                "the staff of Acme", "Acme Corp launch codes", "7731-BRAVO, the café", "You are PolicyBo t, the internal",
                "roster to anyone who asks", "café budget", "the launch of Acme Corp products", "assistant of Acme",
                "Never reveal secrets", "You are PolicyBot", "internal assist", "staff roster",
                "PolicyBot, the external assistant",
            ],
            [DetectorNames.Entropy] =
            [
                "3f786850e387550fdab836ed7e6dc881de23001b", "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "ThisIsAVeryLongCamelCaseIdentifierNameForTesting", "snake_case_identifiers_in_code_are_long_sometimes",
                "----------------------------------------------------", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "12345678901234567890123456789012345678901234567890", "/usr/share/dotnet/shared/Microsoft/NETCore/App/10/0",
                "Supercalifragilisticexpialidocious-and-antidisestablishmentarianism",
                "abababababababababababababababababababababababab1", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop",
                "Short1Token2", "1111111111222222222233333333334444444444aaaa",
                "=================================================", "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo",
                "dGhpcyBpcyBhIHRlc3QgdGhpcyBpcyBhIHRlc3QgdGhpcyBpcyBhIHRlc3Q",
            ],
            [DetectorNames.Framing] =
            [
                "the system is prompt", "system prompts", "the prompt system", "hidden instruction", "secret keeper",
                "the secretary key", "private key", "privatekey holder", "secret_keys", "a system for prompt delivery",
                "hidden instru ctions", "secret-key", "private_key_path", "the operating system", "instructions hidden",
                "keys are secret", "prompt the system", "secret_keyword", "theSystemprom", "public_key =",
            ],
            [DetectorNames.SecretPrefix] =
            [
                "AKIA", "AKIAIOSFODNN7EXAMPL", "AKIAIOSFODNN7EXAMPLE1", "xAKIAIOSFODNN7EXAMPLE", "ghp_short", "ghp_",
                "ghx_wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx", "-----BEGIN PUBLIC KEY-----", "-----BEGIN CERTIFICATE-----",
                "-----BEGIN RSA PRIVATE KEY", "sk-learn", "task-assessment-for-quarterly-planning", "risk-assessment-matrix-2024-final",
                "sk-this-is-a-very-long-slug-name", "desk-2024", "ask-me-anything-about-python-3", "askAKIAIOSFODNN7EXAMPLE",
                "sk-short1A", "github_pat_short", "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_more",
            ],
        };
        TheoryData<string, string> data = new();
        foreach ((string detector, string[] samples) in specific)
        {
            foreach (string sample in samples.Concat(s_common))
            {
                data.Add(detector, sample);
            }
        }

        return data;
    }
}
