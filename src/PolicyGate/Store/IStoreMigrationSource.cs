namespace PolicyGate.Store;

/// <summary>A feature's schema steps; register each implementation as a singleton and the store applies them at open.</summary>
public interface IStoreMigrationSource
{
    IEnumerable<StoreMigration> Migrations { get; }
}
