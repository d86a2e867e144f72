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

export function fakeDocument(cookies = true): Document & { jar: Map<string, string> } {
  const jar = new Map<string, string>();
  return {
    jar,
    location: { protocol: "https:" },
    referrer: "",
    title: "Test page",
    visibilityState: "visible",
    addEventListener: () => undefined,
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
  } as unknown as Document & { jar: Map<string, string> };
}

export interface FakeWindow {
  localStorage: Storage;
  document: ReturnType<typeof fakeDocument>;
  beacons: string[];
  fetched: Fetched[];
  answers: Answer[];
}

/** Install a fake `window` and `fetch`; the fetch answers from `answers` in turn, then 200. */
export function installWindow(options: { storage?: Storage; cookies?: boolean; beacon?: boolean } = {}): FakeWindow {
  const fake: FakeWindow = {
    localStorage: options.storage ?? fakeStorage(),
    document: fakeDocument(options.cookies ?? true),
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
      history: { pushState: () => undefined, replaceState: () => undefined },
      navigator: {
        language: "he-IL",
        userAgent: "node",
        sendBeacon: (_url: string, body: string) => options.beacon !== false && fake.beacons.push(body) > 0,
      },
      screen: { width: 1280, height: 800 },
      devicePixelRatio: 2,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
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

export const ticks = (): Promise<void> => new Promise((done) => setImmediate(done));
