namespace PolicyGate.Tests.Corpus;

/// <summary>
/// The labelled detection corpus: a seeded generator (same seed, same documents) of positives per detector × format ×
/// language × context/no context, hard negatives per detector and clean prose and JSON in five languages.
/// </summary>
public static class DetectionCorpus
{
    public const int DefaultSeed = 20261204;

    /// <summary>Detectors the corpus labels (secret_prefix has its own fixed tests).</summary>
    public static readonly string[] Detectors = ["credit_card", "us_ssn", "email", "phone", "ipv4", "ipv6", "iban", "leakage", "entropy", "framing"];

    /// <summary>Documents per detector × format × language × context cell.</summary>
    private const int PerCell = 2;

    public static IReadOnlyList<CorpusDocument> Generate(int seed = DefaultSeed)
    {
        Random random = new(seed);
        List<CorpusDocument> documents = [];
        foreach (string detector in Detectors)
        {
            foreach (string format in CorpusFormats.All)
            {
                foreach (CorpusLanguage lang in CorpusLanguage.All)
                {
                    foreach (bool context in new[] { true, false })
                    {
                        for (int k = 0; k < PerCell; k++)
                        {
                            documents.Add(Positive(random, $"pos-{documents.Count:0000}", detector, format, lang, context));
                        }
                    }
                }
            }
        }

        documents.AddRange(CorpusNegatives.HardNegatives(random, documents.Count));
        documents.AddRange(CorpusNegatives.Clean(random, documents.Count));
        return documents;
    }

    private static CorpusDocument Positive(Random random, string id, string detector, string format, CorpusLanguage lang, bool context)
    {
        string key = context ? lang.ContextKeys[detector] : lang.NeutralKey;
        string lead = context ? CorpusFormats.Pick(random, lang.ContextLeads[detector]) : CorpusFormats.Pick(random, lang.NeutralLeads);
        if (detector == "entropy" && context && format is "csv")
        {
            // A CSV header is too far from the value to count as its key name; the secret stands alone there.
            lead = CorpusFormats.Pick(random, lang.ContextLeads[detector]);
        }

        (string value, string @class) = detector switch
        {
            "credit_card" => CorpusValues.CreditCard(random, context),
            "us_ssn" => CorpusValues.Ssn(random, context),
            "email" => CorpusValues.Email(random, lang),
            "phone" => CorpusValues.Phone(random, lang, context),
            "ipv4" => CorpusValues.Ipv4(random),
            "ipv6" => CorpusValues.Ipv6(random),
            "iban" => CorpusValues.Iban(random),
            "entropy" => CorpusValues.Secret(random, context && format is not "csv"),
            "leakage" => CorpusText.Leak(random, lang),
            _ => CorpusText.Framing(random, lang, format),
        };

        CorpusWriter w = new();
        bool asciiJson = detector == "leakage" && format == "json" && random.Next(3) == 0;
        CorpusFormats.Render(w, random, format, lang, key, lead, (writer, escape) =>
        {
            string written = asciiJson ? CorpusFormats.JsonAscii(value) : escape(value);
            writer.Label(detector, asciiJson ? @class + "/json-ascii" : @class, written);
        });
        return new CorpusDocument(id, CorpusKind.Positive, detector, format, lang.Code, context, @class, w.ToString(), w.Labels);
    }
}
