// Inspection: the loaded tenants (mode, detectors) and this node's verdict counters by detector.
import { h, table, badge, heading, num } from "../dom.js";

export async function render(root, ctx) {
  const data = await ctx.api("GET", "/inspection/tenants");
  const tenants = data.tenants.map(t => [
    h("td", { class: "mono" }, t.tenant_id),
    h("td", null, badge(t.mode, t.mode === "off" ? "none" : t.mode)),
    h("td", { class: "details" }, t.detectors.join(", ") || "none"),
    h("td", { class: "details" }, t.content_types.join(", ")),
    num(t.max_scan_bytes),
    num(t.protected_strings),
  ]);
  const counters = data.counters;
  const verdicts = counters.verdicts.map(v => [h("td", { class: "mono" }, v.detector), h("td", null, badge(v.verdict, v.verdict === "pass" ? "ok" : v.verdict)), num(v.count)]);
  root.append(
    heading(1, "Inspection"),
    h("div", { class: "toolbar" },
      h("button", { type: "button", class: "secondary", onclick: () => ctx.run(async () => {}, "Refreshed.") }, "Refresh"),
      h("span", { class: "muted" }, data.directory ? `tenants from ${data.directory}` : "built-in default tenant (no tenants directory)")),
    table("Tenants", ["Tenant", "Mode", "Detectors", "Content types", "Max scan bytes", "Protected strings"], tenants, "No tenants loaded."),
    h("h2", null, "Verdicts since this node started"),
    table("Verdict counters by detector", ["Detector", "Verdict", "Responses"], verdicts, "No response inspected yet."),
    h("dl", { class: "facts" },
      h("dt", null, "Channel disagreements"), h("dd", { id: "disagreements" }, Number(counters.disagreements).toLocaleString("en")),
      h("dt", null, "Bytes scanned"), h("dd", null, Number(counters.scanned_bytes).toLocaleString("en"))));
}
