namespace PolicyGate.Core.Bundles;

/// <summary>The named reasons a bundle is refused (status, audit and CLI show them).</summary>
public static class BundleErrors
{
    public const string TooLarge = "too_large";
    public const string Malformed = "malformed_json";
    public const string TrailingData = "trailing_data";
    public const string DuplicateKey = "duplicate_key";
    public const string UnknownField = "unknown_field";
    public const string MissingField = "missing_field";
    public const string BadField = "bad_field";
    public const string WrongPayloadType = "wrong_payload_type";
    public const string BadBase64 = "bad_base64";
    public const string ForbiddenSection = "forbidden_section";
    public const string BadSection = "bad_section";
    public const string KeyIdMismatch = "key_id_mismatch";
    public const string UntrustedKey = "untrusted_key";
    public const string BadSignature = "bad_signature";
    public const string NotYetValid = "not_yet_valid";
    public const string Expired = "expired";
    public const string WrongAudience = "wrong_audience";
    public const string VersionLower = "version_lower";
    public const string VersionConflict = "version_conflict";
    public const string ChainBroken = "chain_broken";

    public static BundleRejection Of(string code, string message) => new(code, message);
}
