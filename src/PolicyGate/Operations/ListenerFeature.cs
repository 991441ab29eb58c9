using Microsoft.AspNetCore.Http;

namespace PolicyGate.Operations;

/// <summary>Connection feature naming the listener a connection arrived on; lets one host serve every plane without cross-talk.</summary>
public sealed class ListenerFeature(ListenerKind kind)
{
    public ListenerKind Kind { get; } = kind;

    public static ListenerKind? Of(HttpContext context) => context.Features.Get<ListenerFeature>()?.Kind;
}
