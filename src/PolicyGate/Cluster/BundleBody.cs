using PolicyGate.Core.Bundles;

namespace PolicyGate.Cluster;

/// <summary>Reads a bundle body (admin PUT or the leader's answer) up to one byte past the limit, so an oversize one is refused as too_large without buffering it all.</summary>
public static class BundleBody
{
    public static async Task<byte[]> ReadAsync(Stream stream, CancellationToken ct)
    {
        byte[] buffer = new byte[BundleConstants.MaxEnvelopeBytes + 1];
        int total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), ct)) > 0)
        {
            total += read;
        }

        return buffer[..total];
    }
}
