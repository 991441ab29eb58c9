using System.IO.Pipelines;
using System.Net.Security;

namespace PolicyGate.Edge;

/// <summary>The decrypted side of a terminated connection as a transport pipe for Kestrel's HTTP layer (16 KiB writes → full TLS records).</summary>
internal sealed class SslDuplexPipe(SslStream ssl) : IDuplexPipe
{
    private const int MinimumWriteBuffer = 16 * 1024;

    public PipeReader Input { get; } = PipeReader.Create(ssl, new StreamPipeReaderOptions(bufferSize: MinimumWriteBuffer, leaveOpen: true));

    public PipeWriter Output { get; } = PipeWriter.Create(ssl, new StreamPipeWriterOptions(minimumBufferSize: MinimumWriteBuffer, leaveOpen: true));
}
