namespace PolicyGate.Tests.Inspection;

/// <summary>One inspection host shared by a test class: tenants block, redact, monitor (files) and ghost (no file).</summary>
public sealed class InspectionHostFixture : IAsyncLifetime
{
    internal InspectionTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        string prompt = $"protected_strings = [\"{InspectionBackend.Prompt}\"]\n";
        Dictionary<string, string> files = new()
        {
            ["block"] = "[inspection]\nmode = \"block\"\n" + prompt,
            ["redact"] = "[inspection]\nmode = \"redact\"\n" + prompt,
            ["monitor"] = "[inspection]\nmode = \"monitor\"\n" + prompt,
            ["off"] = "[inspection]\nmode = \"off\"\n",
            ["tiny"] = "[inspection]\nmode = \"block\"\nmax_scan_bytes = \"1000B\"\n",
            ["small"] = "[inspection]\nmode = \"block\"\nmax_scan_bytes = \"100KiB\"\n",
            ["tinymon"] = "[inspection]\nmode = \"monitor\"\nmax_scan_bytes = \"1KiB\"\n",
        };
        Host = await InspectionTestHost.StartAsync(files, ["block", "redact", "monitor", "off", "ghost", "tiny", "small", "tinymon"], InspectionBackend.HandleAsync);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
