namespace PolicyGate.Admin;

/// <summary>Reads an admin request body whole, refusing bodies over <see cref="MaxBytes"/>.</summary>
public static class AdminRequestBody
{
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The body bytes, or null when it is larger than <see cref="MaxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return null;
        }

        using MemoryStream buffer = new();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static IResult TooLarge() => AdminResults.Error(StatusCodes.Status413PayloadTooLarge, $"body larger than {MaxBytes} bytes");
}
