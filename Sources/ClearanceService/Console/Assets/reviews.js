// Reviewers' pages: the queue, and a decision with its matches, why they matched, the list entries behind them and
// the disposition form.
import { h, replace, table, facts, badge, time, field, pagedTable, notify } from "/console/dom.js";
import { api, query, hasRole, principal } from "/console/api.js";

const reasons = [
  ["different_country", "Different country"],
  ["different_date_of_birth", "Different date of birth"],
  ["different_entity_type", "Different entity type"],
  ["different_identifier", "Different identifier"],
  ["other", "Other (say why in the note)"],
];

export async function reviewQueue(main) {
  const form = h("form", { class: "filters", id: "queue-filters" },
    field("State", h("select", { name: "state" }, [["", "Open and awaiting a second review"], ["open", "Open"],
      ["awaiting_second_review", "Awaiting second review"], ["resolved", "Resolved"]].map(([value, label]) => h("option", { value }, label)))),
    field("List", h("input", { name: "list", placeholder: "us-csl" })),
    field("Source list", h("input", { name: "sourceList", placeholder: "Entity List" })),
    field("Counterparty", h("input", { name: "counterpartyId" })),
    h("button", { type: "submit" }, "Filter"));
  const results = h("div", { id: "queue" });
  const counts = h("div", { class: "counts", id: "queue-counts" });
  async function load() {
    const filters = Object.fromEntries(new FormData(form));
    const fetchPage = async (cursor) => {
      const page = await api("GET", "/reviews" + query({ ...filters, cursor }));
      replace(counts, count("Open", page.counts.open), count("Awaiting second review", page.counts.awaitingSecondReview),
        count("Resolved", page.counts.resolved));
      return { items: page.reviews, next: page.nextCursor };
    };
    replace(results, await pagedTable(["Screened", "Subject", "Counterparty", "Lists", "Source lists", "Matches", "State"], fetchPage, (item) => [
      time(item.screenedAt),
      h("a", { href: `#/decisions/${encodeURIComponent(item.decisionId)}`, class: "subject" }, item.name),
      item.counterpartyId ?? "",
      item.lists.join(", "),
      item.sourceLists.join("; "),
      String(item.matchCount),
      badge(item.state.replaceAll("_", " "), item.state),
    ], { id: "queue-table" }));
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); load().catch(notify); });
  replace(main, h("h1", {}, "Review queue"),
    h("p", { class: "muted" }, "Decisions answered review whose matches still need a disposition, oldest first."), counts, form, results);
  await load();
}

function count(label, value) {
  return h("div", { class: "count" }, h("strong", {}, String(value)), h("span", {}, label));
}

export async function decisionPage(main, decisionId) {
  const [{ record, chain }, review] = await Promise.all([
    api("GET", `/decisions/${encodeURIComponent(decisionId)}`),
    api("GET", `/decisions/${encodeURIComponent(decisionId)}/dispositions`),
  ]);
  const request = record.request ?? {};
  const versions = Object.fromEntries(record.listVersions.map((used) => [used.list, used.version]));
  const replayResult = h("div", { id: "replay-result" });
  replace(main,
    h("h1", {}, "Decision ", badge(record.decision), " ", h("span", { class: "muted small" }, record.decisionId)),
    h("div", { class: "columns" },
      h("section", { class: "card" }, h("h2", {}, "Subject"), facts([
        ["Name", request.name], ["Aliases", (request.aliases ?? []).join("; ")], ["Type", request.type], ["Country", request.country],
        ["Date of birth", request.dateOfBirth], ["Identifiers", (request.identifiers ?? []).map((id) => [id.type, id.value].filter(Boolean).join(" ")).join("; ")],
        ["Address", request.address], ["Counterparty", record.counterpartyId], ["Reference", record.reference],
      ])),
      h("section", { class: "card" }, h("h2", {}, "Record"), facts([
        ["Screened", time(record.screenedAt)], ["Caller", `${record.caller.name} (${record.caller.keyId})`],
        ["Lists", record.listVersions.map((used) => `${used.list} v${used.version}`).join(", ")],
        ["Policy", `version ${record.policyVersion}` + (record.policyProfile ? ` · profile ${record.policyProfile}` : "")], ["Engine", record.engineVersion],
        ["Chain position", h("span", {}, `#${chain.seq} `, h("code", { title: chain.hash }, chain.hash.slice(0, 16) + "…"))],
        ["Previous hash", h("code", { title: chain.prevHash }, chain.prevHash.slice(0, 16) + "…")],
        ["Re-screen", record.trigger ? `after ${record.trigger.list} v${record.trigger.version} (was ${record.trigger.previousDecision ?? "new"})` : undefined],
      ]),
      hasRole("audit") ? h("button", { type: "button", class: "secondary", id: "replay", onclick: async () => {
        try {
          const result = await api("POST", `/decisions/${encodeURIComponent(decisionId)}/replay`);
          replace(replayResult, result.identical ? badge("replay identical", "clear")
            : h("div", {}, badge("replay differs", "block"), h("ul", {}, result.differences.map((text) => h("li", {}, text)))));
        } catch (error) { notify(error); }
      } }, "Replay against the recorded lists and policy") : null, replayResult)),
    reviewSection(review),
    record.ownership ? ownershipSection(record.ownership) : null,
    h("h2", {}, `Matches (${record.matches.length})`),
    record.matches.length ? record.matches.map((match) => matchCard(record, match, versions[match.list], review))
      : h("p", { class: "muted" }, "No list entry scored at the review threshold."));
}

/** The supplier's owners as screened, with the 50 percent rule's arithmetic. */
function ownershipSection(ownership) {
  return h("section", { class: "card", id: "ownership" },
    h("h2", {}, "Owners ", badge(ownership.outcome)),
    h("p", { class: "consequence" }, ownership.explanation),
    table(["Owner", "Share", "Controls", "Decision", "Matches"], ownership.owners.map((owner) => [
      owner.name, owner.sharePercent == null ? "—" : `${owner.sharePercent}%`, owner.controls ? "yes" : "",
      badge(owner.decision),
      owner.matches.length ? owner.matches.map((match) => `${match.name} (${match.list}:${match.entryId}, ${match.outcome}: ${match.consequence})`).join("; ") : "—",
    ]), { id: "owners" }));
}

/** The listed parties a matched entry is linked to (parent, subsidiary, affiliate). */
function relationList(relations) {
  return h("div", { class: "relations" }, h("h4", {}, "Related listed parties"),
    h("ul", {}, relations.map((party) => h("li", {}, party.summary,
      party.inheritedConsequence ? h("span", { class: "muted" }, ` — ${party.inheritedConsequence}`) : null))));
}

function reviewSection(review) {
  return h("section", { class: "card", id: "review-state" },
    h("h2", {}, "Review ", badge(review.state.replaceAll("_", " "), review.state)),
    review.resolution ? h("p", { id: "resolution" }, "Resolved as ", badge(review.resolution.outcome), " at ", time(review.resolution.resolvedAt),
      ` by ${review.resolution.resolvedBy} (audit record ${review.resolution.recordId}).`) : null,
    review.dispositions.length ? table(["Match", "Disposition", "Reason", "Note", "Reviewer", "Recorded", "State"], review.dispositions.map((item) => [
      `${item.list}:${item.entryId}`, item.disposition.replaceAll("_", " "), item.reason?.replaceAll("_", " ") ?? "", item.note, item.keyId,
      time(item.recordedAt), item.state.replaceAll("_", " "),
    ]), { id: "dispositions" }) : h("p", { class: "muted" }, "No disposition recorded yet."));
}

function matchCard(record, match, version, review) {
  const explanation = match.explanation;
  const tokens = explanation.tokens ?? [];
  const queryWords = new Set(tokens.filter((token) => token.matched).map((token) => token.query));
  const listedWords = new Set(tokens.filter((token) => token.matched).map((token) => token.matched));
  const entryBox = h("div", { class: "entry" }, h("p", { class: "muted" }, "Loading the list entry…"));
  loadEntry(entryBox, match, version);
  return h("article", { class: "card match", "data-entry": `${match.list}:${match.entryId}` },
    h("h3", {}, match.name, " ", badge(match.outcome), " ", h("span", { class: "score" }, `score ${match.score.toFixed(3)}`)),
    h("p", { class: "muted" }, `${match.list}:${match.entryId} · ${match.type} · ${match.sourceLists.join("; ")}`),
    h("p", { class: "consequence" }, match.consequence),
    match.suppressedBy ? h("p", { class: "suppressed" }, `Suppressed by false positive ${match.suppressedBy}: it does not count toward this decision.`) : null,
    match.blockWithheld ? h("p", { class: "withheld" }, `Block withheld: ${match.blockWithheld}`) : null,
    match.alsoListed?.length ? h("p", { class: "muted also-listed" }, "Also listed as ",
      match.alsoListed.map((other) => `${other.list}:${other.entryId} (${other.sourceLists.join("; ")})`).join(", ")) : null,
    match.relations?.length ? relationList(match.relations) : null,
    h("div", { class: "side-by-side" },
      h("div", {}, h("h4", {}, "Screened name"), h("p", { class: "name" }, highlight(explanation.queryName, queryWords))),
      h("div", {}, h("h4", {}, `Listed name (${explanation.nameKind})`), h("p", { class: "name" }, highlight(explanation.matchedName, listedWords)))),
    h("details", { open: true }, h("summary", {}, "Why it matched"),
      table(["Screened word", "Listed word", "How", "Similarity", "Weight"], tokens.map((token) => [
        token.query, token.matched ?? "—", token.how, token.similarity.toFixed(2), token.weight.toFixed(2)])),
      facts([["Name score", explanation.nameScore.toFixed(3)], ["Query coverage", explanation.queryCoverage.toFixed(2)],
        ["Name coverage", explanation.nameCoverage.toFixed(2)]]),
      explanation.evidence?.length ? h("ul", { class: "evidence" }, explanation.evidence.map((item) => h("li", {},
        h("span", { class: item.effect >= 0 ? "up" : "down" }, `${item.effect >= 0 ? "+" : ""}${item.effect.toFixed(2)}`), ` ${item.kind}: ${item.detail}`)))
        : h("p", { class: "muted" }, "No evidence beyond the name moved the score.")),
    h("details", {}, h("summary", {}, "The list entry"), entryBox),
    dispositionForm(record, match, review));
}

/** The words of `name` whose normalised form matched, in <mark>; the rest as plain text. */
function highlight(name, words) {
  return String(name ?? "").split(/(\s+|[,.;:()/\\-])/).map((part) => words.has(normalise(part)) && normalise(part) ? h("mark", {}, part) : part);
}

function normalise(word) {
  return word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

async function loadEntry(box, match, version) {
  try {
    const { entry } = await api("GET", `/lists/${encodeURIComponent(match.list)}/entries/${encodeURIComponent(match.entryId)}${query({ version })}`);
    replace(box, facts([
      ["Name", entry.name], ["Type", entry.type], ["Programs", entry.programs.join(", ")], ["Source lists", entry.sourceLists.join("; ")],
      ["Consequence", match.consequence],
      ["Aliases", entry.aliases.map((alias) => `${alias.name} (${alias.kind})`).join("; ")],
      ["Addresses", entry.addresses.map((address) => address.text).join(" | ")], ["Countries", entry.countries.join(", ")],
      ["Dates of birth", entry.datesOfBirth.join(", ")],
      ["Identifiers", entry.identifiers.map((id) => [id.type, id.value, id.country].filter(Boolean).join(" ")).join("; ")],
      ["Listed on other lists", entry.references.join(", ")], ["Remarks", entry.remarks],
    ]));
  } catch (error) {
    replace(box, h("p", { class: "muted" }, `The entry could not be loaded: ${error.message}`));
  }
}

function dispositionForm(record, match, review) {
  if (!hasRole("review") || review.resolution || match.suppressedBy || match.outcome === "clear") return null;
  const onMatch = review.dispositions.filter((item) => item.list === match.list && item.entryId === match.entryId);
  if (onMatch.some((item) => item.effectiveAt)) return null;
  const waiting = onMatch.find((item) => item.state === "awaiting_second_review");
  if (waiting && waiting.keyId === principal.keyId) {
    return h("p", { class: "muted" }, "Your false positive awaits a second reviewer: another person.");
  }
  const name = `verdict-${match.list}-${match.entryId}`;
  const reason = h("select", { name: "reason" }, reasons.map(([value, label]) => h("option", { value }, label)));
  const note = h("textarea", { name: "note", rows: 3, required: true, maxlength: 2000 });
  const verdict = (value, label) => h("label", { class: "radio" }, h("input", { type: "radio", name, value, required: true }), " ", label);
  const form = h("form", { class: "disposition", onsubmit: async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const disposition = data.get(name);
    const item = { list: match.list, entryId: match.entryId, disposition, note: data.get("note") };
    if (disposition === "false_positive") item.reason = data.get("reason");
    try {
      await api("POST", `/decisions/${encodeURIComponent(record.decisionId)}/dispositions`, { matches: [item] });
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (error) { notify(error); }
  } },
  h("fieldset", {}, h("legend", {}, waiting ? `Second review: ${waiting.keyId} found a false positive (${waiting.reason})` : "Disposition"),
    verdict("true_match", "True match — stop the dealing"), verdict("false_positive", "False positive — not this party")),
  field("Reason (for a false positive)", reason),
  field("Note", note, "Required: what you checked, so the next reviewer and the auditor can follow."),
  h("button", { type: "submit" }, "Record disposition"));
  return form;
}
