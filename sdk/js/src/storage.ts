/**
 * Key-value stores that never throw: localStorage, a cookie jar, or memory. Browsers that
 * block storage throw on the first access (SecurityError) or on a write (QuotaExceeded);
 * the SDK then keeps working in memory.
 */

import { attempt, browser } from "./env";

/**
 * Members ending in "_" get short names in the bundles; get, set and keys share their names
 * with Map's and Object's, which the bundle spells anyway, so shortening them costs bytes.
 */
export interface Store {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove_(key: string): void;
  /** Every key (cookies, which hold only the identity, have none to list). */
  keys(): string[];
}

export function memoryStore(): Store {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key) ?? null,
    set: (key, value) => void values.set(key, value),
    remove_: (key) => void values.delete(key),
    keys: () => [...values.keys()],
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
    get: (key) => storage().getItem(key),
    set: (key, value) => storage().setItem(key, value),
    remove_: (key) => storage().removeItem(key),
    keys: () => Object.keys(storage()),
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
    get: read,
    set: (key, value) => write(key, value, 31536000),
    remove_: (key) => write(key, "", 0),
    keys: () => [],
  });
}

function guarded(store: Store): Store {
  return {
    get: (key) => attempt(() => store.get(key), null),
    set: (key, value) => attempt(() => store.set(key, value)),
    remove_: (key) => attempt(() => store.remove_(key)),
    keys: () => attempt(() => store.keys(), []),
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
