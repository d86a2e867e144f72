import assert from "node:assert/strict";
import { test } from "node:test";
import { classify, payload } from "../src/transport";

test("the body carries the batch, the write key and the time it was sent", () => {
  const body = JSON.parse(payload("wk_1", [{ type: "track", messageId: "a" }], Date.UTC(2026, 0, 2)));
  assert.deepEqual(body, {
    batch: [{ type: "track", messageId: "a" }],
    sentAt: "2026-01-02T00:00:00.000Z",
    writeKey: "wk_1",
  });
});

test("a 200 is sent, with the messages the collector named as rejected", () => {
  const rejected = [{ index: 1, messageId: "b", errors: { event: ["required"] } }];
  assert.deepEqual(classify(200, null, { success: true, accepted: 1, rejected }, 0), { kind_: "sent", rejected_: rejected });
});

test("a 200 without a readable body is sent with nothing rejected", () => {
  assert.deepEqual(classify(200, null, undefined, 0), { kind_: "sent", rejected_: [] });
});

for (const status of [400, 413, 422]) {
  test(`a ${status} refuses the request as invalid`, () => {
    assert.equal(classify(status, null, { error: {} }, 0).kind_, "invalid");
  });
}

for (const status of [408, 429, 500, 502, 503]) {
  test(`a ${status} is retried`, () => {
    assert.equal(classify(status, null, undefined, 0).kind_, "retry");
  });
}

for (const status of [401, 403, 404]) {
  test(`a ${status} keeps the messages for a retry, since the owner can fix the key or route`, () => {
    assert.equal(classify(status, null, undefined, 0).kind_, "retry");
  });
}

test("a 429 honours Retry-After", () => {
  assert.deepEqual(classify(429, "3", { error: {} }, 0), { kind_: "retry", reason_: 429, after_: 3000 });
});
