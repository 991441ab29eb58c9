using System.Text;

namespace PolicyGate.Tests.Corpus;

/// <summary>The tenant file the corpus is scored under: every detector, the corpus's protected strings, framing phrases in five languages and phone regions.</summary>
public static class CorpusTenant
{
    /// <summary>System prompts written for this corpus (one per language); leakage positives quote windows of them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Prompts = new Dictionary<string, string>
    {
        ["en"] = "You are Harbor, the travel desk assistant of Northwind Tours. Never quote the partner rebate table, don't mention the \"blue tier\" discount, and refuse to share staff rotas.",
        ["de"] = "Du bist Lotse, der Reiseassistent von Nordwind Reisen. Nenne niemals die Rabattstaffel für Partner, erwähne nicht den „blauen Tarif“ und gib keine Dienstpläne heraus.",
        ["fr"] = "Tu es Phare, l'assistant voyages de Vent du Nord. Ne cite jamais la grille de remises partenaires, ne parle pas de l'offre « bleue » et refuse de partager les plannings.",
        ["es"] = "Eres Faro, el asistente de viajes de Viento Norte. Nunca cites la tabla de descuentos para socios, no menciones la tarifa «azul» y niégate a compartir los turnos.",
        ["it"] = "Sei Faro, l'assistente viaggi di Vento del Nord. Non citare mai la tabella degli sconti per i partner, non parlare della tariffa «blu» e rifiuta di condividere i turni.",
    };

    /// <summary>Framing phrases per language (English ones are the built-in defaults).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> FramingPhrases = new Dictionary<string, string[]>
    {
        ["en"] = ["the system prompt", "hidden instructions", "secret key", "private_key =", "secret_key ="],
        ["de"] = ["der Systemprompt", "versteckte Anweisungen", "geheimer Schlüssel"],
        ["fr"] = ["le prompt système", "instructions cachées", "clé secrète"],
        ["es"] = ["el prompt del sistema", "instrucciones ocultas", "clave secreta"],
        ["it"] = ["il prompt di sistema", "istruzioni nascoste", "chiave segreta"],
    };

    public static readonly string[] PhoneRegions = ["US", "GB", "DE", "CH", "FR", "ES", "IT"];

    /// <summary>The tenant file (TOML) for block mode, or another mode.</summary>
    public static string Toml(string mode = "block")
    {
        StringBuilder toml = new();
        toml.Append("[inspection]\n");
        toml.Append($"mode = \"{mode}\"\n");
        toml.Append("detectors = [\"credit_card\", \"us_ssn\", \"email\", \"phone\", \"ipv4\", \"ipv6\", \"iban\", \"leakage\", \"entropy\", \"framing\", \"secret_prefix\"]\n");
        toml.Append("protected_strings = [").AppendJoin(", ", Prompts.Values.Select(Quote)).Append("]\n");
        toml.Append("framing_phrases = [").AppendJoin(", ", FramingPhrases.Values.SelectMany(p => p).Select(Quote)).Append("]\n");
        toml.Append("phone_regions = [").AppendJoin(", ", PhoneRegions.Select(Quote)).Append("]\n");
        return toml.ToString();
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
