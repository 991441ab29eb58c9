using System.Reflection;
using Microsoft.Extensions.Logging;
using PolicyGate.Operations;

namespace PolicyGate.Tests.Operations;

/// <summary>Every log message of the node has its own event id, taken from the one <see cref="LogEvents"/> table.</summary>
public sealed class LogEventsTests
{
    [Fact]
    public void Every_log_message_uses_a_distinct_id_from_the_table()
    {
        List<(string Method, int Id)> messages = [];
        foreach (Type type in typeof(AppHost).Assembly.GetTypes())
        {
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<LoggerMessageAttribute>() is { } attribute)
                {
                    messages.Add(($"{type.FullName}.{method.Name}", attribute.EventId));
                }
            }
        }

        int[] table = typeof(LogEvents).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (int)f.GetRawConstantValue()!).ToArray();
        Assert.True(messages.Count >= 40, $"only {messages.Count} log messages found");
        Assert.Empty(messages.GroupBy(m => m.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}"));
        Assert.Equal(table.Order(), messages.Select(m => m.Id).Order());
    }
}
