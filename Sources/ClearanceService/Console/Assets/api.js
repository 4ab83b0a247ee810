// The API key lives in this module's memory only: never in storage or a cookie, gone when the tab closes or
// reloads. Every call sends it as the bearer header, so the page holds no ambient credential a forged request
// could ride on.
let key = null;
export let principal = null;

export class Problem extends Error {
  constructor(status, body) {
    super(body?.detail || body?.title || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** Checks the key and learns its roles; throws a Problem when it is refused. */
export async function signIn(candidate) {
  key = candidate;
  try {
    principal = await api("GET", "/keys/current");
  } catch (error) {
    key = null;
    principal = null;
    throw error;
  }
  return principal;
}

export function signOut() {
  key = null;
  principal = null;
}

export function hasRole(...roles) {
  return !!principal && roles.some((role) => principal.roles.includes(role));
}

async function send(method, path, body, headers = {}) {
  const init = { method, headers: { Authorization: `Bearer ${key}`, ...headers }, cache: "no-store", credentials: "omit" };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  const response = await fetch(path, init);
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    throw new Problem(response.status, problem);
  }
  return response;
}

/** A JSON call; resolves to the parsed body (null for 204). */
export async function api(method, path, body) {
  const response = await send(method, path, body);
  return response.status === 204 ? null : response.json();
}

/** Downloads what `path` answers as a file (an export): fetched with the key, saved from memory. */
export async function download(path, filename) {
  const blob = await (await send("GET", path)).blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** A query string from the non-empty values of `params`. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== "") search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : "";
}
