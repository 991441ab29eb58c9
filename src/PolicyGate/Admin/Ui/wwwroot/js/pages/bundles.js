// Policy bundles: role, active bundle, last poll (GET /api/v1/policy/status, DESIGN §9).
import { ApiError } from "../api.js";
import { h, heading, ago, badge } from "../dom.js";

function facts(pairs) {
  return h("dl", { class: "facts" }, pairs.flatMap(([term, value]) => [h("dt", null, term), h("dd", null, value ?? "—")]));
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
  const active = status.active;
  const poll = status.last_poll;
  root.append(
    h("h2", null, "Role"),
    facts([["Role", status.role ? badge(status.role, "none") : null]]),
    h("h2", null, "Active bundle"),
    active
      ? facts([
        ["Version", h("span", { id: "bundle-version" }, String(active.version))],
        ["Bundle id", h("code", null, active.bundle_id)],
        ["Hash", h("code", null, active.hash)],
        ["Applied", ago(active.applied_at)],
      ])
      : h("p", { class: "empty" }, "No bundle active."),
    h("h2", null, "Last poll"),
    poll
      ? facts([
        ["At", ago(poll.at)],
        ["Outcome", badge(poll.outcome, /^(ok|not_modified|unchanged)$/.test(poll.outcome) ? "ok" : "bad")],
        ["Error", poll.error ? h("code", { class: "error-text" }, poll.error) : "none"],
      ])
      : h("p", { class: "empty" }, "No poll yet (a leader or a single node does not poll)."));
}
