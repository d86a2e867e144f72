/** When to try a failed send again. */

export const BASE_DELAY_MS = 1000;
export const MAX_DELAY_MS = 5 * 60 * 1000;

/**
 * Exponential backoff with jitter: between half and all of `base × 2^attempt`, capped.
 * The jitter spreads the retries of many browsers after the collector comes back.
 */
export function backoff(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return ceiling / 2 + (random() * ceiling) / 2;
}

/** A `Retry-After` header (seconds, or an HTTP date) in milliseconds from `now`, capped. */
export function retryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const delay = isNaN(seconds) ? Date.parse(header) - now : seconds * 1000;
  // A date in the past gives a negative delay: no wait beyond the backoff's own.
  return isNaN(delay) ? undefined : Math.min(MAX_DELAY_MS, delay);
}
