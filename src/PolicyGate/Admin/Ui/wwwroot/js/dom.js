// Small DOM helpers. Data is only ever set as text (never parsed as HTML).

// h("td", {class: "num"}, "text", childNode, [more...]) -> element
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// A captioned table; rows are arrays of cells (a cell is text, a node, or a <td> made by h("td", ...)).
export function table(caption, headers, rows, emptyText = "nothing to show") {
  const head = h("tr", null, headers.map(title => h("th", { scope: "col" }, title)));
  const body = rows.length === 0
    ? [h("tr", null, h("td", { colspan: headers.length, class: "empty" }, emptyText))]
    : rows.map(cells => h("tr", null, cells.map(cell => cell instanceof HTMLTableCellElement ? cell : h("td", null, cell))));
  return h("div", { class: "table-wrap" }, h("table", null, h("caption", null, caption), h("thead", null, head), h("tbody", null, body)));
}

export function badge(text, kind) {
  return h("span", { class: `badge badge-${kind ?? text}` }, text);
}

export function num(value) {
  return h("td", { class: "num" }, value === null || value === undefined ? "—" : Number(value).toLocaleString("en"));
}

// "12 s ago" with the exact UTC time as a tooltip and for screen readers in the datetime attribute.
export function ago(iso) {
  if (!iso) return "—";
  return h("time", { datetime: iso, title: iso, "data-ago": iso }, relative(iso));
}

// A countdown to iso ("in 4 m 12 s", "expired"), refreshed every second by tickClocks().
export function countdown(iso) {
  if (!iso) return "never";
  return h("time", { datetime: iso, title: iso, "data-expires": iso }, untilText(iso));
}

export function tickClocks(root) {
  for (const el of root.querySelectorAll("[data-expires]")) el.textContent = untilText(el.dataset.expires);
  for (const el of root.querySelectorAll("[data-ago]")) el.textContent = relative(el.dataset.ago);
}

function span(ms) {
  let s = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(s / 86400); s -= d * 86400;
  const hrs = Math.floor(s / 3600); s -= hrs * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  if (d > 0) return `${d} d ${hrs} h`;
  if (hrs > 0) return `${hrs} h ${m} m`;
  if (m > 0) return `${m} m ${s} s`;
  return `${s} s`;
}

function relative(iso) {
  const ms = Date.now() - Date.parse(iso);
  return Number.isNaN(ms) ? iso : ms < 0 ? `in ${span(-ms)}` : `${span(ms)} ago`;
}

function untilText(iso) {
  const ms = Date.parse(iso) - Date.now();
  return Number.isNaN(ms) ? iso : ms <= 0 ? "expired" : `in ${span(ms)}`;
}

export function heading(level, text) {
  return h(`h${level}`, { tabindex: "-1" }, text);
}

// Asks in a modal dialog (focus stays inside; Escape cancels). Resolves true only on "Confirm".
export function confirmAction(text, confirmLabel = "Confirm") {
  const dialog = document.getElementById("confirm");
  const ok = document.getElementById("confirm-ok");
  const cancel = document.getElementById("confirm-cancel");
  document.getElementById("confirm-text").textContent = text;
  ok.textContent = confirmLabel;
  const opener = document.activeElement;
  return new Promise(resolve => {
    const finish = answer => {
      ok.removeEventListener("click", onOk);
      cancel.removeEventListener("click", onCancel);
      dialog.removeEventListener("cancel", onCancel);
      if (dialog.open) dialog.close();
      if (opener && opener.isConnected) opener.focus();
      resolve(answer);
    };
    const onOk = () => finish(true);
    const onCancel = event => { event?.preventDefault?.(); finish(false); };
    ok.addEventListener("click", onOk);
    cancel.addEventListener("click", onCancel);
    dialog.addEventListener("cancel", onCancel);
    dialog.showModal();
    cancel.focus();
  });
}
