/** Batches under the collector's limits (32 KB a message, 500 KB a request). */

export interface Message {
  type: string;
  messageId: string;
  [field: string]: unknown;
}

/** Kept under the collector's 32 KB so that a message is never refused for its size. */
export const MAX_MESSAGE_BYTES = 32 * 1024;
/** Under the collector's 500 KB, leaving room for the batch's own fields. */
export const MAX_BATCH_BYTES = 480 * 1024;
/** What browsers let `keepalive` fetches and beacons carry (64 KB), with room to spare. */
export const MAX_KEEPALIVE_BYTES = 60 * 1024;

/** UTF-8 length of `text`, counting a UTF-16 surrogate pair's 4 bytes as 6: an upper bound. */
export function byteLength(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 127) bytes += code > 2047 ? 2 : 1;
  }
  return bytes;
}

/**
 * The longest run of `messages` from the start whose JSON fits in `maxBytes` and
 * `maxCount`; always at least one message, since each one fits alone.
 */
export function takeBatch(messages: Message[], maxCount: number, maxBytes: number): Message[] {
  let bytes = 0;
  let count = 0;
  for (const message of messages) {
    bytes += byteLength(JSON.stringify(message)) + 1;
    if (count >= maxCount || (count > 0 && bytes > maxBytes)) break;
    count++;
  }
  return messages.slice(0, count);
}

/** `messages` cut into consecutive batches, each under the limits. */
export function batches(messages: Message[], maxCount: number, maxBytes: number): Message[][] {
  const all: Message[][] = [];
  for (let rest = messages; rest.length; ) {
    const batch = takeBatch(rest, maxCount, maxBytes);
    all.push(batch);
    rest = rest.slice(batch.length);
  }
  return all;
}
