/**
 * Fakes of the browser APIs the SDK reads (storage, cookies, Web Locks, the network), for
 * node's test runner. The SDK's own modules are used as they are.
 */

export type Fetched = { url: string; body: string; keepalive: boolean };
type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | Error;

export function fakeStorage(blocked: "read" | "write" | false = false): Storage {
  const values = new Map<string, string>();
  const fail = (): never => {
    throw new DOMException("The operation is insecure.", "SecurityError");
  };
  const storage = {
    getItem: (key: string) => (blocked === "read" ? fail() : (values.get(key) ?? null)),
    setItem: (key: string, value: string) => (blocked ? fail() : void values.set(key, value)),
    removeItem: (key: string) => void values.delete(key),
    clear: () => values.clear(),
    key: (index: number) => [...values.keys()][index] ?? null,
    get length() {
      return values.size;
    },
  };
  // Object.keys(localStorage) lists the stored keys, as browsers do.
  return new Proxy(storage, {
    ownKeys: () => [...values.keys()],
    getOwnPropertyDescriptor: (_, key) =>
      values.has(key as string) ? { value: values.get(key as string), enumerable: true, configurable: true } : undefined,
  }) as unknown as Storage;
}

/** Event listeners as a browser keeps them: `removeEventListener` or an aborted `signal` removes one. */
export interface Listeners {
  addEventListener(type: string, listener: () => void, options?: { signal?: AbortSignal }): void;
  removeEventListener(type: string, listener: () => void): void;
  /** Call the listeners of `type`, as the browser does when the event happens. */
  fire(type: string): void;
  /** How many listeners are added and not removed. */
  count(): number;
}

export function listeners(): Listeners {
  const added = new Map<string, Set<() => void>>();
  const of = (type: string): Set<() => void> => added.get(type) ?? added.set(type, new Set()).get(type)!;
  return {
    addEventListener(type, listener, options) {
      if (options?.signal?.aborted) return;
      of(type).add(listener);
      options?.signal?.addEventListener("abort", () => of(type).delete(listener));
    },
    removeEventListener: (type, listener) => void of(type).delete(listener),
    fire: (type) => [...of(type)].forEach((listener) => listener()),
    count: () => [...added.values()].reduce((total, set) => total + set.size, 0),
  };
}

export function fakeDocument(cookies = true): Document & Listeners & { jar: Map<string, string> } {
  const jar = new Map<string, string>();
  return {
    ...listeners(),
    jar,
    location: { protocol: "https:" },
    referrer: "",
    title: "Test page",
    visibilityState: "visible",
    get cookie() {
      return [...jar].map(([key, value]) => `${key}=${value}`).join("; ");
    },
    set cookie(text: string) {
      if (!cookies) return;
      const [pair, ...attributes] = text.split(";");
      const [key, value] = pair!.split("=") as [string, string];
      if (attributes.includes("max-age=0")) jar.delete(key);
      else jar.set(key, value);
    },
  } as unknown as Document & Listeners & { jar: Map<string, string> };
}

export interface FakeWindow {
  localStorage: Storage;
  document: ReturnType<typeof fakeDocument>;
  /** The window's own listeners. */
  events: Listeners;
  history: { pushState(...args: unknown[]): void; replaceState(...args: unknown[]): void };
  beacons: string[];
  fetched: Fetched[];
  answers: Answer[];
}

/** Install a fake `window` and `fetch`; the fetch answers from `answers` in turn, then 200. */
export function installWindow(options: { storage?: Storage; cookies?: boolean; beacon?: boolean } = {}): FakeWindow {
  const fake: FakeWindow = {
    localStorage: options.storage ?? fakeStorage(),
    document: fakeDocument(options.cookies ?? true),
    events: listeners(),
    history: { pushState: () => undefined, replaceState: () => undefined },
    beacons: [],
    fetched: [],
    answers: [],
  };
  const href = "https://app.example.com/reports?utm_source=news";
  const location = new URL(href);
  Object.assign(globalThis, {
    window: {
      localStorage: fake.localStorage,
      document: fake.document,
      location,
      history: fake.history,
      navigator: {
        language: "he-IL",
        userAgent: "node",
        sendBeacon: (_url: string, body: string) => options.beacon !== false && fake.beacons.push(body) > 0,
      },
      screen: { width: 1280, height: 800 },
      devicePixelRatio: 2,
      ...fake.events,
    },
    fetch: async (url: string, init: RequestInit) => {
      fake.fetched.push({ url, body: String(init.body), keepalive: !!init.keepalive });
      const answer = fake.answers.shift() ?? { status: 200, body: { success: true, rejected: [] } };
      if (answer instanceof Error) throw answer;
      return new Response(JSON.stringify(answer.body ?? {}), { status: answer.status, headers: answer.headers });
    },
  });
  return fake;
}

export function removeWindow(): void {
  delete (globalThis as { window?: unknown }).window;
}

/** Web Locks as the browser keeps them: `release` is what closing the holding tab does. */
export function installLocks(): { release(name: string): void } {
  const held = new Map<string, () => void>();
  const locks = {
    async request(name: string, action: () => unknown) {
      if (held.has(name)) throw new Error(`fake locks: ${name} is already held`);
      let release = (): void => undefined;
      held.set(name, () => release());
      try {
        await Promise.race([action(), new Promise<void>((done) => (release = done))]);
      } finally {
        held.delete(name);
      }
    },
    query: async () => ({ held: [...held.keys()].map((name) => ({ name })) }),
  };
  (globalThis as unknown as { window: { navigator: object } }).window.navigator = {
    ...(globalThis as unknown as { window: { navigator: object } }).window.navigator,
    locks,
  };
  return { release: (name) => held.get(name)?.() };
}

/**
 * Timers counted from now on: `live` is how many were set and have neither fired nor been
 * cleared; `wait` sleeps without counting; `restore` puts the real functions back.
 */
export function countTimers(): { live(): number; wait(ms: number): Promise<void>; restore(): void } {
  const real = { setTimeout, clearTimeout, setInterval, clearInterval };
  const live = new Set<unknown>();
  Object.assign(globalThis, {
    setTimeout(action: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) {
      const id = real.setTimeout(() => {
        live.delete(id);
        action(...args);
      }, delay);
      live.add(id);
      return id;
    },
    clearTimeout(id: ReturnType<typeof setTimeout> | undefined) {
      live.delete(id);
      real.clearTimeout(id);
    },
    setInterval(action: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) {
      const id = real.setInterval(action, delay, ...args);
      live.add(id);
      return id;
    },
    clearInterval(id: ReturnType<typeof setInterval> | undefined) {
      live.delete(id);
      real.clearInterval(id);
    },
  });
  return {
    live: () => live.size,
    wait: (ms) => new Promise((done) => real.setTimeout(done, ms)),
    restore: () => void Object.assign(globalThis, real),
  };
}

export const ticks = (): Promise<void> => new Promise((done) => setImmediate(done));
