import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, test } from "node:test";
import { createWaypost } from "../src/client";
import type { Waypost } from "../src/options";
import { countTimers, type FakeWindow, installLocks, installWindow, removeWindow, ticks } from "./fakes";

// A stand-in widget module on disk, imported by the SDK as it imports the add-on's files.
const assets = mkdtempSync(join(tmpdir(), "waypost-widgets-"));
writeFileSync(
  join(assets, "tour.js"),
  "export function mount() { globalThis.widgets.mounted++; return { destroy() { globalThis.widgets.destroyed++; } }; }",
);
const widgets = (): { mounted: number; destroyed: number } =>
  (globalThis as unknown as { widgets: { mounted: number; destroyed: number } }).widgets;

const DELIVERED = {
  flows: [
    { id: "now", type: "tour", version: 1, trigger: { type: "page_load" } },
    { id: "later", type: "tour", version: 1, trigger: { type: "delay", seconds: 60 } },
  ],
  surveys: [],
};

let fake: FakeWindow;
let timers: ReturnType<typeof countTimers>;

beforeEach(() => {
  fake = installWindow();
  installLocks();
  timers = countTimers();
  (globalThis as unknown as { widgets: object }).widgets = { mounted: 0, destroyed: 0 };
  // GET /v1/flows delivers two tours; every batch is stored.
  const send = globalThis.fetch;
  globalThis.fetch = (async (url: string, init: RequestInit) =>
    url.includes("/v1/flows") ? new Response(JSON.stringify(DELIVERED)) : send(url, init)) as typeof fetch;
});
afterEach(() => {
  timers.restore();
  removeWindow();
});

const listening = (): number => fake.events.count() + fake.document.count();
const held = async (): Promise<string[]> =>
  ((await window.navigator.locks.query()).held ?? []).map((lock) => lock.name ?? "");

/** An instance with every listener and timer it can have: flows, page views, messages waiting. */
async function busy(): Promise<Waypost> {
  const waypost = createWaypost({
    writeKey: "wk_1",
    host: "https://collector.test",
    autoPage: true,
    flushAt: 1000,
    flushInterval: 60_000,
    widgetsBase: `${pathToFileURL(assets).href}/`,
  });
  await timers.wait(50);
  for (let i = 0; i < 150; i++) waypost.track(`Event ${i}`);
  await ticks();
  // Past 100 waiting messages, the queue is saved on a timer.
  waypost.track("Event 150");
  return waypost;
}

test("destroy removes every listener and timer the instance added", async () => {
  const { pushState, replaceState } = fake.history;
  const waypost = await busy();
  assert.ok(listening() >= 4);
  // The delayed tour, the flush, the queue's save, the look for other tabs' queues.
  assert.ok(timers.live() >= 4);
  waypost.destroy();
  assert.equal(listening(), 0);
  assert.equal(timers.live(), 0);
  assert.equal(fake.history.pushState, pushState);
  assert.equal(fake.history.replaceState, replaceState);
});

test("destroy takes down the widgets it mounted and lets go of the queue's lock", async () => {
  const waypost = await busy();
  assert.equal(widgets().mounted, 1);
  assert.ok((await held()).some((name) => name.startsWith("wp_wk_1_q_")));
  waypost.destroy();
  await ticks();
  assert.equal(widgets().destroyed, 1);
  assert.deepEqual(await held(), []);
});

test("what waits is handed to the browser when the instance is destroyed", async () => {
  const waypost = await busy();
  waypost.destroy();
  const beaconed = fake.beacons.flatMap((body) => JSON.parse(body).batch.map((m: { event?: string }) => m.event));
  assert.equal(beaconed.filter((event) => event?.startsWith("Event ")).length, 151);
});

test("after destroy every call does nothing and nothing more is sent", async () => {
  const waypost = await busy();
  waypost.destroy();
  const requests = fake.fetched.length;
  const heard: unknown[] = [];
  waypost.on("track", (message) => heard.push(message));
  waypost.track("After");
  waypost.identify("u1");
  waypost.consent("granted");
  waypost.init({ writeKey: "wk_2" });
  fake.history.pushState({}, "", "/elsewhere");
  for (const event of ["pagehide", "online", "popstate"]) fake.events.fire(event);
  await waypost.flush();
  await timers.wait(50);
  assert.deepEqual(heard, []);
  assert.equal(fake.fetched.length, requests);
  assert.equal(listening(), 0);
  assert.equal(timers.live(), 0);
  assert.deepEqual(waypost.user(), { anonymousId: "", traits: {} });
  assert.equal(await waypost.show("now"), false);
});

test("destroyed before init, an instance never starts", async () => {
  const waypost = createWaypost();
  waypost.track("Early");
  waypost.destroy();
  waypost.init({ writeKey: "wk_1" });
  await ticks();
  assert.equal(listening(), 0);
  assert.equal(fake.fetched.length, 0);
});

test("destroyed while its flows were on their way, an instance shows none of them", async () => {
  let answer = (): void => undefined;
  globalThis.fetch = (async () => {
    await new Promise<void>((done) => (answer = done));
    return new Response(JSON.stringify(DELIVERED));
  }) as typeof fetch;
  const waypost = createWaypost({ writeKey: "wk_1", widgetsBase: `${pathToFileURL(assets).href}/` });
  await timers.wait(10);
  waypost.destroy();
  answer();
  await timers.wait(50);
  assert.equal(widgets().mounted, 0);
  assert.equal(timers.live(), 0);
});
