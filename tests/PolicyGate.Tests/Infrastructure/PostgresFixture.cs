using System.Diagnostics;
using Npgsql;

namespace PolicyGate.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster (initdb in a temp dir, run as the `postgres` OS user when we are root) on a free
/// loopback port; each test asks for a fresh database. Fails, never skips, when PostgreSQL is not installed.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private string _root = "";
    private string _dataDir = "";
    private string _binDir = "";
    private int _port;

    public async Task InitializeAsync()
    {
        _binDir = FindBinDir();
        _root = Path.Combine(Path.GetTempPath(), "pg-fixture-" + Guid.NewGuid().ToString("N")[..10]);
        _dataDir = Path.Combine(_root, "data");
        Directory.CreateDirectory(_root);
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", _root], asPostgres: false);
        }

        _port = TestNode.FreePort();
        await RunAsync(Path.Combine(_binDir, "initdb"), ["-D", _dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        await StartAsync();
    }

    /// <summary>Starts the (stopped) cluster again on the same port.</summary>
    public Task StartAsync() => RunAsync(Path.Combine(_binDir, "pg_ctl"),
    [
        "-D", _dataDir, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
        "-o", $"-p {_port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off", "start",
    ]);

    /// <summary>
    /// `pg_ctl stop -m immediate`: the server dies without a shutdown checkpoint and drops every connection (a crash,
    /// as far as clients can tell). Committed transactions survive: their WAL reached the OS at commit.
    /// </summary>
    public Task StopImmediateAsync() => RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", _dataDir, "-m", "immediate", "-w", "stop"]);

    /// <summary>The connection string of an existing database with other timeouts (seconds).</summary>
    public static string WithTimeouts(string connectionString, int connect, int command)
        => new NpgsqlConnectionStringBuilder(connectionString) { Timeout = connect, CommandTimeout = command }.ConnectionString;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        string name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (NpgsqlConnection admin = new(ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using NpgsqlCommand create = new($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    public async Task DisposeAsync()
    {
        if (_dataDir.Length > 0 && Directory.Exists(_dataDir))
        {
            NpgsqlConnection.ClearAllPools();
            await RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", _dataDir, "-m", "immediate", "-w", "stop"]);
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string ConnectionString(string database)
        => $"Host=127.0.0.1;Port={_port};Username=postgres;Database={database};Pooling=true;Timeout=30;Command Timeout=30";

    private static bool IsRoot => Environment.UserName == "root";

    private static string FindBinDir()
    {
        const string root = "/usr/lib/postgresql";
        string? bin = Directory.Exists(root)
            ? Directory.GetDirectories(root).OrderByDescending(d => int.TryParse(Path.GetFileName(d), out int v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            : null;
        return bin ?? throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); scripts/test.sh installs it");
    }

    private static async Task RunAsync(string file, string[] args, bool asPostgres = true)
    {
        // A working directory the postgres user can enter (initdb warns about an unreadable one).
        ProcessStartInfo start = new() { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        if (asPostgres && IsRoot)
        {
            start.FileName = "runuser";
            foreach (string a in (string[])["-u", "postgres", "--", file])
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = file;
        }

        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stdout} {await stderr}");
        }
    }
}
