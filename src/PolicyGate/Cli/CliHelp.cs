namespace PolicyGate.Cli;

/// <summary>The long help texts of `policygate` commands: what they do, examples, exit codes and environment variables.</summary>
public static class CliHelp
{
    private const string ExitCodesText = """

        Exit codes: 0 ok, 1 failed (check failed, node error, API answered an error), 2 usage or config error.
        """;

    public const string Root = """
        PolicyGate: policy-enforcing reverse-proxy appliance.

        Examples:
          policygate serve --demo                                   dev node with a demo app (data in ./data)
          policygate check-config --config /etc/policygate/policygate.toml --production
          policygate audit verify data/audit
          policygate egress pending

        Paths: relative paths in a config file resolve against the file's directory; without --config against the
        working directory (`dotnet run --project src/PolicyGate` runs in the directory it is typed in).

        Environment:
          POLICYGATE_ADMIN_TOKEN        admin API token (when admin.token_file is empty)
          POLICYGATE_AUDIT_KEY          audit HMAC key, 64 hex characters (when audit.key_file is empty)
          POLICYGATE_STORE_CONNECTION   PostgreSQL connection string (store.kind = "postgres")

        Exit codes: 0 ok, 1 failed, 2 usage or config error. Errors are one line on stderr; --verbose adds stack traces.
        """;

    public const string Serve = """
        Run the appliance: edge, admin API, metrics and (if configured) egress listeners.
        Prints the listeners, data dir and admin token file once listening (production: as JSON log events).

        Examples:
          policygate serve --demo
          policygate serve --config /etc/policygate/policygate.toml

        Environment: POLICYGATE_ADMIN_TOKEN, POLICYGATE_AUDIT_KEY, POLICYGATE_STORE_CONNECTION (see `policygate --help`).
        Signals: SIGHUP reloads the config and tenants; SIGTERM/SIGINT drain (edge.timeouts.shutdown) and stop.
        """ + ExitCodesText;

    public const string CheckConfig = """
        Validate the config (and, in production mode, every production refusal at once) and print the effective
        config with secrets masked.

        Examples:
          policygate check-config --config config/policygate.toml
          policygate check-config --config /etc/policygate/policygate.toml --production

        Environment: POLICYGATE_ADMIN_TOKEN, POLICYGATE_AUDIT_KEY, POLICYGATE_STORE_CONNECTION are checked like `serve` does.
        """ + ExitCodesText;

    public const string AuditVerify = """
        Verify the audit chain in DIR: every entry's HMAC, sequence and link, and the signed checkpoints.

        Examples:
          policygate audit verify data/audit
          policygate audit verify /var/lib/policygate/audit --key-file /etc/policygate/secrets/audit.key --json

        Environment: POLICYGATE_AUDIT_KEY (HMAC key when --key-file is not given; else DIR/../audit.key).

        Exit codes: 0 chain valid, 1 tampered or incomplete (the first broken seq and why), 2 usage error.
        """;

    public const string Egress = """
        Egress rules, sessions, learned and pending destinations, through the admin API.
        The token is --token, else env POLICYGATE_ADMIN_TOKEN, else admin.token_file, else <data_dir>/admin.token
        (data_dir from --config, or ./data of the working directory, the same rule `serve` uses).

        Examples:
          policygate egress pending
          policygate egress approve web1 pypi.org
          policygate egress mode web1 learn
          policygate egress rules --json
        """ + ExitCodesText;
}
