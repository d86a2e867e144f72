import assert from "node:assert/strict";
import { test } from "node:test";
import { uuid } from "../src/env";

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("message ids are UUID v4 text", () => {
  for (let i = 0; i < 10; i++) assert.match(uuid(), V4);
});

test("message ids stay unique and well-formed across many draws of random bytes", () => {
  const ids = Array.from({ length: 2000 }, uuid);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id) => V4.test(id)));
});

test("message ids spread over every hex digit", () => {
  const digits = new Set(Array.from({ length: 200 }, uuid).join("").replaceAll("-", ""));
  assert.equal(digits.size, 16);
});
