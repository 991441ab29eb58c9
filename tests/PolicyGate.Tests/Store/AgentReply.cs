namespace PolicyGate.Tests.Store;

/// <summary>One scripted agent answer.</summary>
public sealed record AgentReply(int Status, string Body, bool Hold = false);
