// The dashboard's only way to data: the public API, with the session cookie standing in
// for the secret key, the project named in a header, and the CSRF token on every change.

import type { components } from "./api-schema";

/** The API's schemas as its OpenAPI document describes them (`npm run types` writes them). */
export type Schemas = components["schemas"];

export type ProjectRef = Schemas["ProjectRef"];

export type Session = Schemas["DashboardSession"];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** The message with the fields it names, as one line a person can act on. */
  describe(): string {
    const named = Object.entries(this.fields).map(([name, why]) => `${name}: ${flatten(why)}`);
    return named.length ? `${this.message} (${named.join("; ")})` : this.message;
  }
}

function flatten(value: unknown): string {
  if (Array.isArray(value)) return value.map(flatten).join(", ");
  if (value && typeof value === "object") {
    return Object.entries(value)
      .map(([key, inner]) => `${key}: ${flatten(inner)}`)
      .join("; ");
  }
  return String(value);
}

type Params = Record<string, string | number | boolean | null | undefined>;

export function withParams(path: string, params: Params = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

async function failure(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code: string; message: string; fields?: Record<string, unknown> } };
    if (body.error) return new ApiError(response.status, body.error.code, body.error.message, body.error.fields);
  } catch {
    // not JSON: fall through to a generic description
  }
  return new ApiError(response.status, "http_error", `the server answered ${response.status}`);
}

export async function readSession(): Promise<Session | null> {
  const response = await fetch("/dashboard/api/session", { credentials: "same-origin" });
  if (response.status === 401) return null;
  if (!response.ok) throw await failure(response);
  return (await response.json()) as Session;
}

export async function signIn(email: string, password: string): Promise<Session> {
  const response = await fetch("/dashboard/api/session", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as Session;
}

export class Api {
  constructor(
    readonly session: Session,
    readonly project: ProjectRef,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { "x-waypost-project": this.project.id, "x-csrf-token": this.session.csrf_token, ...extra };
  }

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    const init: RequestInit = { method, credentials: "same-origin", headers: this.headers() };
    if (body !== undefined) {
      init.headers = this.headers({ "content-type": "application/json" });
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    if (!response.ok) throw await failure(response);
    return response;
  }

  async get<T>(path: string, params: Params = {}): Promise<T> {
    return (await (await this.call("GET", withParams(path, params))).json()) as T;
  }

  async send<T>(method: "POST" | "PATCH" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T> {
    const response = await this.call(method, path, body);
    return (response.status === 204 ? null : await response.json()) as T;
  }

  /** Save what a route exports (CSV) as a file: a plain link could not carry the headers. */
  async download(path: string, params: Params, filename: string): Promise<void> {
    const blob = await (await this.call("GET", withParams(path, params))).blob();
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = filename;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  async signOut(): Promise<void> {
    await this.call("DELETE", "/dashboard/api/session");
  }
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

/** Every row of a cursor-paged list, up to ``cap`` rows; whether the cap cut it short. */
export async function collect<T>(api: Api, path: string, params: Params, cap: number): Promise<{ rows: T[]; capped: boolean }> {
  const rows: T[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page: Page<T> = await api.get<Page<T>>(path, { ...params, limit: 1000, cursor });
    rows.push(...page.data);
    if (!page.has_more) return { rows, capped: false };
    if (rows.length >= cap) return { rows, capped: true };
    cursor = page.next_cursor;
  }
}

/** An error as one line for the page: the server's message and the fields it names. */
export function describe(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 403 && error.message.includes("not a member")) return "You do not have access to this project.";
    return error.describe();
  }
  return error instanceof Error ? error.message : String(error);
}
