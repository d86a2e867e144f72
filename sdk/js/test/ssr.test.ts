import assert from "node:assert/strict";
import { test } from "node:test";

// The published module, as a server-side renderer imports it: no window, no document.
const published = new URL("../../dist/waypost.mjs", import.meta.url).href;

test("importing the published module without a browser touches nothing", async () => {
  const module = await import(published);
  assert.equal(typeof module.createWaypost, "function");
  assert.equal(module.default, module.waypost);
  assert.equal("window" in globalThis, false);
});

test("the default instance can be called during server-side rendering", async () => {
  const { waypost } = await import(published);
  assert.equal(waypost.init({ writeKey: "wk_1" }), waypost);
  assert.doesNotThrow(() => waypost.track("Rendered"));
});
