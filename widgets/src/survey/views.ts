/**
 * The inputs of a survey card, built from the DOM only: a rating scale as a radio group with
 * labelled ends, a free-text answer, and single or multiple choices.
 */

import { check, radiogroup } from "../a11y";
import { h, uid, type Scope } from "../dom";
import type { Frame } from "../frame";
import type { Choice } from "./branching";
import type { Scale } from "./scale";
import { scores } from "./scale";

export interface RatingOptions {
  scale: Scale;
  labelId: string;
  low: string;
  high: string;
  /** Draw the scores as stars (CSAT 1–5) rather than numbers. */
  stars?: boolean;
  /** Called with a score when it is checked by an arrow key (`final` false) or clicked. */
  onPick: (score: number, final: boolean) => void;
}

/** A rating scale: one radio per score, arrow keys moving along it. */
export function rating(frame: Frame, scope: Scope, options: RatingOptions): HTMLElement {
  const { scale } = options;
  const values = scores(scale);
  const stars = options.stars === true;
  const group = h("div", { role: "radiogroup", class: stars ? "wp-scale wp-stars" : "wp-scale", "aria-labelledby": options.labelId });
  const pick = (index: number, final: boolean): void => {
    check(group, index);
    // Stars up to the one picked light up, as on a rating.
    group.querySelectorAll("button").forEach((radio, position) => radio.classList.toggle("wp-lit", position <= index));
    options.onPick(values[index]!, final);
  };
  values.forEach((score, index) => {
    const name = scale.binary ? (score ? options.high : options.low) : String(score);
    const radio = h(
      "button",
      { type: "button", role: "radio", "aria-checked": "false", "aria-label": stars ? name : null, tabindex: index ? -1 : 0 },
      stars ? "★" : name,
    );
    scope.listen(radio, "click", () => pick(index, true));
    group.append(radio);
  });
  radiogroup(group, scope, frame.rtl, (index) => pick(index, false));
  if (scale.binary) return group;
  const ends = h("div", { class: "wp-ends", "aria-hidden": "true" }, h("span", {}, options.low), h("span", {}, options.high));
  return h("div", {}, group, ends);
}

export function textAnswer(label: string, onInput: (value: string) => void, scope: Scope): HTMLElement {
  const id = uid("q");
  const area = h("textarea", { id, maxlength: 5000 });
  scope.listen(area, "input", () => onInput(area.value));
  return h("div", {}, h("label", { class: "wp-label", for: id }, label), area);
}

/** Choices as radios (single) or checkboxes (multiple); `onChange` gets the picked ids. */
export function choices(
  frame: Frame,
  scope: Scope,
  label: string,
  options: Choice[],
  multiple: boolean,
  onChange: (picked: string[]) => void,
): HTMLElement {
  const labelId = uid("c");
  const group = h("div", { role: multiple ? "group" : "radiogroup", class: "wp-choices", "aria-labelledby": labelId });
  const picked = new Set<string>();
  options.forEach((choice, index) => {
    const role = multiple ? "checkbox" : "radio";
    const item = h("button", { type: "button", role, class: "wp-choice", "aria-checked": "false", tabindex: multiple || !index ? 0 : -1 }, choice.label);
    scope.listen(item, "click", () => {
      if (!multiple) picked.clear();
      if (picked.has(choice.id)) picked.delete(choice.id);
      else picked.add(choice.id);
      if (multiple) item.setAttribute("aria-checked", String(picked.has(choice.id)));
      else check(group, index);
      onChange([...picked]);
    });
    group.append(item);
  });
  if (!multiple) {
    radiogroup(group, scope, frame.rtl, (index) => {
      check(group, index);
      onChange([options[index]!.id]);
    });
  }
  return h("div", {}, h("span", { class: "wp-label", id: labelId }, label), group);
}
