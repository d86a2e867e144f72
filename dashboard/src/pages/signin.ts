// The sign-in form.

import { type Session, describe, signIn } from "../api";
import { field, h, notice, replace } from "../dom";

export function renderSignIn(root: HTMLElement, done: (session: Session) => void): void {
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const status = h("div", { class: "status" });
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    replace(status);
    try {
      done(await signIn(email.value, password.value));
    } catch (error) {
      replace(status, notice("error", describe(error)));
    }
  };
  const form = h(
    "form",
    { class: "signin card", onsubmit: (event: Event) => void submit(event) },
    h("h1", {}, "Sign in to Waypost"),
    field("Email", email),
    field("Password", password),
    status,
    h("button", { type: "submit", class: "primary" }, "Sign in"),
  );
  document.title = "Sign in · Waypost";
  replace(root, h("main", { class: "solo" }, form));
  email.focus();
}
