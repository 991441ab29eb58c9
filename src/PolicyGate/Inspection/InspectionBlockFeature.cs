namespace PolicyGate.Inspection;

/// <summary>Set on the request's features when inspection blocked the response (403 or abort): what the access log reports.</summary>
public sealed record InspectionBlockFeature(string Detector);
