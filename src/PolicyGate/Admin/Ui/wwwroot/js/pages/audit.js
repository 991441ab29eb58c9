// Audit: chain verification (GET /audit/verify), head and last checkpoint (GET /audit/status), newest entries by kind.
import { h, table, badge, ago, heading } from "../dom.js";

const KINDS = ["admin", "admin.instance", "admin.port_policy", "admin.egress", "edge.deny", "http.deny", "http.upgrade",
  "egress.deny", "instance.port_policy", "inspection", "inspection.block", "audit.recovery"];
let filter = { kind: "", limit: 100 };

function chainBox(report) {
  if (report.valid) {
    return h("div", { class: "chain ok", id: "chain-status", "data-valid": "true" },
      h("strong", null, "Chain valid. "),
      `${report.entries_valid}/${report.entries_total} entries valid, ${report.checkpoints_valid}/${report.checkpoints_total} checkpoints valid.`);
  }
  const first = report.first_error;
  return h("div", { class: "chain broken", id: "chain-status", "data-valid": "false", role: "alert" },
    h("strong", null, "Chain BROKEN. "),
    first ? `First error at seq ${first.seq}: ${first.reason}. ` : "",
    `${report.entries_valid}/${report.entries_total} entries valid, ${report.checkpoints_valid}/${report.checkpoints_total} checkpoints valid.`);
}

export async function render(root, ctx) {
  const query = new URLSearchParams();
  if (filter.kind) query.set("kind", filter.kind);
  query.set("limit", String(filter.limit));
  const [report, status, entries] = await Promise.all([
    ctx.api("GET", "/audit/verify"),
    ctx.api("GET", "/audit/status"),
    ctx.api("GET", `/audit/entries?${query}`),
  ]);
  const checkpoint = status.last_checkpoint;
  const kindInput = h("input", { id: "kind-filter", name: "kind", list: "kinds", value: filter.kind, placeholder: "all kinds", spellcheck: "false" });
  const limitInput = h("input", { id: "limit", name: "limit", type: "number", min: 1, max: 500, value: filter.limit });
  const apply = async event => {
    event.preventDefault();
    filter = { kind: kindInput.value.trim(), limit: Number(limitInput.value) || 100 };
    await ctx.run(async () => {}, filter.kind ? `Showing kind ${filter.kind}.` : "Showing all kinds.");
  };
  const rows = entries.entries.map(e => [
    h("td", { class: "num" }, e.seq),
    ago(e.ts),
    h("td", { class: "mono" }, e.kind),
    h("td", null, badge(e.decision, { deny: "deny", allow: "allow", change: "admin", error: "bad", recover: "strict" }[e.decision] ?? "none")),
    h("td", { class: "mono" }, e.reason ?? ""),
    h("td", { class: "mono details" }, e.subject ?? ""),
    e.tenant ?? "—",
    h("td", { class: "mono details" }, JSON.stringify(e.details ?? {})),
  ]);
  root.append(
    heading(1, "Audit"),
    h("div", { class: "toolbar" }, h("button", { type: "button", class: "secondary", onclick: () => ctx.run(async () => {}, "Verified again.") }, "Verify again")),
    chainBox(report),
    h("dl", { class: "facts" },
      h("dt", null, "Last entry seq"), h("dd", null, String(status.last_seq)),
      h("dt", null, "Last checkpoint"),
      h("dd", { id: "last-checkpoint" }, checkpoint ? [ago(checkpoint.ts), ` (seq ${checkpoint.seq}, ${checkpoint.ts})`] : "none written yet"),
      h("dt", null, "Checkpoint period"), h("dd", null, `${status.checkpoint_every_seconds} s`),
      status.writer_error ? [h("dt", null, "Writer error"), h("dd", { class: "error" }, status.writer_error)] : null),
    h("h2", null, "Latest entries"),
    h("form", { class: "inline", onsubmit: apply, "aria-label": "Filter entries" },
      h("div", { class: "field" }, h("label", { for: "kind-filter" }, "Kind (and kinds below it)"), kindInput),
      h("datalist", { id: "kinds" }, KINDS.map(k => h("option", { value: k }))),
      h("div", { class: "field" }, h("label", { for: "limit" }, "Newest"), limitInput),
      h("button", { type: "submit" }, "Filter")),
    table(`Newest ${entries.entries.length} entries${filter.kind ? ` of kind ${filter.kind}` : ""}${entries.scan_limited ? " (scan limit reached)" : ""}`,
      ["Seq", "Time", "Kind", "Decision", "Reason", "Subject", "Tenant", "Details"], rows, "No entries."));
}
