using Microsoft.Extensions.DependencyInjection.Extensions;
using PolicyGate.Configuration;
using PolicyGate.Operations;

namespace PolicyGate.Store;

/// <summary>Registers the configured <see cref="IStoreDatabase"/> (sqlite in data_dir, or postgres), the instance registry and its fetch worker.</summary>
public static class StoreRegistration
{
    public const string ConnectionEnvironmentVariable = "POLICYGATE_STORE_CONNECTION";

    public static IServiceCollection AddStore(this IServiceCollection services, PolicyGateOptions options)
    {
        StoreKind kind = ResolveKind(options);
        // Resolved now so a missing PostgreSQL connection string is a config error (exit 2), not a failed start.
        string? postgresConnection = kind == StoreKind.Postgres ? ResolvePostgresConnection(options) : null;
        services.AddSingleton<IStoreDatabase>(sp =>
        {
            IEnumerable<IStoreMigrationSource> sources = sp.GetServices<IStoreMigrationSource>();
            return postgresConnection is not null
                ? new PostgresStoreDatabase(postgresConnection, sources, sp.GetRequiredService<StoreHealth>())
                : new SqliteStoreDatabase(ResolveSqliteConnection(options), sources);
        });

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<StoreHealth>();
        services.AddSingleton<IStoreMigrationSource, InstanceMigrations>();
        services.AddSingleton<PortPolicyFetchQueue>();
        services.AddSingleton<InstanceRegistry>();
        services.AddSingleton<IInstanceDirectory>(sp => sp.GetRequiredService<InstanceRegistry>());
        services.AddSingleton<IInstanceRegistrar>(sp => sp.GetRequiredService<InstanceRegistry>());
        services.AddSingleton<IStoreChangeSubscriber>(sp => sp.GetRequiredService<InstanceRegistry>());
        services.AddSingleton<IReadinessCheck, StoreReadinessCheck>();
        services.AddHostedService<InstanceRegistryStartup>();
        services.AddHostedService<PostgresChangeListener>();
        services.AddHostedService<StoreHealthMonitor>();
        services.AddHostedService<PortPolicyFetchWorker>();
        services.AddHttpClient(PortPolicyFetchWorker.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                ConnectTimeout = Timeout.InfiniteTimeSpan, // each attempt is bounded by the runtime config's port_policy_fetch.timeout
                UseProxy = false,
                AllowAutoRedirect = false,
            });
        return services;
    }

    private static StoreKind ResolveKind(PolicyGateOptions options) => options.Store.Kind switch
    {
        "sqlite" or "" => StoreKind.Sqlite,
        "postgres" => StoreKind.Postgres,
        string other => throw new ConfigException($"store.kind: \"{other}\" is not sqlite or postgres"),
    };

    private static string ResolveSqliteConnection(PolicyGateOptions options)
    {
        if (!string.IsNullOrEmpty(options.Store.ConnectionString))
        {
            return options.Store.ConnectionString;
        }

        Directory.CreateDirectory(options.DataDirectory);
        return "Data Source=" + Path.Combine(options.DataDirectory, "policygate.db");
    }

    private static string ResolvePostgresConnection(PolicyGateOptions options)
    {
        string? connection = string.IsNullOrEmpty(options.Store.ConnectionString)
            ? Environment.GetEnvironmentVariable(ConnectionEnvironmentVariable)
            : options.Store.ConnectionString;
        if (string.IsNullOrEmpty(connection))
        {
            throw new ConfigException($"store.connection_string: postgres needs a connection string (or env {ConnectionEnvironmentVariable})");
        }

        return connection;
    }

    private enum StoreKind
    {
        Sqlite,
        Postgres,
    }
}
