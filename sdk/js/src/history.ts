/** Page views of single-page apps: the History API and the back button. */

import type { Win } from "./env";

/**
 * Call `changed` after every `pushState`/`replaceState` and `popstate` that changes the
 * path or query (not the hash alone). It watches for the page's life, as the SDK runs.
 */
export function watchHistory(win: Win, changed: () => void): void {
  const { history, location } = win;
  let last = location.pathname + location.search;
  const check = (): void => {
    const now = location.pathname + location.search;
    if (now !== last) {
      last = now;
      changed();
    }
  };
  for (const name of ["pushState", "replaceState"] as const) {
    const original = history[name];
    history[name] = function (this: History, ...args: Parameters<History["pushState"]>) {
      original.apply(this, args);
      check();
    };
  }
  win.addEventListener("popstate", check);
}
