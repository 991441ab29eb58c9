namespace PolicyGate.Load.Clients;

/// <summary>One client connection owned by one worker at a time; executes one request (or one transfer) per call.</summary>
public interface ILoadConnection : IAsyncDisposable
{
    /// <summary>Runs one step and returns the bytes received; throws <see cref="LoadStepException"/> with an error kind on failure.</summary>
    ValueTask<long> ExecuteAsync(CancellationToken cancellationToken);
}
