/** When a delivered experience is due: its trigger and the URL patterns of docs/experiences.md. */

export interface Trigger {
  type?: string;
  url?: string;
  event?: string;
  seconds?: number;
}

/**
 * A URL pattern against the page: the path, or the full URL when the pattern starts with
 * `http`; `*` matches any run of characters, everything else literally.
 */
export function urlMatches(pattern: string, href: string): boolean {
  const full = /^https?:\/\//.test(pattern);
  // As on the collector, a trailing "/" is not significant.
  const target = (full ? href : new URL(href).pathname).replace(/\/+$/, "");
  // Split on "*", so no part holds one to escape.
  const parts = (pattern.replace(/\/+$/, "") || "/").split("*");
  const compiled = new RegExp(`^${parts.map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return compiled.test(target || "/") || compiled.test(`${target}/`);
}

/** Whether a `page_load` trigger fires on `href`. */
export function onPage(trigger: Trigger, href: string): boolean {
  return (trigger.type ?? "page_load") === "page_load" && (!trigger.url || urlMatches(trigger.url, href));
}

/** Whether an `event` trigger fires on a track call named `event`. */
export function onEvent(trigger: Trigger, event: string): boolean {
  return trigger.type === "event" && trigger.event === event;
}

/** The delay of a `delay` trigger in milliseconds, or undefined for other triggers. */
export function delayOf(trigger: Trigger): number | undefined {
  return trigger.type === "delay" ? (Number(trigger.seconds) || 0) * 1000 : undefined;
}
