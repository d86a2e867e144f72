/**
 * Browser globals, read only when called: importing the SDK during server-side rendering
 * (no `window`) must touch nothing.
 */

export type Win = Window & typeof globalThis;

export const browser = (): Win | undefined =>
  typeof window === "undefined" ? undefined : window;

/** Random bytes drawn at once (for 256 ids): one call into the browser, not one per id. */
const POOL_BYTES = 4096;
let pool = new Uint8Array();
let next = 0;

/**
 * A random UUID v4 from the browser's cryptographic generator. Every message needs one, and
 * a call into `crypto` per id costs more than all the rest of `track()`: the bytes of many
 * ids are drawn in one call.
 */
export function uuid(): string {
  if (next >= pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    next = 0;
  }
  pool[next + 6] = (pool[next + 6]! & 15) | 64;
  pool[next + 8] = (pool[next + 8]! & 63) | 128;
  let id = "";
  for (let i = 0; i < 16; i++) {
    id += (i === 4 || i === 6 || i === 8 || i === 10 ? "-" : "") + (pool[next++]! + 256).toString(16).slice(1);
  }
  return id;
}

/** What `action` returns, or `otherwise` when it throws (blocked storage, odd browsers). */
export function attempt<T>(action: () => T): T | undefined;
export function attempt<T>(action: () => T, otherwise: T): T;
export function attempt<T>(action: () => T, otherwise?: T): T | undefined {
  try {
    return action();
  } catch {
    return otherwise;
  }
}

/** Parsed JSON, or undefined for anything that is not (storage another script wrote to). */
export const parse = <T>(text: string | null | undefined): T | undefined =>
  attempt(() => (text ? (JSON.parse(text) as T) : undefined));
