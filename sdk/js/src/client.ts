/**
 * `createWaypost`: the public API of one instance. Every call is guarded, so a problem inside
 * the SDK is reported (in debug mode) and never thrown into the app; calls made before
 * `init` are kept and run by it, as the snippet's stub keeps them before the script loads.
 */

import { type Core, start } from "./core";
import { createEmitter } from "./emitter";
import { browser } from "./env";
import type { IdentifyOptions, Waypost, WaypostOptions } from "./options";
import type { Properties } from "./widget-host";

/** Calls kept before `init`; past this many, an app that never calls `init` is not leaking. */
export const MAX_EARLY_CALLS = 1000;

type Method = Exclude<keyof Core, "user" | "flush" | "show" | "destroy">;

export function createWaypost(options?: WaypostOptions): Waypost {
  /** Started by `init`; null once destroyed, for good. */
  let core: Core | null | undefined;
  let debugging = !!options?.debug;
  const early: [Method, unknown[]][] = [];
  const log = (message: string, detail?: unknown): void => {
    if (debugging) console.warn(`[waypost] ${message}`, detail ?? "");
  };
  const emitter = createEmitter((error) => log("listener failed", error));
  const fail = (error: unknown): void => {
    log("internal error", error);
    if (debugging) emitter.emit_("error", error);
  };
  const guard =
    <A extends unknown[], R>(action: (...args: A) => R, otherwise?: R) =>
    (...args: A): R | undefined => {
      try {
        return action(...args);
      } catch (error) {
        fail(error);
        return otherwise;
      }
    };
  const call =
    <A extends unknown[]>(method: Method) =>
    (...args: A): void => {
      if (core) (core[method] as (...args: A) => void)(...args);
      else if (core === undefined && early.length < MAX_EARLY_CALLS) early.push([method, args]);
    };

  const nobody = { anonymousId: "", traits: {} };
  const waypost = {
    init: guard((settings: WaypostOptions) => {
      if (core !== undefined || !browser()) return waypost;
      debugging ||= !!settings.debug;
      if (!settings.writeKey) throw new Error("no writeKey");
      core = start(settings, emitter, log);
      for (const [method, args] of early.splice(0)) guard(call(method))(...args);
      emitter.emit_("ready");
      return waypost;
    }),
    identify: guard((userId?: string | Properties | null, traits?: Properties, extra?: IdentifyOptions) => {
      const named = typeof userId === "string" && userId;
      const ownTraits = named ? traits : ((userId ?? traits) as Properties | undefined);
      call("identify")(named || undefined, ownTraits, extra);
    }),
    page: guard((name?: string | Properties, properties?: Properties) => {
      if (typeof name === "object") call("page")(undefined, name);
      else call("page")(name, properties);
    }),
    flush: () => core?.flush().catch(fail) ?? Promise.resolve(),
    on: guard(emitter.on),
    off: guard(emitter.off),
    debug: (enabled = true) => void (debugging = enabled),
    show: (id: string) => core?.show(id).catch(() => false) ?? Promise.resolve(false),
    user: guard(() => core?.user() ?? nobody, nobody),
    destroy: guard(() => {
      core?.destroy();
      core = null;
      early.length = 0;
    }),
  } as Waypost;
  // The calls that only pass their arguments on (or keep them until init).
  for (const method of ["track", "group", "alias", "reset", "optOut", "optIn", "consent"] as const) {
    waypost[method] = guard(call(method));
  }
  if (options) waypost.init(options);
  return waypost;
}
