// Lists: what is loaded, each list's versions, the diff of a version against the one before it, and (admin) activating
// a version or rolling back to an earlier one, after a confirmation.
import { h, replace, table, facts, badge, time, confirmingButton, pagedTable, notify } from "/console/dom.js";
import { api, query, hasRole } from "/console/api.js";

export async function listsPage(main) {
  const { lists } = await api("GET", "/lists");
  replace(main, h("h1", {}, "Lists"),
    table(["List", "Format", "Active version", "Entries", "Versions", "Updated"], lists.map((list) => [
      h("a", { href: `#/lists/${encodeURIComponent(list.id)}` }, list.id), list.format,
      list.activeVersion ? `v${list.activeVersion}${list.edition ? ` (edition ${list.edition})` : ""}` : badge("none active", "review"), String(list.entryCount), String(list.versionCount), time(list.updatedAt),
    ]), { id: "lists-table" }));
}

export async function listPage(main, listId, diffVersion) {
  const history = await api("GET", `/lists/${encodeURIComponent(listId)}/versions`);
  const path = `#/lists/${encodeURIComponent(listId)}`;
  const activate = (version) => async () => {
    try {
      await api("POST", `/lists/${encodeURIComponent(listId)}/versions/${version.version}/activate`);
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (error) { notify(error); }
  };
  const rows = history.versions.slice().reverse().map((version) => [
    `v${version.version}${version.edition ? ` (edition ${version.edition})` : ""}`, version.active ? badge("active", "clear") : "", time(version.uploadedAt), `${version.source}${version.uploadedBy ? " · " + version.uploadedBy : ""}`,
    String(version.entryCount),
    version.diff ? `+${version.diff.added} −${version.diff.removed} ~${version.diff.changed}` : "",
    h("a", { href: `${path}/diff/${version.version}`, "data-diff": version.version }, "Diff"),
    hasRole("admin") && !version.active
      ? confirmingButton((history.activeVersion ?? 0) > version.version ? "Roll back" : "Activate",
          `Screening will use v${version.version} of ${listId} from now on, and its monitored counterparties are screened again.`, activate(version))
      : "",
  ]);
  const diff = h("section", { id: "diff" });
  replace(main, h("h1", {}, `List ${listId}`),
    facts([["Format", history.format], ["Active version", history.activeVersion ? `v${history.activeVersion}` : "none"]]),
    h("h2", {}, "Versions"), table(["Version", "", "Uploaded", "Source", "Entries", "Changes", "", ""], rows, { id: "versions-table" }),
    h("h2", {}, "Activations"),
    table(["Version", "When", "By", "Why"], history.activations.slice().reverse().map((item) => [
      `v${item.version}`, time(item.activatedAt), item.activatedBy ?? "", item.reason])),
    diff);
  if (diffVersion) await renderDiff(diff, listId, Number(diffVersion));
}

async function renderDiff(section, listId, version) {
  const base = `/lists/${encodeURIComponent(listId)}/versions/${version}/diff`;
  const first = await api("GET", base + query({ limit: 1 }));
  const describe = (entry) => entry ? [entry.name, entry.aliases?.length ? ` (aka ${entry.aliases.map((alias) => alias.name).join("; ")})` : "",
    entry.programs?.length ? ` [${entry.programs.join(", ")}]` : ""].join("") : "";
  const fetchPage = async (cursor) => {
    const page = await api("GET", base + query({ cursor, limit: 200 }));
    return { items: page.changes, next: page.nextCursor };
  };
  replace(section,
    h("h2", {}, first.previousVersion ? `v${version} against v${first.previousVersion}` : `v${version}, the first version`),
    h("p", { id: "diff-summary" }, badge(`${first.summary.added} added`, "clear"), " ", badge(`${first.summary.removed} removed`, "block"), " ",
      badge(`${first.summary.changed} changed`, "review")),
    await pagedTable(["Entry", "Change", "Before", "After"], fetchPage, (change) => [
      change.entryId, badge(change.change, { added: "clear", removed: "block", changed: "review" }[change.change]),
      describe(change.before), describe(change.after),
    ], { id: "diff-table" }));
  section.scrollIntoView();
}
