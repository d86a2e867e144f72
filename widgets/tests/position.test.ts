import assert from "node:assert/strict";
import { test } from "node:test";

import { candidates, fits, physical, place, type Box } from "../src/position";

const viewport = { width: 1000, height: 800 };
const box = { width: 200, height: 100 };
const middle: Box = { top: 350, left: 450, width: 100, height: 40 };

test("start and end are left and right in LTR, mirrored in RTL", () => {
  assert.deepEqual([physical("start", false), physical("end", false)], ["left", "right"]);
  assert.deepEqual([physical("start", true), physical("end", true)], ["right", "left"]);
  assert.equal(physical("top", true), "top");
});

test("auto tries below, above, end, then start", () => {
  assert.deepEqual(candidates("auto", false), ["bottom", "top", "right", "left"]);
  assert.deepEqual(candidates("auto", true), ["bottom", "top", "left", "right"]);
});

test("a wanted side is tried first, then its opposite", () => {
  assert.deepEqual(candidates("end", false), ["right", "left", "bottom", "top"]);
  assert.deepEqual(candidates("top", false).slice(0, 2), ["top", "bottom"]);
});

test("below the target, centred on it", () => {
  assert.deepEqual(place(middle, box, viewport, "bottom", false), { side: "bottom", top: 402, left: 400 });
});

test("above the target, clear of it by the gap", () => {
  assert.deepEqual(place(middle, box, viewport, "top", false), { side: "top", top: 238, left: 400 });
});

test("at the end side: right in LTR, left in RTL", () => {
  assert.deepEqual(place(middle, box, viewport, "end", false), { side: "right", top: 320, left: 562 });
  assert.deepEqual(place(middle, box, viewport, "end", true), { side: "left", top: 320, left: 238 });
});

test("flips to the opposite side when the wanted one would leave the viewport", () => {
  const nearTop: Box = { top: 20, left: 450, width: 100, height: 40 };
  assert.equal(place(nearTop, box, viewport, "top", false).side, "bottom");
  const nearRight: Box = { top: 350, left: 900, width: 80, height: 40 };
  assert.equal(place(nearRight, box, viewport, "end", false).side, "left");
});

test("falls back to the next sides when neither the wanted nor its opposite fits", () => {
  const tall: Box = { top: 10, left: 100, width: 100, height: 780 };
  assert.equal(place(tall, box, viewport, "top", false).side, "right");
});

test("is kept inside the viewport along the other axis", () => {
  const nearLeft: Box = { top: 350, left: 0, width: 40, height: 40 };
  assert.equal(place(nearLeft, box, viewport, "bottom", false).left, 8);
  const nearBottom: Box = { top: 780, left: 450, width: 100, height: 10 };
  assert.equal(place(nearBottom, box, viewport, "end", false).top, 692);
});

test("keeps the wanted side when no side fits", () => {
  const tiny = { width: 150, height: 100 };
  const placed = place(middle, { width: 400, height: 400 }, tiny, "bottom", false);
  assert.deepEqual(placed, { side: "bottom", top: 8, left: 8 });
});

test("a side fits only when the whole popover stays inside the margins", () => {
  assert.equal(fits("bottom", middle, box, viewport), true);
  assert.equal(fits("left", { top: 0, left: 100, width: 10, height: 10 }, box, viewport), false);
});
