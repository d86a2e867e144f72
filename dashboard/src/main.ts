// Entry point: sign-in form or the app, depending on the session.

import { type Session, readSession } from "./api";
import { startApp } from "./app";
import { h, notice, replace } from "./dom";
import { renderSignIn } from "./pages/signin";
import { applyTheme } from "./theme";

const root = document.getElementById("app")!;

function signedIn(session: Session): void {
  startApp(root, session, () => renderSignIn(root, signedIn));
}

async function boot(): Promise<void> {
  applyTheme();
  try {
    const session = await readSession();
    if (session) signedIn(session);
    else renderSignIn(root, signedIn);
  } catch (error) {
    replace(root, h("main", { class: "solo" }, notice("error", `Waypost could not start: ${String(error)}`)));
  }
}

void boot();
