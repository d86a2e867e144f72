/**
 * Which tabs are alive, through the Web Locks API: each tab holds a lock named after it for
 * its whole life, and the browser releases it when the tab closes or crashes.
 */

import { browser } from "./env";

const locks = (): LockManager | undefined => browser()?.navigator.locks;

export const supported = (): boolean => !!locks();

/** Hold `name` until the tab goes away or the function returned is called; `granted` runs once it is held. */
export function hold(name: string, granted: () => void): () => void {
  let release!: () => void;
  const released = new Promise<void>((done) => (release = done));
  void locks()?.request(name, () => {
    granted();
    return released;
  });
  return release;
}

/** The names of the locks held now by any tab of this origin. */
export async function heldLocks(): Promise<Set<string>> {
  const state = await locks()!.query();
  return new Set((state.held ?? []).map((lock) => lock.name ?? ""));
}

/** Run `action` while holding `name`: one tab at a time runs it. */
export async function exclusively(name: string, action: () => void): Promise<void> {
  const manager = locks();
  if (manager) await manager.request(name, action);
  else action();
}
