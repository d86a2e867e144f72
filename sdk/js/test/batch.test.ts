import assert from "node:assert/strict";
import { test } from "node:test";
import { batches, byteLength, type Message, takeBatch } from "../src/batch";

const message = (id: number, text = ""): Message => ({ type: "track", messageId: `m${id}`, event: "E", text });

test("byteLength counts UTF-8 bytes of ASCII, two- and three-byte characters", () => {
  assert.equal(byteLength("abc"), 3);
  assert.equal(byteLength("é"), 2);
  assert.equal(byteLength("ש"), 2);
  assert.equal(byteLength("欢"), 3);
});

test("byteLength never counts fewer bytes than UTF-8 has, emoji included", () => {
  const text = "a😀é欢";
  assert.ok(byteLength(text) >= Buffer.byteLength(text));
});

test("a batch stops at the count limit", () => {
  const all = Array.from({ length: 10 }, (_, i) => message(i));
  assert.deepEqual(takeBatch(all, 3, 1e6).map((m) => m.messageId), ["m0", "m1", "m2"]);
});

test("a batch stops before the message that would pass the byte limit", () => {
  const all = Array.from({ length: 10 }, (_, i) => message(i, "x".repeat(1000)));
  const batch = takeBatch(all, 100, 3500);
  assert.equal(batch.length, 3);
  assert.ok(byteLength(JSON.stringify(batch)) <= 3500);
});

test("a message larger than the byte limit still goes, alone", () => {
  const all = [message(0, "x".repeat(5000)), message(1)];
  assert.equal(takeBatch(all, 100, 1000).length, 1);
});

test("an empty queue gives an empty batch", () => {
  assert.deepEqual(takeBatch([], 10, 1000), []);
});

test("batches cover every message once, in order, each under the limits", () => {
  const all = Array.from({ length: 50 }, (_, i) => message(i, "y".repeat(i * 40)));
  const cut = batches(all, 8, 6000);
  assert.deepEqual(cut.flat(), all);
  for (const batch of cut) {
    assert.ok(batch.length <= 8);
    assert.ok(batch.length === 1 || byteLength(JSON.stringify(batch)) <= 6000);
  }
});
