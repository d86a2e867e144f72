/**
 * Where a popover goes beside its target: pure arithmetic over rectangles, so it is unit-tested
 * without a browser. `start`/`end` are logical (left/right in LTR, mirrored in RTL); a side
 * that would leave the viewport flips to the opposite one, then to the others.
 */

export type Placement = "auto" | "top" | "bottom" | "start" | "end";
export type Side = "top" | "bottom" | "left" | "right";
export interface Box {
  top: number;
  left: number;
  width: number;
  height: number;
}
export interface Size {
  width: number;
  height: number;
}
export interface Placed {
  side: Side;
  top: number;
  left: number;
}

export const GAP = 12;
export const MARGIN = 8;

const OPPOSITE: Record<Side, Side> = { top: "bottom", bottom: "top", left: "right", right: "left" };

/** The physical side of a logical placement in a writing direction. */
export function physical(placement: Exclude<Placement, "auto">, rtl: boolean): Side {
  if (placement === "start") return rtl ? "right" : "left";
  if (placement === "end") return rtl ? "left" : "right";
  return placement;
}

/** Sides to try in order: the wanted one, its opposite, then the rest. */
export function candidates(placement: Placement, rtl: boolean): Side[] {
  const first = physical(placement === "auto" ? "bottom" : placement, rtl);
  const rest: Side[] = ["bottom", "top", physical("end", rtl), physical("start", rtl)];
  return [...new Set([first, OPPOSITE[first], ...rest])];
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(value, Math.max(low, high)));
}

function onSide(side: Side, target: Box, box: Size): { top: number; left: number } {
  const centreX = target.left + target.width / 2 - box.width / 2;
  const centreY = target.top + target.height / 2 - box.height / 2;
  switch (side) {
    case "top":
      return { top: target.top - GAP - box.height, left: centreX };
    case "bottom":
      return { top: target.top + target.height + GAP, left: centreX };
    case "left":
      return { top: centreY, left: target.left - GAP - box.width };
    case "right":
      return { top: centreY, left: target.left + target.width + GAP };
  }
}

/** Whether the popover fits on `side` without crossing the viewport's edge (along its axis). */
export function fits(side: Side, target: Box, box: Size, viewport: Size): boolean {
  const { top, left } = onSide(side, target, box);
  if (side === "top" || side === "bottom") {
    return top >= MARGIN && top + box.height <= viewport.height - MARGIN;
  }
  return left >= MARGIN && left + box.width <= viewport.width - MARGIN;
}

/** The first side that fits (the wanted one when none does), kept inside the viewport. */
export function place(
  target: Box,
  box: Size,
  viewport: Size,
  placement: Placement,
  rtl: boolean,
): Placed {
  const sides = candidates(placement, rtl);
  const side = sides.find((candidate) => fits(candidate, target, box, viewport)) ?? sides[0]!;
  const { top, left } = onSide(side, target, box);
  return {
    side,
    top: clamp(top, MARGIN, viewport.height - box.height - MARGIN),
    left: clamp(left, MARGIN, viewport.width - box.width - MARGIN),
  };
}
