/**
 * Which extra question comes next. A question's `next` maps a choice id (or `default`) to a
 * question id or `end`; without a rule the next question in order follows. The collector has
 * already checked that branches only go forward, so a survey always ends.
 */

export interface Choice {
  id: string;
  label: string;
}
export interface Question {
  id: string;
  type: "text" | "single_choice" | "multiple_choice";
  text: string;
  choices?: Choice[];
  next?: Record<string, string>;
}
export type Answer = string | string[];

export const END = -1;

function rule(question: Question, answer: Answer | undefined): string | undefined {
  const next = question.next ?? {};
  const picked = Array.isArray(answer) ? answer : question.type === "text" ? [] : [answer];
  const matched = picked.find((choice) => choice !== undefined && next[choice] !== undefined);
  return matched !== undefined ? next[matched] : next.default;
}

/** The index of the question after `index` given its answer, or `END`. */
export function nextIndex(questions: Question[], index: number, answer: Answer | undefined): number {
  const target = rule(questions[index]!, answer);
  if (target === undefined) return index + 1 < questions.length ? index + 1 : END;
  if (target === "end") return END;
  const found = questions.findIndex((question) => question.id === target);
  return found > index ? found : END;
}
