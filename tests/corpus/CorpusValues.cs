using System.Net;
using System.Text;
using PhoneNumbers;

namespace PolicyGate.Tests.Corpus;

/// <summary>Seeded generators of labelled values, one per detector; each returns the value as written and its class.</summary>
internal static class CorpusValues
{
    private static readonly PhoneNumberUtil s_phones = PhoneNumberUtil.GetInstance();

    private static readonly (string Name, string[] Prefixes, int Length)[] s_cardNetworks =
    [
        ("visa", ["4"], 16), ("visa13", ["4"], 13), ("mastercard", ["51", "52", "53", "54", "55"], 16), ("mastercard2", ["2221", "2500", "2720"], 16),
        ("amex", ["34", "37"], 15), ("discover", ["6011", "65", "644"], 16), ("jcb", ["3528", "3566", "3589"], 16),
        ("diners", ["36", "38", "300", "305"], 14), ("unionpay", ["62"], 16), ("unionpay19", ["62"], 19),
        ("maestro", ["6759", "5018", "6304"], 16), ("mir", ["2200", "2204"], 16),
    ];

    private static readonly (string Country, string Pattern)[] s_ibanCountries =
    [
        ("DE", "18n"), ("FR", "10n11c2n"), ("ES", "20n"), ("IT", "1a10n12c"), ("NL", "4a10n"), ("BE", "12n"), ("CH", "5n12c"),
        ("AT", "16n"), ("GB", "4a14n"), ("PL", "24n"), ("PT", "21n"), ("IE", "4a14n"), ("LU", "3n13c"), ("SE", "20n"), ("DK", "14n"), ("FI", "14n"), ("NO", "11n"),
    ];

    public static (string Value, string Class) CreditCard(Random random, bool context)
    {
        // 13-digit Visa numbers are no longer issued and share their shape with EAN-13 barcodes: they count only next to a card word.
        (string network, string[] prefixes, int length) = CorpusFormats.Pick(random, s_cardNetworks.Where(n => context || n.Name != "visa13").ToArray());
        string digits = Luhn(random, CorpusFormats.Pick(random, prefixes), length);
        int style = random.Next(context ? 4 : 3);
        string value = style switch
        {
            0 => digits,
            1 => Group(digits, network == "amex" ? [4, 6, 5] : network == "diners" ? [4, 6, 4] : [4, 4, 4, 4, 3], " "),
            2 => Group(digits, network == "amex" ? [4, 6, 5] : [4, 4, 4, 4, 3], "-"),
            _ => Group(digits, [4, 4, 4, 4, 3], " "),
        };
        return (value, $"{network}/{(style == 0 ? "plain" : style == 2 ? "dashed" : "spaced")}");
    }

    /// <summary>A number of <paramref name="length"/> digits starting with <paramref name="prefix"/> whose Luhn checksum is valid (or invalid when asked).</summary>
    public static string Luhn(Random random, string prefix, int length, bool valid = true)
    {
        StringBuilder digits = new(prefix);
        while (digits.Length < length - 1)
        {
            digits.Append((char)('0' + random.Next(10)));
        }

        int sum = 0;
        for (int i = digits.Length - 1, k = 0; i >= 0; i--, k++)
        {
            int d = digits[i] - '0';
            if (k % 2 == 0)
            {
                d = d * 2 > 9 ? (d * 2) - 9 : d * 2;
            }

            sum += d;
        }

        int check = (10 - (sum % 10)) % 10;
        return digits.Append((char)('0' + (valid ? check : (check + 1 + random.Next(9)) % 10))).ToString();
    }

    public static (string Value, string Class) Ssn(Random random, bool context)
    {
        int area;
        do
        {
            area = random.Next(1, 900);
        }
        while (area == 666);

        string digits = $"{area:000}{random.Next(1, 100):00}{random.Next(1, 10000):0000}";
        int style = random.Next(context ? 3 : 2);
        return style switch
        {
            0 => ($"{digits[..3]}-{digits[3..5]}-{digits[5..]}", "dashed"),
            1 => ($"{digits[..3]} {digits[3..5]} {digits[5..]}", "spaced"),
            _ => (digits, "plain-9-with-label"),
        };
    }

    public static (string Value, string Class) Email(Random random, CorpusLanguage lang)
    {
        string[] name = CorpusFormats.Pick(random, lang.Names).Split(' ');
        bool idn = random.Next(6) == 0;
        string first = idn ? name[0].ToLowerInvariant() : Ascii(name[0]).ToLowerInvariant();
        string last = idn ? name[1].ToLowerInvariant() : Ascii(name[1]).ToLowerInvariant();
        string local = random.Next(5) switch
        {
            0 => $"{first}.{last}",
            1 => $"{first[0]}.{last}",
            2 => $"{first}_{last}{random.Next(1, 99)}",
            3 => $"{first}+{CorpusFormats.Pick(random, new[] { "news", "shop", "travel" })}",
            _ => $"{last}{random.Next(1950, 2005)}",
        };
        string[] domains = lang.Code switch
        {
            "de" => ["beispiel.de", "nordwind-reisen.de", "mail.firma.com", "müller-bau.de", "post.example.berlin"],
            "fr" => ["exemple.fr", "vent-du-nord.fr", "courrier.example.com", "café-lyon.fr", "mail.example.paris"],
            "es" => ["ejemplo.es", "viento-norte.es", "correo.example.com", "peña-andaluza.es", "mail.example.com.mx"],
            "it" => ["esempio.it", "vento-del-nord.it", "posta.example.com", "caffè-roma.it", "mail.example.eu"],
            _ => ["example.com", "northwind-tours.co.uk", "mail.example.org", "xn--bcher-kva.example", "corp.example.io"],
        };
        string domain = CorpusFormats.Pick(random, domains);
        string value = $"{local}@{domain}";
        if (random.Next(10) == 0)
        {
            value = value.ToUpperInvariant();
        }

        return (value, value.Any(c => c > 0x7F) ? "internationalised" : domain.StartsWith("xn--", StringComparison.Ordinal) ? "punycode" : "ascii");
    }

    /// <summary>A valid number of one of the language's regions, written as that region does (national/international) or, with context, more loosely.</summary>
    public static (string Value, string Class) Phone(Random random, CorpusLanguage lang, bool context)
    {
        string region = CorpusFormats.Pick(random, lang.PhoneRegions);
        PhoneNumber number = RandomNumber(random, region);
        string national = s_phones.Format(number, PhoneNumberFormat.NATIONAL);
        string international = s_phones.Format(number, PhoneNumberFormat.INTERNATIONAL);
        int style = random.Next(context ? 6 : 3);
        return style switch
        {
            0 => (national, $"{region}/national"),
            1 => (international, $"{region}/international"),
            2 => (s_phones.Format(number, PhoneNumberFormat.E164), $"{region}/e164"),
            3 => (new string(national.Where(char.IsAsciiDigit).ToArray()), $"{region}/national-unspaced"),
            4 => (Regroup(random, new string(national.Where(char.IsAsciiDigit).ToArray())), $"{region}/national-regrouped"),
            _ => ("00" + international[1..], $"{region}/idd-00"),
        };
    }

    public static PhoneNumber RandomNumber(Random random, string region)
    {
        PhoneNumberType type = random.Next(2) == 0 ? PhoneNumberType.MOBILE : PhoneNumberType.FIXED_LINE;
        PhoneNumber example = s_phones.GetExampleNumberForType(region, type);
        string significant = s_phones.GetNationalSignificantNumber(example);
        for (int attempt = 0; attempt < 200; attempt++)
        {
            char[] digits = significant.ToCharArray();
            for (int i = Math.Max(3, digits.Length - 5); i < digits.Length; i++)
            {
                digits[i] = (char)('0' + random.Next(10));
            }

            PhoneNumber candidate = s_phones.Parse(new string(digits), region);
            if (s_phones.IsValidNumber(candidate))
            {
                return candidate;
            }
        }

        return example;
    }

    /// <summary>The digits regrouped in pairs after a 3- or 4-digit area part, joined by spaces, slashes or dashes.</summary>
    private static string Regroup(Random random, string digits)
    {
        int head = digits.Length >= 10 ? 4 : 3;
        // The slash notation ("030/90 18 20") belongs to trunk-prefixed area codes.
        string separator = CorpusFormats.Pick(random, digits[0] == '0' ? new[] { " ", "/", "-" } : new[] { " ", "-" });
        StringBuilder builder = new(digits[..head]);
        builder.Append(separator == "/" ? "/" : " ");
        for (int i = head; i < digits.Length; i += 2)
        {
            builder.Append(digits.AsSpan(i, Math.Min(2, digits.Length - i)));
            if (i + 2 < digits.Length)
            {
                builder.Append(separator == "/" ? " " : separator);
            }
        }

        return builder.ToString();
    }

    public static (string Value, string Class) Ipv4(Random random)
    {
        string address = $"{random.Next(1, 224)}.{random.Next(0, 256)}.{random.Next(0, 256)}.{random.Next(1, 255)}";
        return random.Next(4) switch
        {
            0 => (address + ":" + random.Next(1024, 65535), "with-port"),
            1 => (address + "/" + random.Next(8, 33), "cidr"),
            _ => (address, "plain"),
        };
    }

    public static (string Value, string Class) Ipv6(Random random)
    {
        byte[] bytes = new byte[16];
        random.NextBytes(bytes);
        for (int i = 4; i < 12; i++)
        {
            if (random.Next(3) == 0)
            {
                bytes[i] = 0;
            }
        }

        bytes[0] = 0x20;
        bytes[1] = (byte)random.Next(1, 16);
        ushort[] groups = Enumerable.Range(0, 8).Select(i => (ushort)((bytes[2 * i] << 8) | bytes[(2 * i) + 1])).ToArray();
        string v4 = $"{random.Next(1, 224)}.{random.Next(0, 256)}.{random.Next(0, 256)}.{random.Next(1, 255)}";
        string hex1 = random.Next(1, 0xffff).ToString("x");
        string hex2 = random.Next(1, 0xffff).ToString("x");
        int form = random.Next(11);
        return form switch
        {
            0 => (string.Join(':', groups.Select(g => g.ToString("x4"))), "full"),
            1 => (string.Join(':', groups.Select(g => g.ToString("x"))), "full-stripped"),
            2 => ($"{groups[0]:x}:{groups[1]:x}:{hex1}::{hex2}:{groups[7]:x}", "compressed-middle"),
            3 => ($"{groups[0]:x}:{groups[1]:x}:{hex1}::", "compressed-end"),
            4 => ($"::{hex1}:{hex2}", "compressed-start"),
            5 => ($"fe80::{hex1}:{hex2}:{groups[6]:x}:{groups[7]:x}%{CorpusFormats.Pick(random, new[] { "eth0", "en0", "wlan1", "3" })}", "link-local-zone"),
            6 => ($"::ffff:{v4}", "ipv4-mapped"),
            7 => ($"64:ff9b::{v4}", "ipv4-embedded"),
            8 => (new IPAddress(bytes).ToString().ToUpperInvariant(), "compressed-upper"),
            9 => ($"[{new IPAddress(bytes)}]:{random.Next(1024, 65535)}", "bracketed-port"),
            _ => (new IPAddress(bytes).ToString(), "compressed"),
        };
    }

    public static (string Value, string Class) Iban(Random random)
    {
        (string country, string pattern) = CorpusFormats.Pick(random, s_ibanCountries);
        StringBuilder bban = new();
        for (int i = 0; i < pattern.Length;)
        {
            int j = i;
            while (char.IsAsciiDigit(pattern[j]))
            {
                j++;
            }

            int count = int.Parse(pattern[i..j]);
            for (int k = 0; k < count; k++)
            {
                bban.Append(pattern[j] switch
                {
                    'n' => (char)('0' + random.Next(10)),
                    'a' => (char)('A' + random.Next(26)),
                    _ => random.Next(3) == 0 ? (char)('A' + random.Next(26)) : (char)('0' + random.Next(10)),
                });
            }

            i = j + 1;
        }

        string iban = country + Mod97Check(country, bban.ToString()) + bban;
        bool grouped = random.Next(2) == 0;
        return (grouped ? Group(iban, Enumerable.Repeat(4, 9).ToArray(), " ") : iban, $"{country}/{(grouped ? "grouped" : "compact")}");
    }

    public static string Mod97Check(string country, string bban)
    {
        string rearranged = bban + country + "00";
        int remainder = 0;
        foreach (char c in rearranged)
        {
            string part = char.IsAsciiDigit(c) ? c.ToString() : (c - 'A' + 10).ToString();
            foreach (char d in part)
            {
                remainder = ((remainder * 10) + (d - '0')) % 97;
            }
        }

        return (98 - remainder).ToString("00");
    }

    /// <summary>Random key material: base64 (40-64 chars) or hex (40 only when a key name stands next to it).</summary>
    public static (string Value, string Class) Secret(Random random, bool keyed)
    {
        int kind = random.Next(keyed ? 4 : 3);
        switch (kind)
        {
            case 0:
                return (RandomBase64(random, random.Next(30, 49)), "base64");
            case 1:
                return (RandomBase64(random, 32).Replace('+', '-').Replace('/', '_').TrimEnd('='), "base64url");
            case 2:
                return (RandomHex(random, random.Next(2) == 0 ? 32 : 24), "hex-64/48");
            default:
                return (RandomHex(random, 20), "hex-40-keyed");
        }
    }

    public static string RandomHex(Random random, int bytes)
    {
        byte[] data = new byte[bytes];
        random.NextBytes(data);
        return Convert.ToHexString(data).ToLowerInvariant();
    }

    public static string RandomBase64(Random random, int bytes)
    {
        while (true)
        {
            byte[] data = new byte[bytes];
            random.NextBytes(data);
            string text = Convert.ToBase64String(data);
            if (text.Any(char.IsAsciiLetterUpper) && text.Any(char.IsAsciiLetterLower) && text.Any(char.IsAsciiDigit))
            {
                return text;
            }
        }
    }

    public static string Group(string text, int[] sizes, string separator)
    {
        StringBuilder builder = new();
        int at = 0;
        foreach (int size in sizes)
        {
            if (at >= text.Length)
            {
                break;
            }

            if (at > 0)
            {
                builder.Append(separator);
            }

            builder.Append(text.AsSpan(at, Math.Min(size, text.Length - at)));
            at += size;
        }

        if (at < text.Length)
        {
            builder.Append(separator).Append(text.AsSpan(at));
        }

        return builder.ToString();
    }

    private static string Ascii(string name) => new(name.Normalize(NormalizationForm.FormD).Where(c => c < 0x80).ToArray());
}
