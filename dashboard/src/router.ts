// Paths under /dashboard, and links that move between pages without reloading.

import type { Api } from "./api";
import { h } from "./dom";

export const BASE = "/dashboard";

export interface PageContext {
  api: Api;
  main: HTMLElement;
  /** The path's parts after the page's own name. */
  params: string[];
  query: URLSearchParams;
  navigate: (path: string) => void;
  /** Run ``cleanup`` when the user leaves this page (for what lives outside ``main``). */
  onLeave: (cleanup: () => void) => void;
}

export function link(path: string, navigate: (path: string) => void, label: string): HTMLAnchorElement {
  const follow = (event: Event): void => {
    const mouse = event as MouseEvent;
    if (mouse.ctrlKey || mouse.metaKey || mouse.shiftKey || mouse.button !== 0) return;
    event.preventDefault();
    navigate(path);
  };
  return h("a", { href: `${BASE}${path}`, onclick: follow }, label);
}
