import assert from "node:assert/strict";
import { afterEach, beforeEach, mock, test } from "node:test";
import { MAX_EARLY_CALLS, createWaypost } from "../src/client";
import { installWindow, removeWindow } from "./fakes";

// A started instance looks for other tabs' queues every few seconds, for as long as it lives.
beforeEach(() => mock.timers.enable({ apis: ["setInterval"] }));
afterEach(() => {
  mock.timers.reset();
  removeWindow();
});

const flows = { flows: false } as const;
const sentBatch = (body: string): { event?: string; type: string }[] => JSON.parse(body).batch;

test("calls made before init are run by init, in order", async () => {
  const fake = installWindow();
  const waypost = createWaypost();
  waypost.identify("u1", { plan: "pro" });
  waypost.track("Early");
  waypost.init({ writeKey: "wk_1", host: "https://collector.test", ...flows });
  await waypost.flush();
  const batch = sentBatch(fake.fetched[0]!.body);
  assert.deepEqual(batch.map((m) => m.type), ["identify", "track"]);
  assert.equal(fake.fetched[0]!.url, "https://collector.test/v1/batch?writeKey=wk_1");
});

test("calls kept before init are bounded", () => {
  installWindow();
  const waypost = createWaypost();
  const seen: unknown[] = [];
  waypost.on("track", (message) => seen.push(message));
  for (let i = 0; i < MAX_EARLY_CALLS + 5; i++) waypost.track(`E${i}`);
  waypost.init({ writeKey: "wk_1", ...flows });
  assert.equal(seen.length, MAX_EARLY_CALLS);
});

test("init without a write key is reported, never thrown", () => {
  installWindow();
  const errors: unknown[] = [];
  const waypost = createWaypost();
  waypost.debug();
  waypost.on("error", (error) => errors.push(error));
  const original = console.warn;
  console.warn = () => undefined;
  try {
    assert.doesNotThrow(() => waypost.init({ writeKey: "" }));
  } finally {
    console.warn = original;
  }
  assert.equal(errors.length, 1);
});

test("a second init is ignored", async () => {
  const fake = installWindow();
  const waypost = createWaypost({ writeKey: "wk_1", host: "https://one.test", ...flows });
  waypost.init({ writeKey: "wk_2", host: "https://two.test" });
  waypost.track("E");
  await waypost.flush();
  assert.match(fake.fetched[0]!.url, /^https:\/\/one\.test/);
});

test("two instances keep their own visitors, queues and keys", async () => {
  const fake = installWindow();
  const one = createWaypost({ writeKey: "wk_1", host: "https://c.test", ...flows });
  const two = createWaypost({ writeKey: "wk_2", host: "https://c.test", ...flows });
  one.track("One");
  await one.flush();
  assert.notEqual(one.user().anonymousId, two.user().anonymousId);
  const mine = fake.fetched.filter((request) => request.url.startsWith("https://c.test/"));
  assert.equal(mine.length, 1);
  assert.equal(JSON.parse(mine[0]!.body).writeKey, "wk_1");
});

test("identify accepts traits alone", () => {
  installWindow();
  const waypost = createWaypost({ writeKey: "wk_1", ...flows });
  waypost.identify("u1");
  waypost.identify({ plan: "pro" });
  assert.deepEqual(waypost.user(), { anonymousId: waypost.user().anonymousId, userId: "u1", traits: { plan: "pro" } });
});

test("page accepts properties alone and adds the page's own", () => {
  installWindow();
  const waypost = createWaypost({ writeKey: "wk_1", ...flows });
  let page: { name?: string; properties: Record<string, unknown> } | undefined;
  waypost.on("track", (message) => (page = message));
  waypost.page({ section: "a" });
  assert.equal(page!.name, undefined);
  assert.equal(page!.properties.section, "a");
  assert.equal(page!.properties.path, "/reports");
});

test("a listener removed with off hears nothing more", () => {
  installWindow();
  const waypost = createWaypost({ writeKey: "wk_1", ...flows });
  let heard = 0;
  const listener = (): void => void heard++;
  waypost.on("track", listener);
  waypost.track("A");
  waypost.off("track", listener);
  waypost.track("B");
  assert.equal(heard, 1);
});

test("without a browser every call is a harmless no-op", async () => {
  const waypost = createWaypost({ writeKey: "wk_1" });
  waypost.track("Server side");
  assert.equal(await waypost.show("x"), false);
  await waypost.flush();
  assert.deepEqual(waypost.user(), { anonymousId: "", traits: {} });
});

test("once consent is denied, flows are not asked for again, even after an opt-in", async () => {
  const fake = installWindow();
  const waypost = createWaypost({ writeKey: "wk_1", host: "https://collector.test" });
  const settled = (): Promise<void> => new Promise((done) => setTimeout(done, 20));
  await settled();
  assert.ok(fake.fetched.some((request) => request.url.includes("/v1/flows")));
  waypost.consent("denied");
  const asked = fake.fetched.length;
  waypost.identify("another-user");
  waypost.optIn();
  await settled();
  assert.equal(fake.fetched.length, asked);
  assert.equal(await waypost.show("any"), false);
});
