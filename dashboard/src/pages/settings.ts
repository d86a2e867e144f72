// Settings: identity verification (with the server-side snippet), project-wide throttling,
// account-health weights and thresholds, saved with PATCH /api/v1/project; the project's
// keys, rotated with POST /api/v1/project/keys/rotate.

import { type Api, describe, type Schemas } from "../api";
import { card, field, h, notice, replace } from "../dom";
import { dateTime } from "../format";
import { type Binder, type Doc, checkbox, getPath, numberInput } from "../form";
import type { PageContext } from "../router";
import { dataTable } from "../table";

type KeyKind = "write" | "secret";

type ApiKey = Schemas["ApiKey"];
type Rotated = Schemas["RotatedKeys"];

const GRACE_PERIODS: [number, string][] = [
  [0, "none: it stops at once"],
  [3600, "1 hour"],
  [86400, "24 hours"],
  [7 * 86400, "7 days"],
];
const DEFAULT_GRACE = 86400;

const PYTHON_SNIPPET = `import hashlib, hmac, os

def identity_hash(user_id: str) -> str:
    secret = os.environ["WAYPOST_IDENTITY_SECRET"]  # from GET /api/v1/project, server-side only
    return hmac.new(secret.encode(), user_id.encode(), hashlib.sha256).hexdigest()`;

const NODE_SNIPPET = `const { createHmac } = require("node:crypto");
const identityHash = (userId) =>
  createHmac("sha256", process.env.WAYPOST_IDENTITY_SECRET).update(userId).digest("hex");
// in the page: waypost.identify(userId, traits, { identityHash })`;

function identitySection(binder: Binder): HTMLElement {
  return card(
    "Identity verification",
    h("p", {}, "When on, experiences are delivered to a signed-in user and their answers accepted only with the user id signed by your server, so nobody can read or answer as someone else."),
    checkbox(binder, ["require_identity_verification"], "Require identity verification"),
    h("p", {}, "Sign the user id on your server with the project's identity secret (never in the browser):"),
    h("pre", { class: "code" }, PYTHON_SNIPPET),
    h("pre", { class: "code" }, NODE_SNIPPET),
  );
}

function throttleSection(binder: Binder): HTMLElement {
  return card(
    "Throttling defaults",
    numberInput(binder, ["throttle", "max_per_session"], "New experiences per session, at most", "empty: no cap", null),
    numberInput(binder, ["throttle", "max_per_day"], "Per day, at most", "empty: no cap", null),
    numberInput(binder, ["throttle", "survey_gap_days"], "Days between two surveys for one user", "empty: no gap", null),
  );
}

function healthSection(binder: Binder, defaults: Doc): HTMLElement {
  const fallback = (path: string[]): string | undefined => {
    const value = getPath(defaults, ["health", ...path]);
    return value === undefined ? undefined : `default ${String(value)}`;
  };
  const features = h("input", { type: "text" });
  const current = (binder.doc["health"] as Doc | undefined)?.["key_features"];
  features.value = Array.isArray(current) ? current.join(", ") : "";
  features.addEventListener("input", () => {
    const health = ((binder.doc["health"] as Doc | undefined) ?? {}) as Doc;
    health["key_features"] = features.value.split(",").map((name) => name.trim()).filter(Boolean);
    binder.doc["health"] = health;
  });
  return card(
    "Account health",
    h("p", {}, "Relative weights of each component of the 0–100 score, and the floors of green and yellow."),
    ...["frequency", "breadth", "depth", "sentiment"].map((name) => numberInput(binder, ["health", "weights", name], `Weight of ${name}`, fallback(["weights", name]))),
    numberInput(binder, ["health", "thresholds", "green"], "Green from score", fallback(["thresholds", "green"])),
    numberInput(binder, ["health", "thresholds", "yellow"], "Yellow from score", fallback(["thresholds", "yellow"])),
    numberInput(binder, ["health", "window_days"], "Days of activity scored", fallback(["window_days"])),
    h("div", { class: "field" }, h("label", { for: "key-features" }, "Key features (event names, comma-separated)"), Object.assign(features, { id: "key-features" })),
  );
}

/** A new key is shown once, right after it is made, for the app's configuration. */
function keyNotice(kind: KeyKind, rotated: Rotated): HTMLElement {
  const ends = rotated.old_keys_expire_at;
  return h(
    "div",
    { class: "notice ok", role: "status" },
    h("p", {}, `New ${kind} key, shown only now: copy it into your app's configuration. The old key works until ${dateTime(ends)}.`),
    h("pre", { class: "code" }, rotated[`${kind}_key`] ?? ""),
  );
}

function keyTable(keys: ApiKey[]): HTMLElement {
  return dataTable(
    [
      { label: "Kind", value: (row) => row.kind },
      { label: "Key", value: (row) => `${row.prefix}…`, cell: (row) => h("code", {}, `${row.prefix}…`) },
      { label: "Created", value: (row) => row.created_at, cell: (row) => dateTime(row.created_at) },
      { label: "Works until", value: (row) => row.expires_at ?? "", cell: (row) => (row.expires_at ? dateTime(row.expires_at) : "current") },
    ],
    keys,
    { empty: "No keys." },
  );
}

function keysSection(api: Api): HTMLElement {
  const status = h("div", { class: "status" });
  const listing = h("div");
  const grace = h("select", {}, ...GRACE_PERIODS.map(([seconds, label]) => h("option", { value: seconds, selected: seconds === DEFAULT_GRACE }, label)));
  const load = async (): Promise<void> => {
    try {
      replace(listing, keyTable((await api.get<Schemas["ApiKeyList"]>("/api/v1/project/keys")).data));
    } catch (error) {
      replace(listing, notice("error", describe(error)));
    }
  };
  const rotate = async (kind: KeyKind): Promise<void> => {
    try {
      const rotated = await api.send<Rotated>("POST", "/api/v1/project/keys/rotate", { kinds: [kind], grace_seconds: Number(grace.value) });
      replace(status, keyNotice(kind, rotated));
      await load();
    } catch (error) {
      replace(status, notice("error", describe(error)));
    }
  };
  void load();
  return card(
    "Keys",
    h("p", {}, "The write key goes in your app's pages; the secret key stays on your servers. A rotated-out key keeps working for the grace period, so you can deploy the new one first."),
    listing,
    field("Old key keeps working for", grace),
    h(
      "div",
      { class: "toolbar" },
      h("button", { type: "button", onclick: () => void rotate("write") }, "Rotate write key"),
      h("button", { type: "button", class: "danger", onclick: () => void rotate("secret") }, "Rotate secret key"),
    ),
    status,
  );
}

const EDITABLE = ["require_identity_verification", "throttle", "health"];

export async function renderSettings({ api, main, navigate, query }: PageContext): Promise<void> {
  const project = await api.get<{ name: string; settings: Doc; defaults: Doc }>("/api/v1/project");
  const doc: Doc = Object.fromEntries(Object.entries(project.settings).filter(([key]) => EDITABLE.includes(key)));
  const binder: Binder = { doc, locales: () => ["en"], changed: () => undefined };
  const status = h("div", { class: "status" });
  if (query.get("saved")) replace(status, notice("ok", "Settings saved."));
  const save = async (event: Event): Promise<void> => {
    event.preventDefault();
    try {
      await api.send("PATCH", "/api/v1/project", { settings: doc });
      navigate("/settings?saved=1");
    } catch (error) {
      replace(status, notice("error", describe(error)));
    }
  };
  replace(
    main,
    h("h1", {}, `Settings of ${project.name}`),
    status,
    h(
      "form",
      { onsubmit: (event: Event) => void save(event) },
      identitySection(binder),
      throttleSection(binder),
      healthSection(binder, project.defaults),
      h("div", { class: "toolbar sticky" }, h("button", { type: "submit", class: "primary" }, "Save settings")),
    ),
    keysSection(api),
  );
}
