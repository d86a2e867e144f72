/**
 * Waiting for a step's target: single-page apps often render it a moment after the tour
 * starts, so the document is watched (MutationObserver) for a bounded time before the step
 * is given up on.
 */

import type { Scope } from "./dom";

export const TARGET_WAIT_MS = 3000;

function find(selector: string): Element | null {
  try {
    return document.querySelector(selector);
  } catch {
    return null;
  }
}

/** The element `selector` names, once it exists, or null after `timeout` ms. */
export function waitFor(selector: string, scope: Scope, timeout = TARGET_WAIT_MS): Promise<Element | null> {
  const found = find(selector);
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      const element = find(selector);
      if (element) {
        observer.disconnect();
        resolve(element);
      }
    });
    observer.observe(document.documentElement, { childList: true, subtree: true });
    scope.add(() => observer.disconnect());
    scope.timer(() => {
      observer.disconnect();
      resolve(null);
    }, timeout);
  });
}
