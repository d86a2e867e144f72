/**
 * Every widget lives in its own shadow root under one `<waypost-widget>` element, so the host
 * page's CSS cannot reach in (the element itself resets inherited styles inline, where even
 * `!important` page rules lose) and the widget's CSS cannot leak out. The definition's
 * `theme` becomes `--wp-*` custom properties on that element.
 */

import { h, Scope } from "./dom";
import type { DeliveredExperience, WidgetHost } from "./host";
import { direction, en, strings, translator, type Translate } from "./i18n";

const THEME_KEY = /^[a-z][a-z0-9-]{0,63}$/;

export interface Frame {
  box: HTMLDivElement;
  root: ShadowRoot;
  rtl: boolean;
  t: Translate;
  scope: Scope;
  /** Resolves once the stylesheet and the strings have loaded (the widget stays invisible
   * until then); `t` speaks the person's language from then on. */
  ready: Promise<void>;
}

function applyTheme(element: HTMLElement, theme: unknown): void {
  if (!theme || typeof theme !== "object") return;
  for (const [key, value] of Object.entries(theme)) {
    if (THEME_KEY.test(key) && typeof value === "string") {
      element.style.setProperty(`--wp-${key}`, value);
    }
  }
}

function stylesheet(host: WidgetHost, element: HTMLElement, scope: Scope): [HTMLLinkElement, Promise<void>] {
  const link = h("link", { rel: "stylesheet", href: `${host.assetsBase}widgets.css` });
  const ready = new Promise<void>((resolve) => {
    const show = (): void => {
      element.style.setProperty("visibility", "visible", "important");
      resolve();
    };
    scope.listen(link, "load", show);
    scope.listen(link, "error", () => {
      host.debug("widgets.css did not load", link.href);
      show();
    });
  });
  return [link, ready];
}

/** Create the widget's element, shadow root and themed, directed container. */
export function frame(experience: DeliveredExperience, host: WidgetHost, scope: Scope): Frame {
  const element = document.createElement("waypost-widget");
  element.setAttribute("data-type", experience.type);
  element.setAttribute("data-id", experience.id);
  element.style.cssText = "all:initial!important;visibility:hidden!important";
  applyTheme(element, experience.theme);
  const root = element.attachShadow({ mode: "open" });
  const dir = direction(host.locale);
  const box = h("div", { class: "wp", dir, lang: host.locale });
  const [link, styled] = stylesheet(host, element, scope);
  root.append(link, box);
  (document.body ?? document.documentElement).append(element);
  scope.add(() => element.remove());
  const view: Frame = { box, root, rtl: dir === "rtl", t: translator(en), scope, ready: styled };
  view.ready = Promise.all([styled, strings(host.locale)]).then(([, table]) => {
    view.t = translator(table);
  });
  return view;
}

/** Run `render` once the frame is ready, unless the widget was destroyed in the meantime. */
export function whenReady(view: Frame, render: () => void): void {
  void view.ready.then(() => {
    if (!view.scope.disposed) render();
  });
}
