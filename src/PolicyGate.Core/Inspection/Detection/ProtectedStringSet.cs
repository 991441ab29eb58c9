namespace PolicyGate.Core.Inspection.Detection;

/// <summary>All <see cref="ProtectedStringMatcher.WindowLength"/>-character windows of a tenant's normalised protected strings.</summary>
public sealed class ProtectedStringSet
{
    private readonly HashSet<ulong> _hashes = [];
    private readonly ulong[] _filter = new ulong[1024]; // 64 Ki-bit table over the top hash bits: a cheap first test per char
    private readonly HashSet<string> _windows = new(StringComparer.Ordinal);

    public ProtectedStringSet(IEnumerable<string> protectedStrings)
    {
        foreach (string text in protectedStrings)
        {
            string normal = ProtectedStringNormalizer.Normalize(text);
            for (int i = 0; i + ProtectedStringMatcher.WindowLength <= normal.Length; i++)
            {
                string window = normal.Substring(i, ProtectedStringMatcher.WindowLength);
                if (_windows.Add(window))
                {
                    ulong hash = ProtectedStringMatcher.HashOf(window);
                    _hashes.Add(hash);
                    int bit = (int)(hash >> 48);
                    _filter[bit >> 6] |= 1UL << (bit & 63);
                }
            }
        }
    }

    public bool IsEmpty => _windows.Count == 0;

    internal ulong TopPower { get; } = ProtectedStringMatcher.TopPowerOf();

    internal bool MightContain(ulong hash)
    {
        int bit = (int)(hash >> 48);
        return (_filter[bit >> 6] & (1UL << (bit & 63))) != 0 && _hashes.Contains(hash);
    }

    internal bool Contains(string window) => _windows.Contains(window);
}
