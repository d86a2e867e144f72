import assert from "node:assert/strict";
import { afterEach, beforeEach, mock, test } from "node:test";
import type { Message } from "../src/batch";
import { type DeliveryOptions, MAX_BATCH_COUNT, createDelivery } from "../src/delivery";
import { createQueue } from "../src/queue";
import { type FakeWindow, installWindow, removeWindow } from "./fakes";

let fake: FakeWindow;
let events: { sent: string[]; rejected: string[]; retries: number[] };

beforeEach(() => {
  // Retries wait for minutes: the clock is the test's, and nothing is left running.
  mock.timers.enable({ apis: ["setTimeout", "Date"] });
  fake = installWindow();
  events = { sent: [], rejected: [], retries: [] };
});
afterEach(() => {
  removeWindow();
  mock.timers.reset();
});

const message = (id: string, extra: object = {}): Message => ({ type: "track", messageId: id, event: "E", ...extra });
const sentIds = (): string[][] =>
  fake.fetched.map((request) => JSON.parse(request.body).batch.map((m: Message) => m.messageId));

function setUp(ids: string[], overrides: Partial<DeliveryOptions> = {}) {
  const queue = createQueue("p_", 10_000);
  for (const id of ids) queue.add_(message(id));
  const delivery = createDelivery(queue, {
    url_: "https://collector.test/v1/batch",
    writeKey_: "wk_1",
    flushAt_: 20,
    flushInterval_: 1000,
    sent_: (messages) => events.sent.push(...messages.map((m) => m.messageId)),
    rejected_: (m) => events.rejected.push(m.messageId),
    retrying_: (delay) => events.retries.push(delay),
    ...overrides,
  });
  delivery.enabled_ = true;
  return { queue, delivery };
}

test("a flush sends the waiting messages in one batch to /v1/batch", async () => {
  const { queue, delivery } = setUp(["a", "b"]);
  await delivery.flush_();
  assert.deepEqual(sentIds(), [["a", "b"]]);
  assert.equal(fake.fetched[0]!.url, "https://collector.test/v1/batch");
  assert.deepEqual(queue.items_, []);
  assert.deepEqual(events.sent, ["a", "b"]);
});

test("small requests use keepalive so they outlive the page", async () => {
  const { delivery } = setUp(["a"]);
  await delivery.flush_();
  assert.equal(fake.fetched[0]!.keepalive, true);
});

test("a request too large for keepalive is sent without it", async () => {
  const { queue, delivery } = setUp([]);
  for (let i = 0; i < 5; i++) queue.add_(message(`m${i}`, { text: "x".repeat(20_000) }));
  await delivery.flush_();
  assert.equal(fake.fetched[0]!.keepalive, false);
});

test("a long queue goes in batches of at most a hundred, one after another", async () => {
  const ids = Array.from({ length: 250 }, (_, i) => `m${i}`);
  const { delivery } = setUp(ids);
  await delivery.flush_();
  assert.deepEqual(
    sentIds().map((batch) => batch.length),
    [MAX_BATCH_COUNT, MAX_BATCH_COUNT, 50],
  );
  assert.deepEqual(sentIds().flat(), ids);
});

test("a 500 keeps every message and schedules a retry", async () => {
  fake.answers.push({ status: 500 });
  const { queue, delivery } = setUp(["a"]);
  await delivery.flush_();
  assert.deepEqual(queue.items_.map((m) => m.messageId), ["a"]);
  assert.equal(events.retries.length, 1);
});

test("after a 500 the retry delivers each message once", async () => {
  fake.answers.push({ status: 500 });
  const { delivery } = setUp(["a", "b"]);
  await delivery.flush_();
  mock.timers.tick(events.retries[0]!);
  await delivery.flush_();
  assert.deepEqual(sentIds(), [["a", "b"], ["a", "b"]]);
  assert.deepEqual(events.sent, ["a", "b"]);
});

test("a network error keeps the messages for a retry", async () => {
  fake.answers.push(new TypeError("Failed to fetch"));
  const { queue, delivery } = setUp(["a"]);
  await delivery.flush_();
  assert.equal(queue.items_.length, 1);
  assert.equal(events.retries.length, 1);
});

test("each failure in a row waits longer", async () => {
  fake.answers.push({ status: 503 }, { status: 503 }, { status: 503 });
  const { delivery } = setUp(["a"]);
  for (let i = 0; i < 3; i++) {
    await delivery.flush_(true);
  }
  assert.ok(events.retries[2]! > events.retries[0]!);
});

test("a 429 waits at least as long as Retry-After says", async () => {
  fake.answers.push({ status: 429, headers: { "retry-after": "120" } });
  const { delivery } = setUp(["a"]);
  await delivery.flush_();
  assert.ok(events.retries[0]! >= 120_000);
});

test("during a backoff, a scheduled flush waits for its end", async () => {
  fake.answers.push({ status: 500 });
  const { delivery } = setUp(["a"]);
  await delivery.flush_();
  await delivery.flush_();
  assert.equal(fake.fetched.length, 1);
});

test("coming back online retries at once", async () => {
  fake.answers.push({ status: 503 });
  const { queue, delivery } = setUp(["a"]);
  await delivery.flush_();
  delivery.online_();
  await delivery.flush_();
  assert.deepEqual(queue.items_, []);
});

test("messages the collector names as rejected are dropped and reported; the rest are sent", async () => {
  fake.answers.push({ status: 200, body: { success: true, accepted: 1, rejected: [{ index: 1, messageId: "b", errors: {} }] } });
  const { queue, delivery } = setUp(["a", "b"]);
  await delivery.flush_();
  assert.deepEqual(queue.items_, []);
  assert.deepEqual(events.rejected, ["b"]);
  assert.deepEqual(events.sent, ["a"]);
});

test("a batch refused as a whole is sent again one message at a time to find the invalid one", async () => {
  fake.answers.push({ status: 400 }, { status: 200 }, { status: 422 }, { status: 200 });
  const { queue, delivery } = setUp(["a", "b", "c"]);
  await delivery.flush_();
  assert.deepEqual(sentIds(), [["a", "b", "c"], ["a"], ["b"], ["c"]]);
  assert.deepEqual(events.rejected, ["b"]);
  assert.deepEqual(events.sent, ["a", "c"]);
  assert.deepEqual(queue.items_, []);
});

test("after the invalid message is found, batches are whole again", async () => {
  fake.answers.push({ status: 400 }, { status: 413 }, { status: 200 });
  const { queue, delivery } = setUp(["a", "b"]);
  await delivery.flush_();
  queue.add_(message("c"));
  queue.add_(message("d"));
  await delivery.flush_();
  assert.deepEqual(sentIds().slice(-1), [["c", "d"]]);
});

test("a 401 keeps the messages: a fixed key delivers them later", async () => {
  fake.answers.push({ status: 401 });
  const { queue, delivery } = setUp(["a"]);
  await delivery.flush_();
  assert.equal(queue.items_.length, 1);
  assert.deepEqual(events.rejected, []);
});

test("a stopped delivery sends nothing", async () => {
  const { delivery } = setUp(["a"]);
  delivery.enabled_ = false;
  await delivery.flush_();
  delivery.added_();
  delivery.hide_();
  assert.equal(fake.fetched.length + fake.beacons.length, 0);
});

test("reaching flushAt sends at once", async () => {
  const { queue, delivery } = setUp([], { flushAt_: 2 });
  queue.add_(message("a"));
  delivery.added_();
  queue.add_(message("b"));
  delivery.added_();
  await delivery.flush_();
  assert.deepEqual(sentIds()[0], ["a", "b"]);
});

test("below flushAt, messages go after flushInterval", () => {
  const { queue, delivery } = setUp([]);
  queue.add_(message("a"));
  delivery.added_();
  assert.equal(fake.fetched.length, 0);
  mock.timers.tick(1000);
  assert.equal(fake.fetched.length, 1);
});

test("a hidden page hands the waiting messages to sendBeacon", () => {
  const { queue, delivery } = setUp(["a", "b"]);
  delivery.hide_();
  assert.deepEqual(JSON.parse(fake.beacons[0]!).batch.map((m: Message) => m.messageId), ["a", "b"]);
  assert.equal(JSON.parse(fake.beacons[0]!).writeKey, "wk_1");
  assert.deepEqual(queue.items_, []);
});

test("a beacon stays under the browser's 64 KB limit", () => {
  const { queue, delivery } = setUp([]);
  for (let i = 0; i < 10; i++) queue.add_(message(`m${i}`, { text: "x".repeat(20_000) }));
  delivery.hide_();
  assert.ok(fake.beacons.length >= 4);
  for (const body of fake.beacons) assert.ok(body.length < 64 * 1024);
});

test("messages a refused beacon did not take stay queued", () => {
  removeWindow();
  fake = installWindow({ beacon: false });
  const { queue, delivery } = setUp(["a"]);
  delivery.hide_();
  assert.equal(queue.items_.length, 1);
});

test("messages already on their way are not beaconed again", async () => {
  const { delivery } = setUp(["a"]);
  const sending = delivery.flush_();
  delivery.hide_();
  await sending;
  assert.deepEqual(fake.beacons, []);
});

test("while the collector is failing, beaconed messages are also kept for the next page", async () => {
  fake.answers.push({ status: 503 });
  const { queue, delivery } = setUp(["a"]);
  await delivery.flush_();
  delivery.hide_();
  assert.equal(fake.beacons.length, 1);
  assert.equal(queue.items_.length, 1);
});

test("a stopped delivery leaves no timer behind: neither the flush nor the retry comes", async () => {
  fake.answers.push({ status: 500 });
  const { queue, delivery } = setUp(["a"]);
  await delivery.flush_();
  queue.add_(message("b"));
  delivery.added_();
  delivery.stop_();
  mock.timers.tick(10 * 60 * 1000);
  await delivery.flush_();
  assert.equal(fake.fetched.length, 1);
});

test("an answer that comes after the stop waits for no retry", async () => {
  fake.answers.push({ status: 503 });
  const { delivery } = setUp(["a"]);
  const sending = delivery.flush_();
  delivery.stop_();
  await sending;
  mock.timers.tick(10 * 60 * 1000);
  assert.equal(fake.fetched.length, 1);
});
