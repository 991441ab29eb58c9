using System.Data.Common;
using System.Globalization;
using PolicyGate.Store;

namespace PolicyGate.Egress;

/// <summary>Small ADO helpers shared by the egress repository (parameters named @p0.., timestamps as sortable UTC text).</summary>
internal static class EgressSql
{
    public static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateTimeOffset? ReadNullableTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ReadTime(reader, ordinal);

    public static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, params object?[] args)
    {
        DbCommand command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        for (int i = 0; i < args.Length; i++)
        {
            StoreDatabaseBase.AddParameter(command, "@p" + i.ToString(CultureInfo.InvariantCulture), args[i]);
        }

        return command;
    }

    public static async Task<int> ExecAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct, string sql, params object?[] args)
    {
        await using DbCommand command = Command(connection, tx, sql, args);
        return await command.ExecuteNonQueryAsync(ct);
    }
}
