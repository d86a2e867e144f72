/**
 * NPS, CSAT and CES surveys: the score (on one or two dimensions), the follow-up question its
 * band asks, extra questions with branching, then a thank-you. The answer is sent once, when
 * the person finishes or closes the card after scoring; closing before scoring dismisses.
 */

import { focusFirst, returnFocus, trap } from "./a11y";
import { h, list, Scope, text, type Child } from "./dom";
import { frame, whenReady, type Frame } from "./frame";
import type { DeliveredExperience, MountedWidget, Properties, WidgetHost } from "./host";
import { backdrop, button, card, type Card } from "./popover";
import { recorder, type Recorder } from "./record";
import { END, nextIndex, type Answer, type Question } from "./survey/branching";
import { followUpFor, scaleOf, wordsFor, type Scale } from "./survey/scale";
import { choices, rating, textAnswer } from "./survey/views";

/** How long the thank-you stays before the card closes itself. */
export const THANKS_MS = 4000;

class Survey {
  private readonly scale: Scale;
  private readonly dimensions: string[];
  private readonly questions: Question[];
  private readonly scores = new Map<string, number>();
  private readonly answers: Record<string, Answer> = {};
  private readonly record: Recorder;
  private readonly card: Card;
  private stage = new Scope();
  private followUp = "";
  private sent = false;

  constructor(
    private readonly experience: DeliveredExperience,
    private readonly host: WidgetHost,
    private readonly view: Frame,
    private readonly close: () => void,
  ) {
    this.scale = scaleOf(experience.type, experience.scale);
    const dimensions = Array.isArray(experience.dimensions) ? experience.dimensions.map(String) : [];
    this.dimensions = dimensions.length ? dimensions : [""];
    this.questions = list<Question>(experience.questions);
    this.record = recorder(experience, host);
    const words = wordsFor(experience.type);
    const modal = experience.position === "center";
    this.card = card(view, {
      title: text(experience.question) || (words.question ? view.t(words.question) : ""),
      modal,
      className: modal ? "wp-modal" : "wp-corner",
      onClose: () => this.dismiss(),
    });
    view.box.append(...(modal ? [backdrop(), this.card.dialog] : [this.card.dialog]));
    trap(this.card.dialog, view.scope, () => this.dismiss());
    view.scope.add(() => this.stage.dispose());
    // Scored but not finished when the page goes away: the score still counts.
    view.scope.add(() => this.send());
  }

  start(): void {
    this.record("Survey Shown");
    this.scoreStage();
  }

  /** Replace the card's inputs and buttons; focus the first input once visible. */
  private show(content: Child[], ...buttons: HTMLButtonElement[]): void {
    this.card.content.replaceChildren(...content.filter((node): node is Node | string => !!node));
    this.card.foot.replaceChildren(...buttons);
    focusFirst(this.card.content.firstElementChild ? this.card.content : this.card.dialog);
  }

  private nextStage(): Scope {
    this.stage.dispose();
    this.stage = new Scope();
    return this.stage;
  }

  private scoreStage(): void {
    const scope = this.nextStage();
    const { t } = this.view;
    const words = wordsFor(this.experience.type);
    const single = this.dimensions.length === 1;
    const send = button(t("send"), true, scope, () => this.afterScore());
    send.disabled = true;
    const groups = this.dimensions.map((dimension) => {
      const labelId = `${this.card.titleId}-${dimension || "score"}`;
      const label = dimension ? h("span", { class: "wp-label", id: labelId }, t(dimension === "service" ? "service" : "product")) : null;
      const input = rating(this.view, scope, {
        scale: this.scale,
        labelId: dimension ? labelId : this.card.titleId,
        low: t(this.scale.binary ? "no" : words.low),
        high: t(this.scale.binary ? "yes" : words.high),
        stars: this.experience.type === "csat" && !this.scale.binary && this.scale.max - this.scale.min === 4,
        onPick: (score, final) => {
          this.scores.set(dimension, score);
          send.disabled = this.scores.size < this.dimensions.length;
          if (single && final) this.afterScore();
        },
      });
      return h("div", { class: "wp-dim" }, label, input);
    });
    this.show(groups, ...(single ? [] : [send]));
  }

  private afterScore(): void {
    const score = this.scores.get(this.dimensions[0]!) ?? this.scale.min;
    const question = followUpFor(this.experience.type, score, this.experience.follow_up);
    if (!question) return this.ask(this.questions.length ? 0 : END);
    const scope = this.nextStage();
    const last = !this.questions.length;
    const next = button(this.view.t(last ? "send" : "next"), true, scope, () => this.ask(last ? END : 0));
    this.show([textAnswer(question, (value) => (this.followUp = value), scope)], next);
  }

  private ask(index: number): void {
    if (index === END) return this.finish();
    const scope = this.nextStage();
    const question = this.questions[index]!;
    const { t } = this.view;
    const label = text(question.text);
    const remember = (answer: Answer): void => {
      this.answers[question.id] = answer;
      next.textContent = t(nextIndex(this.questions, index, answer) === END ? "send" : "next");
    };
    const next = button(t(nextIndex(this.questions, index, undefined) === END ? "send" : "next"), true, scope, () =>
      this.ask(nextIndex(this.questions, index, this.answers[question.id])),
    );
    const input =
      question.type === "text"
        ? textAnswer(label, remember, scope)
        : choices(this.view, scope, label, list(question.choices), question.type === "multiple_choice", remember);
    this.show([input], next);
  }

  private finish(): void {
    this.send();
    this.nextStage().timer(this.close, THANKS_MS);
    const thanks = h("p", { class: "wp-thanks", role: "status" }, this.view.t("thanks"));
    this.card.content.replaceChildren(thanks);
    this.card.foot.replaceChildren();
    (this.card.dialog.querySelector(".wp-x") as HTMLElement | null)?.focus();
  }

  /** One `Survey Responded` per dimension; the texts travel with the last one. */
  private send(): void {
    if (this.sent || this.scores.size < this.dimensions.length) return;
    this.sent = true;
    this.dimensions.forEach((dimension, index) => {
      const properties: Properties = { score: this.scores.get(dimension), locale: this.host.locale };
      if (dimension) properties.dimension = dimension;
      if (index === this.dimensions.length - 1) {
        if (this.followUp.trim()) properties.text = this.followUp.trim();
        const answers = Object.entries(this.answers).filter(([, answer]) => answer.length);
        if (answers.length) properties.answers = Object.fromEntries(answers);
      }
      this.record("Survey Responded", properties);
    });
  }

  private dismiss(): void {
    if (this.scores.size >= this.dimensions.length) this.send();
    else this.record("Survey Dismissed");
    this.close();
  }
}

export function mount(experience: DeliveredExperience, host: WidgetHost): MountedWidget {
  const scope = new Scope();
  returnFocus(scope);
  const destroy = (): void => scope.dispose();
  const view = frame(experience, host, scope);
  whenReady(view, () => new Survey(experience, host, view, destroy).start());
  return { destroy };
}
