// Auditors' pages: the decision history with the API's filters and full-text search, exports, and the audit chain
// (verification and signed checkpoints).
import { h, replace, table, facts, badge, time, field, pagedTable, notify } from "/console/dom.js";
import { api, query, download, hasRole } from "/console/api.js";

export async function historyPage(main) {
  const form = h("form", { class: "filters", id: "history-filters" },
    field("Search names", h("input", { name: "q", type: "search", id: "history-q", placeholder: "hikvision" })),
    field("Decision", h("select", { name: "decision" }, [["", "Any"], ["clear", "Clear"], ["review", "Review"], ["block", "Block"]]
      .map(([value, label]) => h("option", { value }, label)))),
    field("List", h("input", { name: "list" })),
    field("Entry id", h("input", { name: "entryId" })),
    field("Key id", h("input", { name: "keyId" })),
    field("Reference", h("input", { name: "reference" })),
    field("From (UTC)", h("input", { name: "from", type: "datetime-local", step: 1 })),
    field("To (UTC)", h("input", { name: "to", type: "datetime-local", step: 1 })),
    field("Order", h("select", { name: "order" }, [["newest", "Newest first"], ["oldest", "Oldest first"]].map(([value, label]) => h("option", { value }, label)))),
    h("button", { type: "submit", id: "history-search" }, "Search"));
  const results = h("div", { id: "history" });
  const filters = () => {
    const values = Object.fromEntries(new FormData(form));
    for (const name of ["from", "to"]) if (values[name]) values[name] = new Date(values[name] + "Z").toISOString();
    return values;
  };
  async function load() {
    const fetchPage = async (cursor) => {
      const page = await api("GET", "/decisions" + query({ ...filters(), cursor }));
      return { items: page.decisions, next: page.nextCursor };
    };
    replace(results, await pagedTable(["#", "Screened", "Subject", "Decision", "Top match", "Caller", "Reference"], fetchPage, (item) => [
      String(item.seq), time(item.screenedAt),
      h("a", { href: `#/decisions/${encodeURIComponent(item.decisionId)}` }, item.name),
      badge(item.decision),
      item.topMatch ? `${item.topMatch.name} (${item.topMatch.list}, ${item.topMatch.score.toFixed(2)})` : "",
      item.caller.name, item.reference ?? "",
    ], { id: "history-table" }));
  }
  const exportButton = (format) => h("button", { type: "button", class: "secondary", onclick: () => {
    const { order, ...rest } = filters();
    download("/decisions/export" + query({ ...rest, order, format }), `decisions.${format}`).catch(notify);
  } }, `Export ${format.toUpperCase()}`);
  form.addEventListener("submit", (event) => { event.preventDefault(); load().catch(notify); });
  replace(main, h("h1", {}, "Decisions"), form, h("p", { class: "actions" }, exportButton("csv"), " ", exportButton("ndjson")), results);
  await load();
}

export async function auditPage(main) {
  const verification = h("div", { id: "verification" });
  const checkpoints = h("div", { id: "checkpoints" });
  const verify = async () => {
    replace(verification, h("p", { class: "muted" }, "Verifying every record's hash and link…"));
    const result = await api("GET", "/audit/verify");
    replace(verification, h("p", { id: "chain-status" }, result.valid ? badge("chain valid", "clear") : badge("chain broken", "block"),
      ` ${result.checked} records checked.`),
    facts([["First", result.firstSeq], ["Last", result.lastSeq], ["Head hash", result.headHash ? h("code", {}, result.headHash) : undefined],
      ["First break", result.firstBreak ? `record ${result.firstBreak.seq}: ${result.firstBreak.reason}` : undefined]]));
  };
  const loadCheckpoints = async () => {
    const { publicKey, checkpoints: list } = await api("GET", "/audit/checkpoints");
    replace(checkpoints, facts([["Signing key (Ed25519)", h("code", {}, publicKey)]]),
      table(["#", "Record", "Head hash", "Signed"], list.map((checkpoint) => [String(checkpoint.id), String(checkpoint.seq),
        h("code", { title: checkpoint.headHash }, checkpoint.headHash.slice(0, 24) + "…"), time(checkpoint.createdAt)])));
  };
  replace(main, h("h1", {}, "Audit chain"),
    h("p", {}, "Every decision, disposition and admin change is a record in one hash chain. Verification recomputes every hash."),
    h("p", { class: "actions" },
      h("button", { type: "button", id: "verify-chain", onclick: () => verify().catch(notify) }, "Verify the chain"), " ",
      hasRole("audit", "admin") ? h("button", { type: "button", class: "secondary", onclick: async () => {
        try { await api("POST", "/audit/checkpoints"); await loadCheckpoints(); } catch (error) { notify(error); }
      } }, "Sign a checkpoint now") : null),
    verification, h("h2", {}, "Signed checkpoints"), checkpoints);
  await loadCheckpoints();
}
