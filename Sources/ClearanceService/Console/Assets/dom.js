// Building the page: every piece of text goes in as a text node, never as markup, so a list entry or a request
// field named `<img src=x onerror=alert(1)>` is shown as those characters. Nothing here parses a string as markup.

/** An element: `h("a", {href: "#/x", class: "link"}, "text", child, [more])`. `on*` attributes take functions. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else if (child instanceof Node) element.appendChild(child);
    else element.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `element`. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A table from column headings and rows of cells. */
export function table(headings, rows, attributes = {}) {
  return h("div", { class: "table-wrap" },
    h("table", attributes,
      h("thead", {}, h("tr", {}, headings.map((heading) => h("th", { scope: "col" }, heading)))),
      h("tbody", {}, rows.length ? rows.map((cells) => h("tr", {}, cells.map((cell) => h("td", {}, cell))))
                                 : h("tr", {}, h("td", { colspan: headings.length, class: "empty" }, "Nothing to show.")))));
}

/** A definition list from [term, value] pairs (a value of undefined leaves the pair out). */
export function facts(pairs) {
  return h("dl", { class: "facts" }, pairs.filter(([, value]) => value !== undefined && value !== null && value !== "")
    .map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
}

/** An outcome as a coloured badge. */
export function badge(text, kind = text) {
  return h("span", { class: `badge badge-${String(kind).replace(/[^a-z_-]/gi, "")}` }, text);
}

export function time(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return h("time", { datetime: iso, title: iso }, isNaN(date) ? iso : date.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC"));
}

/** A labelled form control. */
export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2)}`;
  control.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), control, hint ? h("small", {}, hint) : null);
}

/** A button that asks again before doing something that changes what screening uses. */
export function confirmingButton(label, question, action) {
  const holder = h("span", { class: "confirm" });
  const start = h("button", { type: "button", class: "secondary", onclick: () => {
    replace(holder, h("span", { role: "alert" }, question), " ",
      h("button", { type: "button", class: "danger", "data-confirm": "yes", onclick: action }, "Yes, " + label.toLowerCase()), " ",
      h("button", { type: "button", class: "secondary", onclick: () => replace(holder, start) }, "Cancel"));
    holder.querySelector("[data-confirm]").focus();
  } }, label);
  return replace(holder, start);
}

/** Shows an error (a problem document's detail when there is one) above the page. */
export function notify(error) {
  const notice = document.getElementById("notice");
  notice.hidden = false;
  const detail = error?.body?.detail ?? error?.message ?? String(error);
  replace(notice, h("span", { id: "notice-text" }, error?.status ? `${error.status}: ${detail}` : detail), " ",
    h("button", { type: "button", class: "secondary", onclick: () => { notice.hidden = true; } }, "Dismiss"));
}

export function clearNotice() {
  document.getElementById("notice").hidden = true;
}

/** A table filled page by page: `fetchPage(cursor)` resolves to `{items, next}`; a "More" button loads the next
 *  keyset page until there is none. */
export async function pagedTable(headings, fetchPage, row, attributes = {}) {
  const first = await fetchPage(undefined);
  const wrap = table(headings, first.items.map(row), attributes);
  const tbody = wrap.querySelector("tbody");
  let cursor = first.next;
  const button = h("button", { type: "button", class: "secondary more", onclick: async () => {
    try {
      const page = await fetchPage(cursor);
      for (const item of page.items) tbody.appendChild(h("tr", {}, row(item).map((cell) => h("td", {}, cell))));
      cursor = page.next;
      if (!cursor) button.remove();
    } catch (error) { notify(error); }
  } }, "More");
  return h("div", {}, wrap, cursor ? button : null);
}
