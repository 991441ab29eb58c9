using PolicyGate.Configuration;

namespace PolicyGate.Store;

/// <summary>Registers the configured <see cref="IStoreDatabase"/> (sqlite default in data_dir).</summary>
public static class StoreRegistration
{
    public static IServiceCollection AddStore(this IServiceCollection services, PolicyGateOptions options)
    {
        services.AddSingleton<IStoreDatabase>(sp =>
        {
            IEnumerable<IStoreMigrationSource> sources = sp.GetServices<IStoreMigrationSource>();
            string connection = options.Store.ConnectionString;
            if (string.IsNullOrEmpty(connection))
            {
                Directory.CreateDirectory(options.DataDirectory);
                connection = "Data Source=" + Path.Combine(options.DataDirectory, "policygate.db");
            }

            return new SqliteStoreDatabase(connection, sources);
        });
        return services;
    }
}
