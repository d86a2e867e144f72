import assert from "node:assert/strict";
import { test } from "node:test";
import { BASE_DELAY_MS, MAX_DELAY_MS, backoff, retryAfter } from "../src/backoff";

test("the first retry waits between half and all of the base delay", () => {
  assert.equal(backoff(0, () => 0), BASE_DELAY_MS / 2);
  assert.equal(backoff(0, () => 1), BASE_DELAY_MS);
});

test("each failure doubles the delay", () => {
  assert.equal(backoff(3, () => 1), BASE_DELAY_MS * 8);
});

test("the delay never exceeds the cap, however many failures", () => {
  assert.equal(backoff(60, () => 1), MAX_DELAY_MS);
});

test("jitter spreads retries across the window", () => {
  const delays = new Set(Array.from({ length: 20 }, () => backoff(4)));
  assert.ok(delays.size > 1);
  for (const delay of delays) assert.ok(delay >= 8 * BASE_DELAY_MS && delay <= 16 * BASE_DELAY_MS);
});

test("Retry-After in seconds is read as milliseconds", () => {
  assert.equal(retryAfter("7", 0), 7000);
});

test("Retry-After as an HTTP date counts from now", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(retryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now), 30_000);
});

test("Retry-After in the past asks for no wait", () => {
  assert.ok(retryAfter("Thu, 01 Jan 2026 00:00:00 GMT", Date.parse("2026-02-01T00:00:00Z"))! <= 0);
});

test("a missing or unreadable Retry-After is ignored", () => {
  assert.equal(retryAfter(null, 0), undefined);
  assert.equal(retryAfter("soon", 0), undefined);
});

test("a Retry-After longer than the cap is capped", () => {
  assert.equal(retryAfter("86400", 0), MAX_DELAY_MS);
});
