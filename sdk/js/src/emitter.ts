/** Lifecycle events for `on`/`off`. A listener that throws never stops the others. */

// biome-ignore lint: listeners take whatever arguments their event carries.
export type Listener = (...args: any[]) => void;

export interface Emitter {
  on_(event: string, listener: Listener): void;
  off_(event: string, listener: Listener): void;
  emit_(event: string, ...args: unknown[]): void;
}

export function createEmitter(failed: (error: unknown) => void): Emitter {
  const listeners = new Map<string, Set<Listener>>();
  return {
    on_(event, listener) {
      listeners.set(event, (listeners.get(event) ?? new Set()).add(listener));
    },
    off_(event, listener) {
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
