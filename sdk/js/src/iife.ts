/**
 * The `<script>` build: `window.waypost` becomes the default instance, and the calls the
 * snippet's stub recorded before this script arrived are run in order.
 */

import { createWaypost } from "./client";
import { browser } from "./env";
import type { Waypost, WaypostOptions } from "./options";

type Stub = unknown[][] & { waypost?: boolean };

const win = browser() as (Window & { waypost?: Waypost | Stub }) | undefined;
if (win) {
  const stub = win.waypost;
  const instance = createWaypost();
  // The collector that serves this script is the default host.
  const script = win.document.currentScript as HTMLScriptElement | null;
  const origin = script?.src ? new URL(script.src).origin : undefined;
  const init = instance.init;
  instance.init = (options: WaypostOptions) => init({ ...options, host: options?.host || origin });
  win.waypost = instance;
  if (Array.isArray(stub)) {
    for (const [method, ...args] of stub) {
      (instance[method as keyof Waypost] as ((...args: unknown[]) => unknown) | undefined)?.(...args);
    }
  }
}
