/**
 * Browser globals, read only when called: importing the SDK during server-side rendering
 * (no `window`) must touch nothing.
 */

export type Win = Window & typeof globalThis;

export const browser = (): Win | undefined =>
  typeof window === "undefined" ? undefined : window;

/** A random UUID v4; `crypto.randomUUID` is missing outside secure contexts, so it is built there. */
export function uuid(): string {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 15) | 64;
  bytes[8] = (bytes[8]! & 63) | 128;
  const hex = Array.from(bytes, (b) => (b + 256).toString(16).slice(1)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** What `action` returns, or `otherwise` when it throws (blocked storage, odd browsers). */
export function attempt<T>(action: () => T, otherwise: T): T {
  try {
    return action();
  } catch {
    return otherwise;
  }
}

/** Parsed JSON, or undefined for anything that is not (storage another script wrote to). */
export const parse = <T>(text: string | null | undefined): T | undefined =>
  attempt(() => (text ? (JSON.parse(text) as T) : undefined), undefined);
