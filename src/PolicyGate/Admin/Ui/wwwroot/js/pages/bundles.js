// Policy bundles: role, active bundle, last poll (follower) or published bundle (leader) from GET /api/v1/policy/status (DESIGN §9).
import { ApiError } from "../api.js";
import { h, heading, ago, badge, countdown } from "../dom.js";

function facts(pairs) {
  return h("dl", { class: "facts" }, pairs.filter(([, value]) => value !== undefined)
    .flatMap(([term, value]) => [h("dt", null, term), h("dd", null, value ?? "—")]));
}

function bundleFacts(bundle, idPrefix) {
  if (!bundle) return h("p", { class: "empty" }, "No bundle.");
  return facts([
    ["Version", h("span", { id: `${idPrefix}-version` }, String(bundle.version))],
    ["Bundle id", h("code", null, bundle.bundle_id)],
    ["Hash", h("code", { id: `${idPrefix}-hash` }, bundle.hash)],
    ["Applied", ago(bundle.applied_at)],
    ["Source", bundle.source],
    ["Sections", bundle.sections ? bundle.sections.join(", ") || "none" : undefined],
    ["Expires", bundle.expires_at ? countdown(bundle.expires_at) : undefined],
  ]);
}

export async function render(root, ctx) {
  root.append(heading(1, "Policy bundles"));
  let status;
  try {
    status = await ctx.api("GET", "/policy/status");
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      root.append(h("p", { class: "muted", id: "bundles-unavailable" },
        "Not available: this node has no policy bundle status (", h("code", null, e.describe()), ")."));
      return;
    }
    throw e;
  }
  const poll = status.last_poll;
  root.append(
    h("div", { class: "toolbar" }, h("button", { type: "button", class: "secondary", onclick: () => ctx.run(async () => {}, "Refreshed.") }, "Refresh")),
    facts([["Role", h("span", { id: "bundle-role" }, badge(status.role ?? "unknown", "none"))], ["Node", status.node_id]]),
    h("h2", null, "Active bundle"),
    bundleFacts(status.active, "active"),
    ...("published" in status ? [h("h2", null, "Published (leader)"), bundleFacts(status.published, "published")] : []),
    h("h2", null, "Last poll"),
    poll
      ? facts([
        ["At", ago(poll.at)],
        ["Outcome", badge(poll.outcome, /^(ok|not_modified)$/.test(poll.outcome) ? "ok" : "bad")],
        ["Error", poll.error ? h("code", { id: "poll-error" }, poll.error) : "none"],
      ])
      : h("p", { class: "empty" }, status.role === "follower" ? "No poll yet." : "Only followers poll."));
}
