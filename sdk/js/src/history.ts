/** Page views of single-page apps: the History API and the back button. */

import type { Win } from "./env";

/**
 * Call `changed` after every `pushState`/`replaceState` and `popstate` that changes the
 * path or query (not the hash alone), until `signal` aborts.
 */
export function watchHistory(win: Win, signal: AbortSignal, changed: () => void): void {
  const { history, location } = win;
  let last = location.pathname + location.search;
  const check = (): void => {
    const now = location.pathname + location.search;
    if (!signal.aborted && now !== last) {
      last = now;
      changed();
    }
  };
  for (const name of ["pushState", "replaceState"] as const) {
    const original = history[name];
    const wrapped = (history[name] = function (this: History, ...args: Parameters<History["pushState"]>) {
      original.apply(this, args);
      check();
    });
    // Wrapped again since (by a router, say), ours stays in the chain, only passing calls on.
    signal.addEventListener("abort", () => void (history[name] === wrapped && (history[name] = original)));
  }
  win.addEventListener("popstate", check, { signal });
}
