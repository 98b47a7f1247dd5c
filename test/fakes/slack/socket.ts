// Socket Mode on the fake: the WebSocket that apps.connections.open points at. Slack greets a
// client with "hello", pushes envelopes, and expects `{ envelope_id, payload }` back within 3 s.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import type { FakeSlackSocket, SocketAck, SocketEnvelope } from "./types.js";

/** The WebSocket path the fake serves; apps.connections.open answers a URL with it. */
export const SOCKET_PATH = "/socket";

interface PendingAck {
  resolve: (ack: SocketAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Accepts Socket Mode clients on an existing HTTP server's `upgrade` event. */
export class SocketModeServer implements FakeSlackSocket {
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #open: WebSocket[] = [];
  readonly #pending = new Map<string, PendingAck>();
  readonly #connectionWaiters = new Set<() => void>();

  constructor(private readonly appId: string) {
    this.#wss.on("connection", (ws) => this.#onConnection(ws));
  }

  /** Takes over an upgrade request for {@link SOCKET_PATH}; returns false for other paths. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (new URL(req.url ?? "/", "http://fake").pathname !== SOCKET_PATH) return false;
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#wss.emit("connection", ws, req));
    return true;
  }

  connected(): number {
    return this.#open.length;
  }

  waitForConnection(timeoutMs = 5000): Promise<void> {
    if (this.#open.length > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#connectionWaiters.delete(done);
        reject(new Error(`No Socket Mode connection within ${timeoutMs} ms (did the app call apps.connections.open on the fake?)`));
      }, timeoutMs);
      this.#connectionWaiters.add(done);
    });
  }

  send(envelope: SocketEnvelope, opts: { timeoutMs?: number } = {}): Promise<SocketAck> {
    const ws = this.#open.at(-1);
    if (!ws) return Promise.reject(new Error(`No Socket Mode client connected to receive a ${envelope.type} envelope`));
    const envelopeId = randomUUID();
    const timeoutMs = opts.timeoutMs ?? 3000;
    const message = {
      envelope_id: envelopeId,
      type: envelope.type,
      payload: envelope.payload,
      // Slack lets the ack carry a response only for commands and interactions.
      accepts_response_payload: envelope.type !== "events_api",
      ...(envelope.type === "events_api" ? { retry_attempt: 0, retry_reason: "" } : {}),
    };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(envelopeId);
        reject(new Error(`No ack for ${envelope.type} envelope ${envelopeId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(envelopeId, { resolve, reject, timer });
      ws.send(JSON.stringify(message), (error) => {
        if (!error) return;
        clearTimeout(timer);
        this.#pending.delete(envelopeId);
        reject(error);
      });
    });
  }

  sendRaw(text: string): void {
    for (const ws of this.#open) ws.send(text);
  }

  requestDisconnect(reason = "refresh_requested"): void {
    const message = JSON.stringify({ type: "disconnect", reason, debug_info: { host: "fake-slack" } });
    for (const ws of this.#open) ws.send(message);
  }

  /**
   * Closes every connection with a close handshake (a client that is itself disconnecting,
   * as after `app.stop()`, then sees a clean close rather than an error), drops those that do
   * not answer within `graceMs`, and fails acks still awaited.
   */
  async close(graceMs = 1000): Promise<void> {
    const closing = [...this.#wss.clients].map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === ws.CLOSED) return resolve();
          const timer = setTimeout(() => ws.terminate(), graceMs);
          ws.once("close", () => {
            clearTimeout(timer);
            resolve();
          });
          if (ws.readyState === ws.OPEN) ws.close(1001, "fake Slack closing");
        }),
    );
    await Promise.all(closing);
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`Fake Slack closed before envelope ${id} was acknowledged`));
    }
    this.#pending.clear();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #onConnection(ws: WebSocket): void {
    this.#open.push(ws);
    ws.on("close", () => {
      const index = this.#open.indexOf(ws);
      if (index !== -1) this.#open.splice(index, 1);
    });
    ws.on("error", () => ws.terminate());
    ws.on("message", (data, isBinary) => {
      if (!isBinary) this.#onMessage(data.toString());
    });
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: this.#open.length,
        debug_info: { host: "fake-slack", build_number: 1, approximate_connection_time: 3600 },
        connection_info: { app_id: this.appId },
      }),
    );
    for (const waiter of [...this.#connectionWaiters]) {
      this.#connectionWaiters.delete(waiter);
      waiter();
    }
  }

  #onMessage(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return; // a client never sends non-JSON text; ignore rather than crash the fake
    }
    const envelopeId = (message as { envelope_id?: unknown }).envelope_id;
    if (typeof envelopeId !== "string") return;
    const pending = this.#pending.get(envelopeId);
    if (!pending) return;
    this.#pending.delete(envelopeId);
    clearTimeout(pending.timer);
    pending.resolve(message as SocketAck);
  }
}
