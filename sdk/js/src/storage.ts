/**
 * Key-value stores that never throw: localStorage, a cookie jar, or memory. Browsers that
 * block storage throw on the first access (SecurityError) or on a write (QuotaExceeded);
 * the SDK then keeps working in memory.
 */

import { attempt, browser } from "./env";

export interface Store {
  get_(key: string): string | null;
  set_(key: string, value: string): void;
  remove_(key: string): void;
  /** Every key (cookies, which hold only the identity, have none to list). */
  keys_(): string[];
}

export function memoryStore(): Store {
  const values = new Map<string, string>();
  return {
    get_: (key) => values.get(key) ?? null,
    set_: (key, value) => void values.set(key, value),
    remove_: (key) => void values.delete(key),
    keys_: () => [...values.keys()],
  };
}

/** `storage` when it answers a write and a read, else undefined; every later call is guarded. */
export function webStore(storage: () => Storage): Store | undefined {
  try {
    const probe = "wp_probe";
    storage().setItem(probe, probe);
    storage().removeItem(probe);
  } catch {
    return undefined;
  }
  return guarded({
    get_: (key) => storage().getItem(key),
    set_: (key, value) => storage().setItem(key, value),
    remove_: (key) => storage().removeItem(key),
    keys_: () => Object.keys(storage()),
  });
}

/** Cookies on `domain` (e.g. ".example.com" so that subdomains share them), for a year. */
export function cookieStore(domain?: string): Store | undefined {
  const doc = browser()?.document;
  const write = (key: string, value: string, maxAge: number): void => {
    const secure = doc!.location.protocol === "https:" ? ";secure" : "";
    const scope = domain ? `;domain=${domain}` : "";
    doc!.cookie = `${key}=${encodeURIComponent(value)};path=/;max-age=${maxAge};samesite=lax${scope}${secure}`;
  };
  const read = (key: string): string | null => {
    const found = doc!.cookie.split(/;\s*/).find((pair) => pair.startsWith(`${key}=`));
    return found ? decodeURIComponent(found.slice(key.length + 1)) : null;
  };
  // No probe: with cookies refused, writes are ignored and reads find nothing, which is
  // what memory would do for the identity (kept in memory by its owner anyway).
  return doc && guarded({
    get_: read,
    set_: (key, value) => write(key, value, 31536000),
    remove_: (key) => write(key, "", 0),
    keys_: () => [],
  });
}

function guarded(store: Store): Store {
  return {
    get_: (key) => attempt(() => store.get_(key), null),
    set_: (key, value) => attempt(() => store.set_(key, value)),
    remove_: (key) => attempt(() => store.remove_(key)),
    keys_: () => attempt(() => store.keys_(), []),
  };
}

/** The first store that works; memory when the browser blocks them all. */
export function firstStore(...candidates: (() => Store | undefined)[]): Store {
  for (const candidate of candidates) {
    const store = attempt(candidate);
    if (store) return store;
  }
  return memoryStore();
}

export const localStore = (): Store | undefined =>
  browser() && webStore(() => browser()!.localStorage);
