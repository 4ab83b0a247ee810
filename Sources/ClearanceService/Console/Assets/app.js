// The console's shell: sign-in, the sections the key's roles allow, and a hash router (`#/reviews`,
// `#/decisions/ID`, ...). Pages are functions that fill `main` from the API; a page the key's roles do not allow
// is neither listed nor rendered, and makes no call.
import { h, replace, field, notify, clearNotice } from "/console/dom.js";
import { signIn, signOut, principal, hasRole } from "/console/api.js";
import { reviewQueue, decisionPage } from "/console/reviews.js";
import { historyPage, auditPage } from "/console/history.js";
import { listsPage, listPage } from "/console/lists.js";
import { policyPage, keysPage, alertsPage, webhooksPage } from "/console/admin.js";

const readers = ["admin", "audit", "review"];
const pages = [
  { pattern: /^\/reviews$/, title: "Review queue", roles: ["review", "audit"], render: reviewQueue, href: "#/reviews" },
  { pattern: /^\/decisions\/([^/]+)$/, title: "Decision", roles: ["review", "audit"], render: decisionPage },
  { pattern: /^\/decisions$/, title: "Decisions", roles: ["audit"], render: historyPage, href: "#/decisions" },
  { pattern: /^\/audit$/, title: "Audit chain", roles: ["audit"], render: auditPage, href: "#/audit" },
  { pattern: /^\/lists$/, title: "Lists", roles: readers, render: listsPage, href: "#/lists" },
  { pattern: /^\/lists\/([^/]+)(?:\/diff\/(\d+))?$/, title: "List", roles: readers, render: listPage },
  { pattern: /^\/alerts$/, title: "Alerts", roles: ["review", "admin", "audit", "screen"], render: alertsPage, href: "#/alerts" },
  { pattern: /^\/policy$/, title: "Policy", roles: readers, render: policyPage, href: "#/policy" },
  { pattern: /^\/keys$/, title: "Keys", roles: ["admin"], render: keysPage, href: "#/keys" },
  { pattern: /^\/webhooks$/, title: "Webhooks", roles: ["admin"], render: webhooksPage, href: "#/webhooks" },
];

const main = () => document.getElementById("main");

function renderSignIn(message) {
  replace(document.getElementById("nav"));
  replace(document.getElementById("who"));
  const input = h("input", { type: "password", id: "api-key", name: "api-key", autocomplete: "off", spellcheck: "false", required: true,
                             placeholder: "clr_..." });
  const form = h("form", { class: "card narrow", id: "sign-in", onsubmit: async (event) => {
    event.preventDefault();
    try {
      await signIn(input.value.trim());
      clearNotice();
      renderShell();
      if (!location.hash.startsWith("#/") || location.hash === "#/") location.hash = firstPage();
      else route();
    } catch (error) {
      notify(error.status === 401 ? { message: "That key was refused: check it, or ask an admin for a new one." } : error);
      input.select();
    }
  } },
  h("h1", {}, "Sign in"),
  h("p", {}, "Paste an API key. It stays in this tab's memory only and is sent as the bearer header; reloading the page forgets it."),
  message ? h("p", { class: "muted" }, message) : null,
  field("API key", input),
  h("button", { type: "submit", id: "sign-in-button" }, "Sign in"));
  replace(main(), form);
  input.focus();
}

function firstPage() {
  return pages.find((page) => page.href && hasRole(...page.roles))?.href ?? "#/";
}

function renderShell() {
  const nav = document.getElementById("nav");
  replace(nav, h("ul", {}, pages.filter((page) => page.href && hasRole(...page.roles))
    .map((page) => h("li", {}, h("a", { href: page.href, "data-page": page.title }, page.title)))));
  replace(document.getElementById("who"), h("span", { title: principal.keyId }, `${principal.name} (${principal.roles.join(", ")})`), " ",
    h("button", { type: "button", class: "secondary", id: "sign-out", onclick: () => { signOut(); renderSignIn("Signed out."); } }, "Sign out"));
}

async function route() {
  if (!principal) return renderSignIn();
  const path = location.hash.replace(/^#/, "") || "/";
  if (!path.startsWith("/")) return;
  if (path === "/") { location.hash = firstPage(); return; }
  for (const link of document.querySelectorAll("#nav a")) {
    if (path.startsWith(link.getAttribute("href").slice(1))) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const page = pages.find((page) => page.pattern.test(path));
  clearNotice();
  if (!page) return replace(main(), h("h1", {}, "Not found"), h("p", {}, "There is no such page."));
  document.title = `${page.title} — Clearance`;
  if (!hasRole(...page.roles)) {
    return replace(main(), h("h1", {}, page.title),
      h("p", { class: "forbidden", id: "forbidden" }, `This page needs the ${page.roles.join(" or ")} role; this key has ${principal.roles.join(", ")}.`));
  }
  const target = main();
  replace(target, h("p", { class: "muted" }, "Loading…"));
  try {
    await page.render(target, ...path.match(page.pattern).slice(1).map((part) => part && decodeURIComponent(part)));
  } catch (error) {
    replace(target, h("h1", {}, page.title));
    notify(error);
  }
  target.focus({ preventScroll: true });
}

window.addEventListener("hashchange", route);
window.addEventListener("error", (event) => notify({ message: `Console error: ${event.message}` }));
window.addEventListener("unhandledrejection", (event) => notify(event.reason));
renderSignIn();
