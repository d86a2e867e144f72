/**
 * The numbers of a survey: its scale, the NPS band of a score, the follow-up question that
 * band asks, and which built-in words label the scale's ends. Pure, so unit-tested.
 */

import type { Key } from "../i18n";

export interface Scale {
  min: number;
  max: number;
  binary: boolean;
}
export type Band = "detractor" | "passive" | "promoter";

const DEFAULT_MAX: Record<string, number> = { nps: 10, csat: 5, ces: 7 };

function whole(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) ? value : fallback;
}

/** The inclusive range a survey is answered on, as the collector checks it. */
export function scaleOf(type: string, scale: unknown): Scale {
  if (type === "nps") return { min: 0, max: 10, binary: false };
  const given = (scale && typeof scale === "object" ? scale : {}) as Record<string, unknown>;
  if (given.binary === true) return { min: 0, max: 1, binary: true };
  return { min: whole(given.min, 1), max: whole(given.max, DEFAULT_MAX[type] ?? 5), binary: false };
}

export function scores(scale: Scale): number[] {
  return Array.from({ length: scale.max - scale.min + 1 }, (_, index) => scale.min + index);
}

export function npsBand(score: number): Band {
  if (score <= 6) return "detractor";
  return score <= 8 ? "passive" : "promoter";
}

/** The follow-up asked after `score`: the NPS band's text, else the default, else none. */
export function followUpFor(type: string, score: number, followUp: unknown): string {
  const texts = (followUp && typeof followUp === "object" ? followUp : {}) as Record<string, unknown>;
  const banded = type === "nps" ? texts[npsBand(score)] : undefined;
  const chosen = typeof banded === "string" && banded ? banded : texts.default;
  return typeof chosen === "string" ? chosen : "";
}

/** Built-in words for the question (when the definition has none) and the scale's two ends. */
export function wordsFor(type: string): { question: Key | null; low: Key; high: Key } {
  if (type === "csat") return { question: "csat_q", low: "csat_low", high: "csat_high" };
  if (type === "ces") return { question: "ces_q", low: "ces_low", high: "ces_high" };
  return { question: null, low: "nps_low", high: "nps_high" };
}
