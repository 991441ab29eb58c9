using PolicyGate.Core.Audit;

namespace PolicyGate.Audit;

/// <summary>Opens the chain at start and, at graceful shutdown, flushes it and writes the final checkpoint.</summary>
public sealed class AuditChainService(AuditChainWriter writer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        AuditMetrics.Resumed(writer.LastWrittenSeq, AuditTailReader.ReadLastCheckpoint(writer.Directory));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => writer.CloseAsync().WaitAsync(cancellationToken);
}
