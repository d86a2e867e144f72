/** The automatic `context` of every message: library, page, locale, screen, campaign. */

import { attempt, browser } from "./env";
import type { Properties } from "./widget-host";

export const LIBRARY = { name: "waypost.js", version: __VERSION__ };

declare const __VERSION__: string;

/** UTM parameters of a query string, named as Segment's `context.campaign` (campaign → name). */
export function campaign(search: string): Properties | undefined {
  const found: Properties = {};
  new URLSearchParams(search).forEach((value, name) => {
    const field = /^utm_(source|medium|campaign|term|content)$/i.exec(name)?.[1]!.toLowerCase();
    if (field) found[field === "campaign" ? "name" : field] = value;
  });
  return Object.keys(found).length ? found : undefined;
}

/** The page as Segment describes it (`context.page` and a page call's properties). */
export function pageFacts(): Properties {
  const win = browser();
  if (!win) return {};
  const { location, document } = win;
  return {
    path: location.pathname,
    referrer: document.referrer,
    search: location.search,
    title: document.title,
    url: location.href,
  };
}

export function browserLocale(option?: string): string {
  return option || browser()?.navigator.language || "en";
}

/**
 * The context of a message made now: what never changes on this page is read once, the
 * page and its campaign on every call (single-page apps change them).
 */
export function contextOf(locale: string): () => Properties {
  const win = browser();
  const fixed: Properties = { library: LIBRARY, locale };
  if (win) {
    fixed.userAgent = win.navigator.userAgent;
    fixed.screen = { width: win.screen.width, height: win.screen.height, density: win.devicePixelRatio };
    fixed.timezone = attempt(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  }
  let seen: string | undefined;
  let page: Properties = {};
  let utm: Properties | undefined;
  return () => {
    // This runs on every call, and reading the DOM costs more than the rest of it: the page
    // is read again only when its address or title changed.
    if (win && win.location.href + win.document.title !== seen) {
      seen = win.location.href + win.document.title;
      page = pageFacts();
      utm = campaign(win.location.search);
    }
    const facts: Properties = { ...fixed, page: { ...page } };
    if (utm) facts.campaign = utm;
    return facts;
  };
}
