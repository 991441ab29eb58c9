namespace PolicyGate.Load.Clients;

/// <summary>A kind of client traffic; creates one independent connection per load worker.</summary>
public interface ILoadClient
{
    /// <summary>Creates a connection (not yet opened: it opens lazily on its first request).</summary>
    ILoadConnection CreateConnection();
}
