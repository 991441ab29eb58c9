// Egress: rules by layer with grant countdowns, sessions with their rules, and per container the mode, learned and
// pending destinations with Approve / Deny / Enforce.
import { enc } from "../api.js";
import { h, table, badge, ago, countdown, heading, num, confirmAction } from "../dom.js";

function ruleRow(rule, ctx) {
  const remove = async () => {
    if (!await confirmAction(`Delete ${rule.action} rule ${rule.id} (${rule.container} → ${rule.destination}:${rule.port})? New connections are decided without it at once.`, "Delete rule")) return;
    await ctx.run(() => ctx.api("DELETE", `/egress/rules/${enc(rule.id)}`), `Rule ${rule.id} deleted.`);
  };
  return [
    h("td", { class: "mono" }, rule.id),
    h("td", { class: "mono" }, rule.container),
    h("td", { class: "mono" }, rule.destination),
    h("td", { class: "mono" }, rule.port),
    h("td", null, badge(rule.action)),
    h("td", { "data-source": rule.source }, badge(rule.source)),
    rule.expires_at ? countdown(rule.expires_at) : "never",
    rule.notes ?? "",
    rule.source === "global"
      ? h("td", null, h("button", { type: "button", class: "danger", onclick: remove, "aria-label": `Delete rule ${rule.id}` }, "Delete"))
      : h("td", { class: "muted" }, rule.source === "session" ? "delete the session" : "built in"),
  ];
}

function addRuleForm(ctx) {
  const field = (id, label, input) => h("div", { class: "field" }, h("label", { for: id }, label), input);
  const container = h("input", { id: "rule-container", required: true, placeholder: "web1 or web*", spellcheck: "false" });
  const destination = h("input", { id: "rule-destination", required: true, placeholder: "**.github.com", spellcheck: "false" });
  const port = h("input", { id: "rule-port", value: "443", size: 10 });
  const action = h("select", { id: "rule-action" }, h("option", { value: "allow" }, "allow"), h("option", { value: "deny" }, "deny"));
  const minutes = h("input", { id: "rule-minutes", type: "number", min: 1, placeholder: "permanent", size: 8 });
  const submit = async event => {
    event.preventDefault();
    const body = { container: container.value.trim(), destination: destination.value.trim(), port: port.value.trim() || "*", action: action.value };
    if (minutes.value) body.expires_at = new Date(Date.now() + Number(minutes.value) * 60000).toISOString();
    await ctx.run(() => ctx.api("POST", "/egress/rules", body), `Rule added: ${body.action} ${body.container} → ${body.destination}:${body.port}.`);
  };
  return h("form", { class: "inline", onsubmit: submit, "aria-label": "Add a global rule" },
    field("rule-container", "Container", container), field("rule-destination", "Destination", destination),
    field("rule-port", "Port", port), field("rule-action", "Action", action),
    field("rule-minutes", "Grant for (minutes)", minutes), h("button", { type: "submit" }, "Add rule"));
}

function sessionsTable(sessions, rules, ctx) {
  const rows = sessions.map(s => {
    const own = rules.filter(r => r.session_id === s.session_id);
    const remove = async () => {
      if (!await confirmAction(`Delete session ${s.session_id} and its ${own.length} rule(s)?`, "Delete session")) return;
      await ctx.run(() => ctx.api("DELETE", `/sessions/${enc(s.session_id)}`), `Session ${s.session_id} deleted.`);
    };
    return [
      h("td", { class: "mono" }, s.session_id),
      h("td", { class: "mono" }, s.container),
      s.allow_all ? badge("allow all", "allow") : "no",
      `${s.ttl_seconds} s`,
      countdown(s.expires_at),
      h("td", { class: "mono details" }, own.length === 0 ? "none" : own.map(r => `${r.action} ${r.destination}:${r.port}`).join(", ")),
      h("td", null, h("button", { type: "button", class: "danger", onclick: remove, "aria-label": `Delete session ${s.session_id}` }, "Delete")),
    ];
  });
  return table("Live sessions", ["Session", "Container", "Allow all", "TTL", "Expires", "Rules", ""], rows, "No live sessions.");
}

function sightingTable(caption, list, withActions, container, ctx) {
  const rows = list.map(item => {
    const target = `${item.host}:${item.port}`;
    const approve = () => ctx.run(() => ctx.api("POST", "/egress/approve", { container, destination: item.host, port: item.port }),
      `Approved ${target} for ${container}.`);
    const deny = async () => {
      if (!await confirmAction(`Add a global deny rule for ${container} → ${target}?`, "Deny")) return;
      await ctx.run(() => ctx.api("POST", "/egress/deny", { container, destination: item.host, port: item.port }), `Denied ${target} for ${container}.`);
    };
    return [
      h("td", { class: "mono" }, item.host),
      h("td", { class: "num" }, item.port),
      num(item.count),
      ago(item.first_seen),
      ago(item.last_seen),
      withActions
        ? h("td", null, h("div", { class: "actions" },
          h("button", { type: "button", onclick: approve, "aria-label": `Approve ${target} for ${container}` }, "Approve"),
          h("button", { type: "button", class: "danger", onclick: deny, "aria-label": `Deny ${target} for ${container}` }, "Deny")))
        : null,
    ];
  });
  const headers = ["Host", "Port", "Count", "First seen", "Last seen"];
  return table(caption, withActions ? [...headers, "Actions"] : headers, rows, "None.");
}

async function containerCard(container, mode, pending, learned, ctx) {
  const select = h("select", { id: `mode-${container}`, "aria-label": `Mode of ${container}` },
    ["strict", "learn"].map(m => h("option", { value: m, selected: m === mode }, m)));
  const switchMode = async () => {
    const next = select.value;
    if (next === mode) return;
    const why = next === "learn" ? "Unmatched destinations will be ALLOWED and recorded as learned." : "Unmatched destinations will be denied and recorded as pending.";
    if (!await confirmAction(`Switch ${container} from ${mode} to ${next}? ${why}`, `Switch to ${next}`)) { select.value = mode; return; }
    await ctx.run(() => ctx.api("PUT", `/egress/containers/${enc(container)}/mode`, { mode: next }), `${container} is now ${next}.`);
  };
  const enforce = async () => {
    if (!await confirmAction(`Enforce ${container}: turn its ${learned.length} learned destination(s) into allow rules and set it to strict?`, "Enforce")) return;
    await ctx.run(() => ctx.api("POST", "/egress/enforce", { container }), `${container} is enforcing.`);
  };
  return h("section", { class: "container-card", "aria-label": `Container ${container}`, "data-container": container },
    h("h3", null, "Container ", h("code", null, container), " ", badge(mode)),
    h("div", { class: "toolbar" },
      h("label", { for: `mode-${container}` }, "Mode"), select,
      h("button", { type: "button", class: "secondary", onclick: switchMode, "aria-label": `Switch mode of ${container}` }, "Switch mode"),
      h("button", { type: "button", onclick: enforce, "aria-label": `Enforce ${container}` }, "Enforce")),
    sightingTable(`Pending for ${container} (denied, waiting for a decision)`, pending, true, container, ctx),
    sightingTable(`Learned by ${container}`, learned, false, container, ctx));
}

let extraContainers = [];

export async function render(root, ctx) {
  const [rules, sessions, pending, learned] = await Promise.all([
    ctx.api("GET", "/egress/rules"), ctx.api("GET", "/sessions"), ctx.api("GET", "/egress/pending"), ctx.api("GET", "/egress/learned"),
  ]);
  const names = [...new Set([...pending.pending.map(p => p.container), ...learned.learned.map(l => l.container), ...extraContainers])].sort();
  const modes = await Promise.all(names.map(c => ctx.api("GET", `/egress/containers/${enc(c)}/mode`)));
  const cards = await Promise.all(names.map((c, i) => containerCard(c, modes[i].mode,
    pending.pending.filter(p => p.container === c), learned.learned.filter(l => l.container === c), ctx)));
  const lookup = h("input", { id: "container-lookup", required: true, placeholder: "instance or app id", spellcheck: "false" });
  const show = async event => {
    event.preventDefault();
    const name = lookup.value.trim();
    if (!extraContainers.includes(name)) extraContainers = [...extraContainers, name];
    await ctx.run(async () => {}, `Showing container ${name}.`);
  };
  root.append(
    heading(1, "Egress"),
    h("div", { class: "toolbar" }, h("button", { type: "button", class: "secondary", onclick: () => ctx.run(async () => {}, "Refreshed.") }, "Refresh"),
      h("span", { class: "muted" }, "precedence: global > session > builtin > the container's mode")),
    h("h2", null, "Rules"),
    table("Live rules", ["ID", "Container", "Destination", "Port", "Action", "Source", "Expires", "Notes", ""], rules.rules.map(r => ruleRow(r, ctx)), "No rules."),
    addRuleForm(ctx),
    h("h2", null, "Sessions"),
    sessionsTable(sessions.sessions, rules.rules, ctx),
    h("h2", null, "Containers: pending and learned"),
    h("form", { class: "inline", onsubmit: show, "aria-label": "Show a container" },
      h("div", { class: "field" }, h("label", { for: "container-lookup" }, "Show container"), lookup),
      h("button", { type: "submit", class: "secondary" }, "Show")),
    ...(cards.length === 0 ? [h("p", { class: "empty" }, "No pending or learned destinations.")] : cards));
}
