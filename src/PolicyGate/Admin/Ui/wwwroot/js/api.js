// Calls the public admin API (/api/v1) with the bearer token kept in this tab's session storage. No cookies.
const TOKEN_KEY = "policygate.admin.token";

export class ApiError extends Error {
  constructor(method, path, status, message) {
    super(message);
    this.method = method;
    this.path = path;
    this.status = status;
  }

  // The API's own words: "<METHOD> <path> → <status>: <error>".
  describe() {
    return `${this.method} ${this.path} → ${this.status || "no answer"}: ${this.message}`;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

// Sends one request; resolves to the parsed JSON body (null for an empty one), rejects with ApiError.
export async function api(method, path, body, tokenOverride) {
  const headers = { Authorization: `Bearer ${tokenOverride ?? token() ?? ""}` };
  const init = { method, headers, credentials: "omit", cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch (e) {
    throw new ApiError(method, `/api/v1${path}`, 0, `request failed: ${e.message}`);
  }
  const text = await response.text();
  let json = null;
  if (text.length > 0) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!response.ok) {
    const message = json && typeof json.error === "string" ? json.error : text || response.statusText;
    throw new ApiError(method, `/api/v1${path}`, response.status, message);
  }
  if (json === undefined) {
    throw new ApiError(method, `/api/v1${path}`, response.status, `answer is not JSON: ${text.slice(0, 200)}`);
  }
  return json;
}

export const enc = encodeURIComponent;
