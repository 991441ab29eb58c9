namespace PolicyGate.Store;

public enum StoreDialect
{
    Sqlite,
    Postgres,
}
