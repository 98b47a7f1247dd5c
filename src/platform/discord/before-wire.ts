// A step that runs between a request's turn at the pace and its going on the wire: the
// fan-out claims each direct message there (DeliveryQueue), so a message waiting for its turn
// holds no claim, and a process that dies leaves unconfirmed only the few requests it really
// had on the wire. discord.js gives its `makeRequest` no way to carry such a step with a
// request, so it travels as a ticket in a header of ours, taken off before the request leaves
// (createPacedRest); the step itself stays in this process's memory.

/** Resolves true to let the request go, false to drop it (another process has the message). */
export type BeforeWire = () => Promise<boolean>;

/** Thrown instead of sending when the step said no; permanent, never retried. */
export class NotSentByChoice extends Error {
  constructor() {
    super("the request was dropped before it went on the wire: another process has this message");
    this.name = "NotSentByChoice";
  }
}

const HEADER = "x-guildhall-before-wire";
const steps = new Map<string, BeforeWire>();
let nextTicket = 0;

/**
 * Headers for a discord.js request that runs `step` once its turn comes: on its first try
 * only (a retry after a 429 or a server error is the same message, already let through).
 * Call `forget` once the request settled, in case its turn never came.
 */
export function withBeforeWire(step: BeforeWire): { headers: Record<string, string>; forget: () => void } {
  const ticket = String((nextTicket += 1));
  steps.set(ticket, step);
  return { headers: { [HEADER]: ticket }, forget: () => steps.delete(ticket) };
}

/** Takes the ticket off `headers` (as discord.js hands them to makeRequest) and returns its step, if it still has one. */
export function takeBeforeWire(headers: unknown): BeforeWire | undefined {
  let ticket: string | null | undefined;
  if (headers instanceof Headers) {
    ticket = headers.get(HEADER);
    headers.delete(HEADER);
  } else if (headers && typeof headers === "object") {
    const record = headers as Record<string, string>;
    ticket = record[HEADER];
    delete record[HEADER];
  }
  if (!ticket) return undefined;
  const step = steps.get(ticket);
  steps.delete(ticket);
  return step;
}
