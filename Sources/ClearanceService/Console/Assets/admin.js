// Admins' pages (keys, webhooks, editing the policy) and the alerts re-screens raise.
import { h, replace, table, facts, badge, time, field, confirmingButton, pagedTable, notify } from "/console/dom.js";
import { api, query, hasRole } from "/console/api.js";

const reload = () => window.dispatchEvent(new HashChangeEvent("hashchange"));

export async function policyPage(main) {
  const { version, policy } = await api("GET", "/policy");
  const editor = h("textarea", { id: "policy-json", rows: 24, spellcheck: "false" }, JSON.stringify(policy, null, 2));
  replace(main, h("h1", {}, `Policy v${version}`),
    facts([["Review threshold", policy.reviewThreshold], ["Block threshold", policy.blockThreshold],
      ["Four eyes for clearing a blocking source", policy.fourEyesClearing ? "yes" : "no"],
      ["False positives expire after", policy.falsePositiveExpiryDays ? `${policy.falsePositiveExpiryDays} days` : "never (while entry and subject are unchanged)"],
      ["Unlisted lists", `${policy.defaultOutcome}: ${policy.defaultConsequence}`]]),
    table(["List", "Source list", "Program", "Outcome", "Consequence"], policy.rules.map((rule) => [
      rule.list ?? "", rule.sourceList ?? "", rule.program ?? "", badge(rule.outcome), rule.consequence])),
    hasRole("admin") ? h("form", { class: "card", onsubmit: async (event) => {
      event.preventDefault();
      try {
        await api("PUT", "/policy", editor.value);
        reload();
      } catch (error) { notify(error); }
    } }, h("h2", {}, "Edit"), field("Policy (JSON)", editor, "Saved as a new version, recorded in the audit trail."),
    h("button", { type: "submit" }, "Save as a new version")) : null);
}

export async function keysPage(main) {
  const { keys } = await api("GET", "/keys");
  const created = h("div", { id: "created-key" });
  const name = h("input", { name: "name", required: true, maxlength: 200 });
  const roles = ["screen", "review", "audit", "admin"].map((role) => h("label", { class: "radio" },
    h("input", { type: "checkbox", name: "roles", value: role }), " ", role));
  const form = h("form", { class: "card", onsubmit: async (event) => {
    event.preventDefault();
    const chosen = new FormData(form).getAll("roles");
    try {
      const key = await api("POST", "/keys", { name: name.value, roles: chosen });
      replace(created, h("p", { role: "alert" }, "The new key, shown this once: ", h("code", { class: "secret" }, key.key)));
      form.reset();
    } catch (error) { notify(error); }
  } }, h("h2", {}, "New key"), field("Name", name), h("fieldset", {}, h("legend", {}, "Roles"), roles), h("button", { type: "submit" }, "Create"));
  replace(main, h("h1", {}, "Keys"),
    table(["Id", "Name", "Roles", "Created", "By", "Revoked", ""], keys.map((key) => [
      h("code", {}, key.id), key.name, key.roles.join(", "), time(key.createdAt), key.createdBy ?? "", key.revokedAt ? time(key.revokedAt) : "",
      key.revokedAt ? "" : confirmingButton("Revoke", `Requests with ${key.name} are refused from the next one on.`, async () => {
        try { await api("DELETE", `/keys/${encodeURIComponent(key.id)}`); reload(); } catch (error) { notify(error); }
      }),
    ]), { id: "keys-table" }), form, created);
}

export async function alertsPage(main) {
  const state = h("select", { name: "state" }, [["open", "Open"], ["acknowledged", "Acknowledged"], ["", "All"]].map(([value, label]) => h("option", { value }, label)));
  const results = h("div", { id: "alerts" });
  const load = async () => {
    const fetchPage = async (cursor) => {
      const page = await api("GET", "/alerts" + query({ state: state.value, cursor }));
      return { items: page.alerts, next: page.nextCursor };
    };
    replace(results, await pagedTable(["Raised", "Counterparty", "List", "Was", "Now", "Decision", "State", ""], fetchPage, (alert) => [
      time(alert.createdAt), `${alert.name} (${alert.counterpartyId})`, `${alert.list} v${alert.listVersion}`,
      alert.previousDecision ? badge(alert.previousDecision) : "new", badge(alert.decision),
      hasRole("review", "audit") ? h("a", { href: `#/decisions/${encodeURIComponent(alert.decisionId)}` }, alert.decisionId) : alert.decisionId,
      alert.state, alert.state === "open" && hasRole("review", "admin") ? h("button", { type: "button", class: "secondary", onclick: async () => {
        try { await api("POST", `/alerts/${encodeURIComponent(alert.alertId)}/acknowledge`, {}); await load(); } catch (error) { notify(error); }
      } }, "Acknowledge") : "",
    ]));
  };
  state.addEventListener("change", () => load().catch(notify));
  replace(main, h("h1", {}, "Alerts"), h("p", { class: "muted" }, "Raised when a list change alters a monitored counterparty's outcome."),
    h("div", { class: "filters" }, field("State", state)), results);
  await load();
}

export async function webhooksPage(main) {
  const { webhooks } = await api("GET", "/webhooks");
  const deliveries = h("section", { id: "deliveries" });
  const url = h("input", { name: "url", type: "url", required: true, placeholder: "erp.example.com/hooks/clearance (https)" });
  const secret = h("input", { name: "secret", type: "password", required: true, minlength: 16, autocomplete: "off" });
  const form = h("form", { class: "card", onsubmit: async (event) => {
    event.preventDefault();
    try { await api("POST", "/webhooks", { url: url.value, secret: secret.value }); reload(); } catch (error) { notify(error); }
  } }, h("h2", {}, "New webhook"), field("URL", url), field("Signing secret", secret, "Receivers check X-Clearance-Signature with it; it is never shown again."),
  h("button", { type: "submit" }, "Register"));
  replace(main, h("h1", {}, "Webhooks"),
    table(["Id", "URL", "Created", "", ""], webhooks.map((hook) => [
      h("code", {}, hook.id), hook.url, time(hook.createdAt),
      h("button", { type: "button", class: "secondary", onclick: () => showDeliveries(deliveries, hook).catch(notify) }, "Deliveries"),
      confirmingButton("Delete", `Alerts are no longer sent to ${hook.url}.`, async () => {
        try { await api("DELETE", `/webhooks/${encodeURIComponent(hook.id)}`); reload(); } catch (error) { notify(error); }
      }),
    ])), form, deliveries);
}

async function showDeliveries(section, hook) {
  const fetchPage = async (cursor) => {
    const page = await api("GET", `/webhooks/${encodeURIComponent(hook.id)}/deliveries` + query({ cursor }));
    return { items: page.deliveries, next: page.nextCursor };
  };
  replace(section, h("h2", {}, `Deliveries to ${hook.url}`),
    await pagedTable(["Event", "State", "Attempts", "Last error", "Next attempt"], fetchPage, (delivery) => [
      delivery.alertId ? `alert ${delivery.alertId}` : `checkpoint ${delivery.checkpointId}`, delivery.state, String(delivery.attempts),
      delivery.lastError ?? "", delivery.nextAttemptAt ? time(delivery.nextAttemptAt) : "",
    ]));
}
