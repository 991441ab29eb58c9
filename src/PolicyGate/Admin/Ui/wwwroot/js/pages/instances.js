// Instances: registration facts, effective port policy with its source, admin override set / clear.
import { enc } from "../api.js";
import { h, table, badge, ago, heading, confirmAction } from "../dom.js";

export function describePolicy(policy) {
  if (!policy) return "no policy (connections refused until fetched)";
  if (!policy.restrict_mode) return "all ports allowed";
  if (policy.ports.length === 0) return "restricted: no ports";
  return "restricted: " + policy.ports.map(p => `${p.port}/${p.protocol ?? "default"}${p.pp ? " +pp" : ""}`).join(", ");
}

function editor(instance, ctx, close) {
  const id = `override-${instance.instance_id}`;
  const view = instance.port_policy;
  const start = view.admin_override ?? view.instance_reported ?? { ports: [{ port: 8080, protocol: "http", pp: false }], restrict_mode: true };
  const area = h("textarea", { id, class: "mono", rows: 8, spellcheck: "false" }, JSON.stringify(start, null, 2));
  const save = async event => {
    event.preventDefault();
    await ctx.run(() => ctx.api("PUT", `/instances/${enc(instance.instance_id)}/port-policy`, area.value),
      `Admin override set for ${instance.instance_id}.`);
  };
  return h("form", { class: "editor", onsubmit: save, "aria-label": `Admin override for ${instance.instance_id}` },
    h("label", { for: id }, `Admin override for ${instance.instance_id} (port policy JSON: ports [{port, protocol, pp}], restrict_mode)`),
    area,
    h("div", { class: "actions" },
      h("button", { type: "submit" }, "Save override"),
      h("button", { type: "button", class: "secondary", onclick: close }, "Cancel")));
}

export async function render(root, ctx) {
  const { instances } = await ctx.api("GET", "/instances");
  const editorSlot = h("div", { id: "override-editor" });
  const rows = instances.map(instance => {
    const view = instance.port_policy;
    const open = () => {
      const form = editor(instance, ctx, () => editorSlot.replaceChildren());
      editorSlot.replaceChildren(form);
      form.querySelector("textarea").focus();
    };
    const clear = async () => {
      if (!await confirmAction(`Clear the admin override of ${instance.instance_id}? The instance-reported policy (${describePolicy(view.instance_reported)}) applies to new connections at once.`, "Clear override")) return;
      await ctx.run(() => ctx.api("DELETE", `/instances/${enc(instance.instance_id)}/port-policy`), `Admin override of ${instance.instance_id} cleared.`);
    };
    return [
      h("td", { class: "mono" }, instance.instance_id),
      instance.app_id,
      instance.tenant_id,
      h("td", { class: "mono" }, instance.address),
      ago(instance.last_seen),
      describePolicy(view.effective),
      h("td", { "data-source": view.source }, badge(view.source)),
      h("td", null, h("div", { class: "actions" },
        h("button", { type: "button", onclick: open, "aria-label": `Set override for ${instance.instance_id}` }, "Set override"),
        view.admin_override
          ? h("button", { type: "button", class: "danger", onclick: clear, "aria-label": `Clear override for ${instance.instance_id}` }, "Clear override")
          : null)),
    ];
  });
  root.append(
    heading(1, "Instances"),
    h("div", { class: "toolbar" },
      h("button", { type: "button", class: "secondary", onclick: () => ctx.run(async () => {}, "Refreshed.") }, "Refresh"),
      h("span", { class: "muted" }, `${instances.length} registered · effective = admin override, else the instance-reported policy`)),
    table("Registered instances", ["Instance", "App", "Tenant", "Address", "Last seen", "Effective port policy", "Source", "Actions"], rows,
      "No instances registered (POST /api/v1/instances)."),
    editorSlot);
}
