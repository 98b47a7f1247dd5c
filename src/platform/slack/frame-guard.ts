// A Socket Mode frame the client cannot handle must not take the process down. The socket-mode
// client parses each frame in an async WebSocket handler and reads `payload.event.type` of an
// events_api envelope without checking it is there: a frame of `null`, or an envelope without
// its event, rejected inside an event listener, an unhandled rejection that stopped the
// process (and the Discord adapter in it). Frames are checked before the client sees them;
// what does not have an envelope's shape is logged and dropped.
import type { SocketModeReceiver } from "@slack/bolt";
import type { Logger } from "../../log/logger.js";

/** Envelope types that carry a payload the app acts on. */
const PAYLOAD_TYPES = new Set(["events_api", "slash_commands", "interactive"]);

/** Why a frame cannot be handled, or undefined when it can (text that is not JSON is left to the client, which ignores it). */
export function frameProblem(text: string): string | undefined {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof frame !== "object" || frame === null || Array.isArray(frame)) return "a frame that is not an object";
  const { type, payload, envelope_id: envelopeId } = frame as { type?: unknown; payload?: unknown; envelope_id?: unknown };
  if (typeof type !== "string") return "a frame without a type";
  if (!PAYLOAD_TYPES.has(type)) return undefined;
  if (typeof envelopeId !== "string") return `a ${type} envelope without an envelope_id`;
  if (typeof payload !== "object" || payload === null) return `a ${type} envelope without a payload`;
  if (type === "events_api") {
    const event = (payload as { event?: unknown }).event;
    if (typeof event !== "object" || event === null || typeof (event as { type?: unknown }).type !== "string") return "an events_api envelope without an event type";
  }
  return undefined;
}

/** Checks every frame the receiver's socket-mode client gets; call once, before start. */
export function guardSocketFrames(receiver: SocketModeReceiver, log: Logger): void {
  const client = receiver.client;
  const emit = client.emit.bind(client);
  // The client hands each WebSocket frame to its own handler through this event.
  client.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
    if (event === "ws_message") {
      const [data, isBinary] = args;
      if (!isBinary) {
        const text = typeof data === "string" ? data : Buffer.isBuffer(data) ? data.toString("utf8") : new TextDecoder().decode(data as ArrayBuffer);
        const problem = frameProblem(text);
        if (problem) {
          log.warn({ why: problem, bytes: text.length }, "dropped a Slack frame that could not be handled");
          return true;
        }
      }
    }
    return emit(event, ...args);
  }) as typeof client.emit;
}
