/**
 * DOM building without HTML parsing: every text goes through `textContent`, so titles,
 * bodies and answers from a definition can never become markup. `Scope` collects what a
 * widget adds (listeners, observers, timers, nodes) so `destroy()` removes all of it.
 */

export type Child = Node | string | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child) element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

/** A localised text as delivered: a string, or nothing usable. */
export function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** `value` as an absolute http(s) URL (resolved against `base` when given), else null. */
export function safeUrl(value: unknown, base?: string): string | null {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value, base);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

export function list<T = Record<string, unknown>>(value: unknown): T[] {
  return Array.isArray(value) ? (value.filter((entry) => entry && typeof entry === "object") as T[]) : [];
}

export class Scope {
  private readonly undo: (() => void)[] = [];
  private done = false;

  get disposed(): boolean {
    return this.done;
  }

  /** Run `cleanup` on disposal (at once when the scope is already disposed). */
  add(cleanup: () => void): void {
    if (this.done) cleanup();
    else this.undo.push(cleanup);
  }

  listen<E extends Event = Event>(
    target: EventTarget,
    type: string,
    handler: (event: E) => void,
    options?: AddEventListenerOptions,
  ): void {
    const listener = handler as EventListener;
    target.addEventListener(type, listener, options);
    this.add(() => target.removeEventListener(type, listener, options));
  }

  timer(callback: () => void, ms: number): void {
    const id = setTimeout(callback, ms);
    this.add(() => clearTimeout(id));
  }

  /** Run every cleanup, newest first, once. */
  dispose(): void {
    this.done = true;
    while (this.undo.length) this.undo.pop()?.();
  }
}

let counter = 0;

/** A document-unique id for aria-labelledby/-describedby inside one shadow root. */
export function uid(prefix: string): string {
  counter += 1;
  return `wp-${prefix}-${counter}`;
}
