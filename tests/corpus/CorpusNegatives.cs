using System.Text;

namespace PolicyGate.Tests.Corpus;

/// <summary>Hard negatives built to tempt each detector, and clean prose and JSON; none of them holds a label.</summary>
internal static class CorpusNegatives
{
    /// <summary>Documents per hard-negative class.</summary>
    private const int PerClass = 10;

    private delegate string Sample(Random random, CorpusLanguage lang);

    public static IEnumerable<CorpusDocument> HardNegatives(Random random, int firstId)
    {
        int id = firstId;
        foreach ((string target, string @class, string key, Sample sample) in Classes())
        {
            for (int k = 0; k < PerClass; k++)
            {
                CorpusLanguage lang = CorpusLanguage.All[(k + id) % CorpusLanguage.All.Count];
                string text = sample(random, lang);
                string format = "raw";
                if (key.Length > 0)
                {
                    format = CorpusFormats.All[random.Next(CorpusFormats.All.Length)];
                    CorpusWriter w = new();
                    CorpusFormats.Render(w, random, format, lang, key, CorpusFormats.Pick(random, lang.NeutralLeads), (writer, escape) => writer.Text(escape(text)));
                    text = w.ToString();
                }

                yield return new CorpusDocument($"neg-{id++:0000}", CorpusKind.HardNegative, target, format, lang.Code, false, @class, text, []);
            }
        }
    }

    public static IEnumerable<CorpusDocument> Clean(Random random, int firstId)
    {
        int id = firstId;
        for (int k = 0; k < 300; k++)
        {
            CorpusLanguage lang = CorpusLanguage.All[k % CorpusLanguage.All.Count];
            bool json = k % 2 == 1;
            string text = json ? CleanJson(random, lang) : CleanProse(random, lang);
            yield return new CorpusDocument($"clean-{id++:0000}", CorpusKind.Clean, "", json ? "json" : "prose", lang.Code, false, json ? "json" : "prose", text, []);
        }
    }

    private static string CleanProse(Random random, CorpusLanguage lang)
    {
        StringBuilder text = new();
        int paragraphs = random.Next(1, 4);
        for (int p = 0; p < paragraphs; p++)
        {
            for (int s = random.Next(3, 7); s > 0; s--)
            {
                text.Append(CorpusFormats.Pick(random, lang.Sentences)).Append(' ');
            }

            text.Append("\n\n");
        }

        return text.ToString();
    }

    private static string CleanJson(Random random, CorpusLanguage lang)
    {
        StringBuilder json = new("{\"items\": [");
        int count = random.Next(2, 6);
        for (int i = 0; i < count; i++)
        {
            json.Append(i > 0 ? ", " : "")
                .Append($"{{\"id\": {random.Next(1, 999999)}, \"sku\": \"NW-{random.Next(100, 999)}-{(char)('A' + random.Next(26))}\", ")
                .Append($"\"price\": {random.Next(1, 900)}.{random.Next(0, 100):00}, \"qty\": {random.Next(0, 50)}, ")
                .Append($"\"updated\": \"2025-{random.Next(1, 13):00}-{random.Next(1, 29):00}T{random.Next(0, 24):00}:{random.Next(0, 60):00}:00Z\", ")
                .Append($"\"city\": \"{CorpusFormats.Pick(random, lang.Cities)}\", \"text\": \"{CorpusFormats.Json(CorpusFormats.Pick(random, lang.Sentences))}\"}}");
        }

        return json.Append($"], \"page\": {random.Next(1, 40)}, \"version\": \"{random.Next(1, 9)}.{random.Next(0, 20)}.{random.Next(0, 30)}\"}}\n").ToString();
    }

    private static IEnumerable<(string Target, string Class, string Key, Sample Sample)> Classes()
    {
        // credit_card
        yield return ("credit_card", "luhn-invalid", "ref", static (r, _) => CorpusValues.Group(CorpusValues.Luhn(r, CorpusFormats.Pick(r, new[] { "4", "51", "37", "6011", "3528" }), 16, valid: false), [4, 4, 4, 4], " "));
        yield return ("credit_card", "order-number", "order_id", static (r, _) => $"{r.Next(7, 10)}{CorpusValues.Luhn(r, "", 15)}");
        yield return ("credit_card", "tracking-id", "tracking", static (r, _) => r.Next(2) == 0 ? $"1Z{r.Next(100, 999)}AA1{r.Next(10000000, 99999999)}" : $"9400 1{r.Next(100, 999)} {r.Next(1000, 9999)} {r.Next(1000, 9999)} {r.Next(1000, 9999)} {r.Next(10, 99)}");
        yield return ("credit_card", "isbn", "isbn", static (r, _) => Isbn(r));
        yield return ("credit_card", "imei", "imei", static (r, _) => CorpusValues.Luhn(r, CorpusFormats.Pick(r, new[] { "35", "86", "01" }), 15));
        yield return ("credit_card", "ean-13", "ean", static (r, _) => Ean13(r));
        yield return ("credit_card", "timestamp-ms", "ts", static (r, _) => $"{r.NextInt64(1_600_000_000_000, 1_800_000_000_000)}");

        // us_ssn
        yield return ("us_ssn", "invalid-area", "ref", static (r, _) => $"{CorpusFormats.Pick(r, new[] { "000", "666", $"{r.Next(900, 1000)}" })}-{r.Next(10, 99)}-{r.Next(1000, 9999)}");
        yield return ("us_ssn", "zero-group-or-serial", "ref", static (r, _) => r.Next(2) == 0 ? $"{r.Next(100, 665)}-00-{r.Next(1000, 9999)}" : $"{r.Next(100, 665)}-{r.Next(10, 99)}-0000");
        yield return ("us_ssn", "nine-digits-unlabelled", "", static (r, l) => $"{CorpusFormats.Pick(r, l.Sentences)} Order {r.Next(100_000_000, 899_999_999)} shipped.");
        yield return ("us_ssn", "zip-plus-4", "zip", static (r, _) => $"{r.Next(10000, 99999)}-{r.Next(1000, 9999)}");
        yield return ("us_ssn", "routing-number", "", static (r, _) => $"ABA routing {r.Next(10_000_000, 99_999_999)}{r.Next(0, 10)} for the account.");

        // email
        yield return ("email", "mention-or-decorator", "", static (r, _) => CorpusFormats.Pick(r, new[] { "Thanks @maria_dev for the review!", "@Override\npublic String toString()", "@app.route('/health')", "cc @team-frontend" }));
        yield return ("email", "package-scope-or-pin", "dependency", static (r, _) => CorpusFormats.Pick(r, new[] { $"@babel/core@7.{r.Next(10, 30)}.{r.Next(0, 9)}", $"lodash@4.17.{r.Next(10, 30)}", "npm i @types/node", $"react-dom@18.{r.Next(0, 3)}.0" }));
        yield return ("email", "retina-asset", "image", static (r, _) => $"/static/img/logo@{r.Next(2, 4)}x.{CorpusFormats.Pick(r, new[] { "png", "jpg", "webp", "svg" })}");
        yield return ("email", "css-at-rule", "", static (r, _) => $"@media (max-width: {r.Next(300, 1200)}px) {{ .card {{ padding: 4px; }} }}\n@import url(\"theme.css\");");
        yield return ("email", "no-tld-or-localhost", "user", static (r, _) => CorpusFormats.Pick(r, new[] { "admin@localhost", "root@buildhost", "user@example.", "a..b@example.com", $"price {r.Next(2, 9)} @ {r.Next(1, 9)}.50 EUR" }));

        // phone
        yield return ("phone", "order-or-invoice", "", static (r, l) => $"{CorpusFormats.Pick(r, l.Sentences)} Ref. {r.Next(2020, 2026)}/{r.Next(10000, 99999)} - Auftrag {r.Next(1000000, 9999999)}.");
        yield return ("phone", "dates-and-times", "", static (r, l) => $"{CorpusFormats.Pick(r, l.Sentences)} {r.Next(1, 28):00}.{r.Next(1, 12):00}.{r.Next(2020, 2026)} {r.Next(0, 23):00}:{r.Next(0, 59):00} - {r.Next(2020, 2026)}-{r.Next(1, 12):00}-{r.Next(1, 28):00}");
        yield return ("phone", "amounts", "", static (r, l) => $"{CorpusFormats.Pick(r, l.Sentences)} Total: {r.Next(1, 999)}.{r.Next(100, 999)},{r.Next(10, 99)} EUR, {r.Next(1, 9)} {r.Next(100, 999)} {r.Next(100, 999)} visitors, ${r.Next(1, 999)},{r.Next(100, 999)}.{r.Next(10, 99)}");
        yield return ("phone", "postal-and-coordinates", "", static (r, l) => $"{r.Next(10000, 99999)} {CorpusFormats.Pick(r, l.Cities)}, {r.Next(30, 60)}.{r.Next(1000, 9999)}, {r.Next(1, 20)}.{r.Next(1000, 9999)}");
        yield return ("phone", "isbn-or-tracking", "", static (r, _) => $"ISBN {Isbn(r)} - tracking JJD{r.Next(10000000, 99999999)}{r.Next(1000000, 9999999)}");
        yield return ("phone", "unix-timestamp", "ts", static (r, _) => $"{r.Next(1_600_000_000, 1_800_000_000)}");

        // ipv4
        yield return ("ipv4", "version-string", "", static (r, l) => Version(r, l));
        yield return ("ipv4", "version-key", "", static (r, _) => CorpusFormats.Pick(r, new[] { "{{\"name\": \"agent\", \"version\": \"{0}\"}}", "app_version: {0}\n", "BUILD={0}\n", "X-App-Version: {0}\r\n" }).Replace("{0}", $"{r.Next(1, 20)}.{r.Next(0, 20)}.{r.Next(0, 200)}.{r.Next(0, 250)}", StringComparison.Ordinal).Replace("{{", "{", StringComparison.Ordinal).Replace("}}", "}", StringComparison.Ordinal));
        yield return ("ipv4", "oid", "oid", static (r, _) => $"1.3.6.1.4.1.{r.Next(100, 60000)}.{r.Next(1, 30)}.{r.Next(1, 9)}");
        yield return ("ipv4", "out-of-range", "ref", static (r, _) => $"{r.Next(256, 999)}.{r.Next(0, 255)}.{r.Next(0, 255)}.{r.Next(0, 255)}");
        yield return ("ipv4", "dotted-date", "date", static (r, _) => $"{r.Next(1, 28):00}.{r.Next(1, 12):00}.{r.Next(2020, 2026)}");

        // ipv6
        yield return ("ipv6", "code-paths", "", static (r, _) => CorpusFormats.Pick(r, new[] { "std::vector<int> v; std::map<a, b> m;", "use serde::Deserialize;\nuse crate::config::Settings;", "Data::Dumper->Dump([$ref]);", "a::before { content: ''; } a::after { }", "Foo::Bar::baz()" }));
        yield return ("ipv6", "mac-address", "mac", static (r, _) => string.Join(':', Enumerable.Range(0, 6).Select(_ => r.Next(0, 256).ToString("X2"))));
        yield return ("ipv6", "times-and-ratios", "", static (r, _) => $"{r.Next(0, 23):00}:{r.Next(0, 59):00}:{r.Next(0, 59):00}.{r.Next(100, 999)} ratio {r.Next(1, 21)}:{r.Next(1, 10)} at 12:30:45");
        yield return ("ipv6", "hex-pairs", "", static (r, _) => $"MD5 fingerprint {string.Join(':', Enumerable.Range(0, 16).Select(_ => r.Next(0, 256).ToString("x2")))}");

        // iban
        yield return ("iban", "bad-check-digits", "iban", static (r, _) => BadIban(r, wrongCheck: true));
        yield return ("iban", "wrong-length", "iban", static (r, _) => BadIban(r, wrongCheck: false));
        yield return ("iban", "unknown-country", "ref", static (r, _) => $"{CorpusFormats.Pick(r, new[] { "XX", "US", "ZZ", "QQ" })}{r.Next(10, 99)}{r.NextInt64(1_000_000_000_000_000, 9_000_000_000_000_000)}");
        yield return ("iban", "sku-and-codes", "sku", static (r, _) => $"{CorpusFormats.Pick(r, new[] { "DE", "FR", "AB" })}-{r.Next(1000, 9999)}-{r.Next(2020, 2026)} ISO8601 SHA256 HTTP2");

        // leakage
        yield return ("leakage", "near-miss", "", static (r, l) => NearMiss(r, l));

        // entropy
        yield return ("entropy", "lockfile-npm", "", static (r, _) => NpmLock(r));
        yield return ("entropy", "lockfile-yarn-pnpm", "", static (r, _) => YarnLock(r));
        yield return ("entropy", "lockfile-cargo-go-poetry", "", static (r, _) => OtherLocks(r));
        yield return ("entropy", "changelog-commits", "", static (r, _) => Changelog(r));
        yield return ("entropy", "base64-image", "", static (r, _) => $"<img alt=\"logo\" src=\"data:image/{CorpusFormats.Pick(r, new[] { "png", "jpeg", "webp" })};base64,{CorpusValues.RandomBase64(r, r.Next(150, 400))}\">");
        yield return ("entropy", "minified-js", "", static (r, _) => MinifiedJs(r));
        yield return ("entropy", "uuids-and-paths", "", static (r, _) => $"{Uuid(r)}\n/srv/apps/northwind/releases/2025-11-{r.Next(10, 28)}/public/assets/application-bundle.min.js\n{Uuid(r)} ThisIsAVeryLongCamelCaseIdentifierNameForTesting");
        yield return ("entropy", "container-digest", "image", static (r, _) => $"registry.example/northwind/api@sha256:{CorpusValues.RandomHex(r, 32)}");

        // framing
        yield return ("framing", "near-phrases", "", static (r, l) => NearFraming(r, l));
    }

    private static Guid Uuid(Random random)
    {
        byte[] bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    private static string Isbn(Random random)
    {
        string body = "978" + random.Next(0, 10) + random.Next(10000, 99999) + random.Next(1000, 9999);
        int sum = 0;
        for (int i = 0; i < 12; i++)
        {
            sum += (body[i] - '0') * (i % 2 == 0 ? 1 : 3);
        }

        string isbn = body + ((10 - (sum % 10)) % 10);
        return $"{isbn[..3]}-{isbn[3]}-{isbn[4..9]}-{isbn[9..12]}-{isbn[12]}";
    }

    private static string Ean13(Random random)
    {
        string body = random.Next(400, 440).ToString() + random.Next(100000000, 999999999);
        int sum = 0;
        for (int i = 0; i < 12; i++)
        {
            sum += (body[i] - '0') * (i % 2 == 0 ? 1 : 3);
        }

        return body + ((10 - (sum % 10)) % 10);
    }

    private static string Version(Random random, CorpusLanguage lang)
    {
        string v = $"{random.Next(1, 20)}.{random.Next(0, 20)}.{random.Next(0, 250)}.{random.Next(0, 250)}";
        string word = lang.Code switch
        {
            "de" => CorpusFormats.Pick(random, new[] { "Version", "Build", "Firmware-Version" }),
            "fr" => CorpusFormats.Pick(random, new[] { "version", "Build", "micrologiciel" }),
            "es" => CorpusFormats.Pick(random, new[] { "versión", "Build", "compilación" }),
            "it" => CorpusFormats.Pick(random, new[] { "versione", "Build", "release" }),
            _ => CorpusFormats.Pick(random, new[] { "version", "Build", "firmware", "Version:", "release" }),
        };
        return $"{CorpusFormats.Pick(random, lang.Sentences)} {word} {v} (Windows 10.0.{random.Next(17000, 22631)}.{random.Next(1, 4000)}, v{random.Next(1, 12)}.{random.Next(0, 9)}.{random.Next(0, 9)}.{random.Next(0, 99)})";
    }

    private static string BadIban(Random random, bool wrongCheck)
    {
        (string iban, _) = CorpusValues.Iban(random);
        string compact = iban.Replace(" ", "", StringComparison.Ordinal);
        if (wrongCheck)
        {
            int check = int.Parse(compact[2..4]);
            return compact[..2] + (((check + 1 + random.Next(90)) % 97) + 2).ToString("00") + compact[4..];
        }

        return random.Next(2) == 0 ? compact[..^1] : compact + random.Next(0, 10);
    }

    private static string NearMiss(Random random, CorpusLanguage lang) => lang.Code switch
    {
        "de" => "Der Lotse im Hafen kennt die Partnerbetriebe. Reisen in den Norden sind beliebt, Rabatte gibt es selten.",
        "fr" => "Le phare guide les bateaux. Un assistant de voyage aide les clients, et les remises restent rares.",
        "es" => "El faro guía a los barcos. Un asistente para viajes ayuda a los socios, y los descuentos son escasos.",
        "it" => "Il faro guida le navi. Un assistente di viaggio aiuta i clienti e gli sconti sono rari.",
        _ => CorpusFormats.Pick(random, new[] { "The harbor was busy. Our travel desk helps partners, and rebates are rare.", "Northwind offers tours; the blue sky made the staff happy." }),
    };

    private static string NearFraming(Random random, CorpusLanguage lang) => lang.Code switch
    {
        "de" => "Das Betriebssystem startet neu. Die Anweisungen stehen im Handbuch, der Schlüsselbund liegt im Büro.",
        "fr" => "Le système d'exploitation redémarre. Les instructions sont dans le manuel et la clé USB est au bureau.",
        "es" => "El sistema operativo se reinicia. Las instrucciones están en el manual y la clave del wifi en la oficina.",
        "it" => "Il sistema operativo si riavvia. Le istruzioni sono nel manuale e la chiave è in ufficio.",
        _ => CorpusFormats.Pick(random, new[] { "The operating system prompts for a password; the instructions are hidden in the appendix.", "The secret keeper kept a private key ring and a public_key = none.", "Our prompt delivery system is a secretary key feature." }),
    };

    private static string NpmLock(Random random)
    {
        StringBuilder json = new("{\n  \"name\": \"northwind-web\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n");
        for (int i = 0; i < 3; i++)
        {
            string name = CorpusFormats.Pick(random, new[] { "lodash", "react", "chalk", "semver", "debug", "ms" }) + i;
            json.Append($"    \"node_modules/{name}\": {{\n      \"version\": \"{random.Next(1, 9)}.{random.Next(0, 20)}.{random.Next(0, 20)}\",\n")
                .Append($"      \"resolved\": \"https://registry.npmjs.org/{name}/-/{name}-1.{random.Next(0, 9)}.0.tgz\",\n")
                .Append($"      \"integrity\": \"sha512-{CorpusValues.RandomBase64(random, 64)}\"\n    }},\n");
        }

        return json.Append("  }\n}\n").ToString();
    }

    private static string YarnLock(Random random)
    {
        StringBuilder text = new("# yarn lockfile v1\n\n");
        for (int i = 0; i < 3; i++)
        {
            string name = CorpusFormats.Pick(random, new[] { "left-pad", "kleur", "picocolors", "nanoid" }) + i;
            text.Append($"{name}@^1.0.0:\n  version \"1.{random.Next(0, 9)}.{random.Next(0, 9)}\"\n")
                .Append($"  resolved \"https://registry.yarnpkg.com/{name}/-/{name}-1.0.0.tgz#{CorpusValues.RandomHex(random, 20)}\"\n")
                .Append($"  integrity sha512-{CorpusValues.RandomBase64(random, 64)}\n\n");
        }

        return text.Append($"/{CorpusFormats.Pick(random, new[] { "zod", "vite" })}@3.22.4:\n    resolution: {{integrity: sha512-{CorpusValues.RandomBase64(random, 64)}}}\n").ToString();
    }

    private static string OtherLocks(Random random) => random.Next(4) switch
    {
        0 => $"[[package]]\nname = \"serde\"\nversion = \"1.0.{random.Next(100, 200)}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"{CorpusValues.RandomHex(random, 32)}\"\n",
        1 => $"golang.org/x/text v0.{random.Next(1, 20)}.0 h1:{CorpusValues.RandomBase64(random, 32)}\ngolang.org/x/text v0.14.0/go.mod h1:{CorpusValues.RandomBase64(random, 32)}\n",
        2 => $"[[package]]\nname = \"requests\"\nversion = \"2.31.0\"\nfiles = [\n    {{file = \"requests-2.31.0-py3-none-any.whl\", hash = \"sha256:{CorpusValues.RandomHex(random, 32)}\"}},\n]\n",
        _ => $"{{\"name\": \"monolog/monolog\", \"source\": {{\"type\": \"git\", \"reference\": \"{CorpusValues.RandomHex(random, 20)}\"}}, \"dist\": {{\"shasum\": \"{CorpusValues.RandomHex(random, 20)}\"}}}}\n",
    };

    private static string Changelog(Random random)
    {
        StringBuilder text = new("## 2.4.0 (2025-10-02)\n\n");
        for (int i = 0; i < 3; i++)
        {
            string sha = CorpusValues.RandomHex(random, 20);
            text.Append(random.Next(2) == 0
                ? $"- Fix the retry loop ([{sha[..7]}](https://github.com/northwind/app/commit/{sha}))\n"
                : $"commit {sha}\nAuthor: Dev Team\n\n    Tidy the build\n\n");
        }

        return text.ToString();
    }

    private static string MinifiedJs(Random random)
    {
        StringBuilder js = new("!function(e,t){\"use strict\";");
        for (int i = 0; i < 12; i++)
        {
            string a = ((char)('a' + random.Next(26))).ToString();
            string b = ((char)('a' + random.Next(26))).ToString();
            js.Append($"var {a}{i}=function({b},n){{return {b}&&{b}.nodeType===1?{b}.getAttribute(\"data-{a}\"):n.slice({random.Next(0, 9)})}},")
                .Append($"_0x{random.Next(0x1000, 0xffff):x}=[\"querySelectorAll\",\"addEventListener\",\"preventDefault\"];");
        }

        return js.Append("}(window,document);\n").ToString();
    }
}
