using PolicyGate.Configuration;

namespace PolicyGate.Tests.Configuration;

public sealed class ConfigValuesTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("5s", 5_000)]
    [InlineData("10m", 600_000)]
    [InlineData("5h", 18_000_000)]
    public void Durations_parse_and_print_back(string text, long milliseconds)
    {
        Assert.True(ConfigValues.TryParseDuration(text, out TimeSpan value, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
        Assert.Equal(text, ConfigValues.FormatDuration(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5 s")]
    [InlineData("-5s")]
    [InlineData("5S")]
    [InlineData("1.5s")]
    [InlineData("5d")]
    [InlineData("ms")]
    [InlineData("0ms")]
    [InlineData("99999999999999999h")]
    public void Bad_durations_are_refused(string text)
    {
        Assert.False(ConfigValues.TryParseDuration(text, out _, out string error));
        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("64KiB", 65_536)]
    [InlineData("8MiB", 8_388_608)]
    [InlineData("1GiB", 1_073_741_824)]
    [InlineData("100B", 100)]
    public void Sizes_parse_and_print_back(string text, long bytes)
    {
        Assert.True(ConfigValues.TryParseSize(text, out long value, out _));
        Assert.Equal(bytes, value);
        Assert.Equal(text, ConfigValues.FormatSize(value));
    }

    [Theory]
    [InlineData("64kb")]
    [InlineData("64KB")]
    [InlineData("64")]
    [InlineData("0KiB")]
    [InlineData("KiB")]
    [InlineData("1.5MiB")]
    public void Bad_sizes_are_refused(string text)
    {
        Assert.False(ConfigValues.TryParseSize(text, out _, out _));
    }

    [Theory]
    [InlineData("127.0.0.1/32", true)]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("::1/128", true)]
    [InlineData("2001:db8::/32", true)]
    [InlineData("10.0.0.1/8", false)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("10.0.0.0", false)]
    [InlineData("/8", false)]
    [InlineData("host/8", false)]
    public void Cidrs(string text, bool valid)
    {
        Assert.Equal(valid, ConfigValues.TryParseCidr(text, out _, out _));
    }

    [Theory]
    [InlineData("Host=db;Username=pg;Password=s3cret;Database=pg", "Host=db;Username=pg;Password=***;Database=pg")]
    [InlineData("Data Source=/var/lib/pg/policygate.db", "Data Source=/var/lib/pg/policygate.db")]
    [InlineData("host=db; pwd = 'a;b'", "host=db; pwd = ***")]
    [InlineData("postgres://pg:s3cret@db:5432/pg", "postgres://pg:***@db:5432/pg")]
    public void Connection_string_passwords_are_masked(string input, string masked)
    {
        Assert.Equal(masked, ConnectionStringSecrets.MaskPasswords(input));
        Assert.Equal(masked != input, ConnectionStringSecrets.ContainsPassword(input));
    }
}
