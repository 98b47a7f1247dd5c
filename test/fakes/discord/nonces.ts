// Discord's enforced nonces on message creation, as its API reference describes `enforce_nonce`:
// if true and a nonce is present, the nonce is checked for uniqueness in the past few minutes;
// if the same author created a message with the same nonce, that message is returned and no new
// one is created. "A few minutes" is all Discord promises, so the fake keeps two: code that
// passes against it does not lean on a longer window. Nonces are checked as Discord types them
// (a string of at most 25 characters, or an integer). The nonce is echoed on the created message
// and its MESSAGE_CREATE; the fake leaves it out of messages read back later (GET), so nothing
// tested here depends on finding it there.
import { formError } from "./api-errors.js";
import type { ApiMessage } from "./payloads.js";
import type { RouteResult } from "./router.js";

export const DEFAULT_NONCE_WINDOW_MS = 2 * 60_000;

/** Each author's recent nonces and the message created under each. */
export class NonceMemory {
  /** How long a nonce is remembered; a test may shorten it to see what happens after the window. */
  windowMs = DEFAULT_NONCE_WINDOW_MS;
  readonly #seen = new Map<string, { messageId: string; at: number }>();

  /** The message `authorId` created under `nonce` within the window, if any. */
  find(authorId: string, nonce: string | number, now = Date.now()): string | undefined {
    const seen = this.#seen.get(`${authorId}:${nonce}`);
    return seen && now - seen.at < this.windowMs ? seen.messageId : undefined;
  }

  remember(authorId: string, nonce: string | number, messageId: string, now = Date.now()): void {
    this.#seen.set(`${authorId}:${nonce}`, { messageId, at: now });
    // Forget what is past the window now and then, so a long test does not grow without end.
    if (this.#seen.size % 1000 === 0) for (const [key, seen] of this.#seen) if (now - seen.at >= this.windowMs) this.#seen.delete(key);
  }
}

/** An error answer for a nonce Discord would refuse. */
export function validateNonce(nonce: unknown): RouteResult | undefined {
  if (nonce === undefined || nonce === null || Number.isInteger(nonce)) return undefined;
  if (typeof nonce !== "string") return formError(["nonce"], "BASE_TYPE_BAD_TYPE", "Must be a string or an integer.");
  if (nonce.length > 25) return formError(["nonce"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
  return undefined;
}

/** A message as reads (GET) return it: without the nonce it was created with. */
export function asRead(message: ApiMessage): ApiMessage {
  if (message.nonce === undefined) return message;
  const { nonce: _nonce, ...read } = message;
  return read;
}
