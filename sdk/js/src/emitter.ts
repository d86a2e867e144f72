/** Lifecycle events for `on`/`off`. A listener that throws never stops the others. */

// biome-ignore lint: listeners take whatever arguments their event carries.
export type Listener = (...args: any[]) => void;

/** `on` and `off` keep the names of the public calls they serve; `emit_` is shortened in the bundles. */
export interface Emitter {
  on(event: string, listener: Listener): void;
  off(event: string, listener: Listener): void;
  emit_(event: string, ...args: unknown[]): void;
}

export function createEmitter(failed: (error: unknown) => void): Emitter {
  const listeners = new Map<string, Set<Listener>>();
  return {
    on(event, listener) {
      listeners.set(event, (listeners.get(event) ?? new Set()).add(listener));
    },
    off(event, listener) {
      listeners.get(event)?.delete(listener);
    },
    emit_(event, ...args) {
      for (const listener of [...(listeners.get(event) ?? [])]) {
        try {
          listener(...args);
        } catch (error) {
          failed(error);
        }
      }
    },
  };
}
