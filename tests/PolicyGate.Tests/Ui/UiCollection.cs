namespace PolicyGate.Tests.Ui;

/// <summary>The browser tests share one chromium and run one at a time (it is the heaviest process in the suite).</summary>
[CollectionDefinition(Name)]
public sealed class UiCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "admin-ui";
}
