namespace PolicyGate.Cli;

/// <summary>Where the --demo backends listen (DESIGN §2: 8080 http, 2222 tcp echo on loopback); tests may replace it.</summary>
public sealed record DemoOptions(int HttpPort = DemoOptions.DefaultHttpPort, int TcpPort = DemoOptions.DefaultTcpPort)
{
    public const int DefaultHttpPort = 8080;
    public const int DefaultTcpPort = 2222;
    public const string AppId = "demo";
    public const string InstanceId = "demo1";
    public const string Address = "127.0.0.1";
    public const string TestCardNumber = "4111 1111 1111 1111";
    public const string TestEmail = "jane.doe@example.com";
}
