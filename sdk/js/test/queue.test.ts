import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import type { Message } from "../src/batch";
import { STALE_MS, createQueue } from "../src/queue";
import { memoryStore, type Store } from "../src/storage";
import { installLocks, installWindow, removeWindow, ticks } from "./fakes";

afterEach(removeWindow);

const message = (id: string): Message => ({ type: "track", messageId: id, event: "E" });
const ids = (messages: Message[]): string[] => messages.map((m) => m.messageId);

function countingStore(): Store & { writes: number } {
  const store = memoryStore();
  const counted = { ...store, writes: 0, set: (key: string, value: string) => (counted.writes++, store.set(key, value)) };
  return counted;
}

test("messages wait in the order they were added", () => {
  const queue = createQueue("p_", 10);
  queue.add_(message("a"));
  queue.add_(message("b"));
  assert.deepEqual(ids(queue.items_), ["a", "b"]);
});

test("past the size limit the oldest messages are dropped and returned", () => {
  const queue = createQueue("p_", 2);
  queue.add_(message("a"));
  queue.add_(message("b"));
  assert.deepEqual(ids(queue.add_(message("c"))), ["a"]);
  assert.deepEqual(ids(queue.items_), ["b", "c"]);
});

test("many calls in one task write storage once", async () => {
  const store = countingStore();
  const queue = createQueue("p_", 1000);
  await queue.attach_(store);
  await ticks();
  const before = store.writes;
  for (let i = 0; i < 500; i++) queue.add_(message(`m${i}`));
  await ticks();
  assert.equal(store.writes - before, 1);
});

test("nothing is stored before a store is attached", async () => {
  const store = countingStore();
  const queue = createQueue("p_", 10);
  queue.add_(message("a"));
  await ticks();
  await queue.attach_(store);
  await ticks();
  assert.equal(JSON.parse(store.get(store.keys()[0]!)!).m.length, 1);
});

test("an emptied queue leaves nothing in storage", async () => {
  const store = memoryStore();
  const queue = createQueue("p_", 10);
  await queue.attach_(store);
  queue.add_(message("a"));
  await ticks();
  queue.remove_(new Set(["a"]));
  await ticks();
  assert.deepEqual(store.keys(), []);
});

test("the queue of a page that crashed long ago is adopted, oldest first", async () => {
  let now = 0;
  const store = memoryStore();
  const crashed = createQueue("p_", 10, () => now);
  await crashed.attach_(store);
  crashed.add_(message("old"));
  await ticks();
  now = STALE_MS + 1;
  const next = createQueue("p_", 10, () => now);
  await next.attach_(store);
  next.add_(message("new"));
  assert.equal(await next.adopt_(), 1);
  assert.deepEqual(ids(next.items_), ["old", "new"]);
  assert.equal(store.keys().length, 1);
});

test("without Web Locks, a recently active tab keeps its queue", async () => {
  const store = memoryStore();
  const live = createQueue("p_", 10);
  await live.attach_(store);
  live.add_(message("a"));
  await ticks();
  const other = createQueue("p_", 10);
  await other.attach_(store);
  assert.equal(await other.adopt_(), 0);
});

test("with Web Locks, the queue of a live tab is never taken", async () => {
  installWindow();
  installLocks();
  const store = memoryStore();
  const live = createQueue("p_", 10);
  await live.attach_(store);
  live.add_(message("a"));
  await ticks();
  const other = createQueue("p_", 10);
  await other.attach_(store);
  assert.equal(await other.adopt_(), 0);
  assert.deepEqual(other.items_, []);
});

test("with Web Locks, the queue of a closed tab is adopted at once", async () => {
  installWindow();
  const locks = installLocks();
  const store = memoryStore();
  const closed = createQueue("p_", 10);
  await closed.attach_(store);
  closed.add_(message("a"));
  await ticks();
  const [key] = store.keys();
  locks.release(key!);
  await ticks();
  const other = createQueue("p_", 10);
  await other.attach_(store);
  assert.equal(await other.adopt_(), 1);
  assert.deepEqual(ids(other.items_), ["a"]);
});

test("an adopted message this tab already has is not taken twice", async () => {
  let now = 0;
  const store = memoryStore();
  const first = createQueue("p_", 10, () => now);
  await first.attach_(store);
  first.add_(message("a"));
  await ticks();
  now = STALE_MS + 1;
  const second = createQueue("p_", 10, () => now);
  second.add_(message("a"));
  await second.attach_(store);
  assert.equal(await second.adopt_(), 0);
  assert.deepEqual(ids(second.items_), ["a"]);
});

test("queues of other projects are left alone", async () => {
  let now = 0;
  const store = memoryStore();
  const other = createQueue("q_", 10, () => now);
  await other.attach_(store);
  other.add_(message("a"));
  await ticks();
  now = STALE_MS + 1;
  const mine = createQueue("p_", 10, () => now);
  await mine.attach_(store);
  assert.equal(await mine.adopt_(), 0);
});

test("a queue can rewrite its messages and be cleared", () => {
  const queue = createQueue("p_", 10);
  queue.add_(message("a"));
  queue.replace_((m) => ({ ...m, anonymousId: "x" }));
  assert.equal(queue.items_[0]!.anonymousId, "x");
  queue.clear_();
  assert.deepEqual(queue.items_, []);
});

test("a closed queue writes what waits at once and never again, and lets go of its lock", async () => {
  installWindow();
  installLocks();
  const store = countingStore();
  const queue = createQueue("p_", 10);
  await queue.attach_(store);
  queue.add_(message("a"));
  queue.close_();
  const key = store.keys()[0]!;
  assert.deepEqual(ids(JSON.parse(store.get(key)!).m), ["a"]);
  const writes = store.writes;
  queue.add_(message("b"));
  await ticks();
  assert.equal(store.writes, writes);
  const other = createQueue("p_", 10);
  await other.attach_(store);
  assert.equal(await other.adopt_(), 1);
});

test("a queue closed before its lock was granted never uses storage", async () => {
  installWindow();
  installLocks();
  // A browser grants a lock in a later task, not during the request.
  const locks = window.navigator.locks as unknown as { request(name: string, action: () => unknown): Promise<unknown> };
  const request = locks.request.bind(locks);
  locks.request = async (name, action) => {
    await ticks();
    return request(name, action);
  };
  const store = countingStore();
  const queue = createQueue("p_", 10);
  queue.add_(message("a"));
  const attached = queue.attach_(store);
  queue.close_();
  await attached;
  await ticks();
  await ticks();
  assert.deepEqual(store.keys(), []);
  assert.deepEqual((await window.navigator.locks.query()).held, []);
});
