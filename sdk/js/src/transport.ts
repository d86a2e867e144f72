/** One batch request to `POST /v1/batch`, and what its answer means for the messages in it. */

import { retryAfter } from "./backoff";
import type { Message } from "./batch";
import { browser } from "./env";

export interface Rejection {
  index: number;
  messageId: string | null;
  errors: unknown;
}

/**
 * `sent`: stored, except the `rejected_` ones the collector named as invalid;
 * `invalid`: the whole request was refused as invalid (400, 413, 422);
 * `retry`: nothing was stored (network error, 408, 429, 5xx, or a key or route problem that
 * the app's owner can fix, so the messages are kept rather than thrown away).
 */
export type Outcome =
  | { kind_: "sent"; rejected_: Rejection[] }
  | { kind_: "invalid"; errors_: unknown }
  | { kind_: "retry"; reason_: unknown; after_?: number };

const INVALID = [400, 413, 422];

/**
 * The request body. `text/plain` with the write key inside is what `sendBeacon` sends, and
 * it spares every request a CORS preflight; `sentAt` lets the collector correct clock skew.
 */
export function payload(writeKey: string, batch: Message[], now: number): string {
  return JSON.stringify({ batch, sentAt: new Date(now).toISOString(), writeKey });
}

export function classify(status: number, retryAfterHeader: string | null, answer: unknown, now: number): Outcome {
  if (status >= 200 && status < 300) {
    const rejected = (answer as { rejected?: Rejection[] } | undefined)?.rejected;
    return { kind_: "sent", rejected_: Array.isArray(rejected) ? rejected : [] };
  }
  if (INVALID.includes(status)) return { kind_: "invalid", errors_: answer };
  return { kind_: "retry", reason_: status, after_: retryAfter(retryAfterHeader, now) };
}

export async function post(url: string, body: string, keepalive: boolean): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      body,
      keepalive,
      // A string body goes as text/plain, so no CORS preflight precedes it.
      credentials: "omit",
    });
  } catch (error) {
    return { kind_: "retry", reason_: error };
  }
  const answer: unknown = await response.json().catch(() => undefined);
  return classify(response.status, response.headers.get("retry-after"), answer, Date.now());
}

/** Hand `body` to the browser to deliver after the page is gone; false when it refuses. */
export function beacon(url: string, body: string): boolean {
  try {
    return !!browser()?.navigator.sendBeacon?.(url, body);
  } catch {
    return false;
  }
}
