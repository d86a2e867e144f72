// Settings: identity verification (with the server-side snippet), project-wide throttling,
// account-health weights and thresholds. Saved with PATCH /api/v1/project.

import { describe } from "../api";
import { card, h, notice, replace } from "../dom";
import { type Binder, type Doc, checkbox, numberInput } from "../form";
import type { PageContext } from "../router";

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

function healthSection(binder: Binder): HTMLElement {
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
    ...["frequency", "breadth", "depth", "sentiment"].map((name) => numberInput(binder, ["health", "weights", name], `Weight of ${name}`)),
    numberInput(binder, ["health", "thresholds", "green"], "Green from score"),
    numberInput(binder, ["health", "thresholds", "yellow"], "Yellow from score"),
    numberInput(binder, ["health", "window_days"], "Days of activity scored"),
    h("div", { class: "field" }, h("label", { for: "key-features" }, "Key features (event names, comma-separated)"), Object.assign(features, { id: "key-features" })),
  );
}

const EDITABLE = ["require_identity_verification", "throttle", "health"];

export async function renderSettings({ api, main, navigate, query }: PageContext): Promise<void> {
  const project = await api.get<{ name: string; settings: Doc }>("/api/v1/project");
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
      healthSection(binder),
      h("div", { class: "toolbar sticky" }, h("button", { type: "submit", class: "primary" }, "Save settings")),
    ),
    card("Keys", h("p", {}, "Write and secret keys are rotated with: waypost keys rotate --project <id>. The old keys keep working for the grace period.")),
  );
}
