// The gateway WebSocket: HELLO, heartbeat ACKs, IDENTIFY -> READY + GUILD_CREATEs, RESUME,
// member requests, and dispatching events to the identified sessions of the event's shard
// (every session, when none shards).
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type RawData, WebSocket, WebSocketServer } from "ws";
import { guildCreatePayload, readyPayload } from "./gateway-payloads.js";
import { apiMember } from "./payloads.js";
import { guildOfEvent, hears, parseShard, type ShardId } from "./shards.js";
import type { FakeState } from "./state.js";

const HEARTBEAT_INTERVAL_MS = 41_250;

interface Session {
  id: string;
  seq: number;
  intents: number;
  shard: ShardId;
  socket: WebSocket | null;
}

/** Discord's identify window: max_concurrency identifies per bucket in any 5 seconds. */
const IDENTIFY_WINDOW_MS = 5_000;

interface GatewayPayload {
  op: number;
  d?: unknown;
}

/** All gateway connections of one fake server. */
export class GatewayHub {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly sessions = new Map<string, Session>();

  /** Every identify, for tests of the identify limit. */
  private readonly identifyLog: { at: number; shard: ShardId; refused: boolean }[] = [];

  constructor(
    private readonly state: FakeState,
    private readonly gatewayUrl: () => string,
    /** Identifies allowed per 5 seconds in each bucket (shard_id % this): max_concurrency. */
    private readonly identifyConcurrency = 16,
  ) {
    this.wss.on("connection", (socket) => this.accept(socket));
  }

  /** Takes over an HTTP upgrade aimed at /gateway. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit("connection", ws, req));
  }

  /**
   * Sends an op 0 dispatch to every identified session of the event's shard: a guild's events
   * to the sessions whose shard is (guild_id >> 22) % num_shards, others to shard 0. With
   * `intent`, only sessions that identified with that intent bit get it, as Discord filters
   * MESSAGE_CREATE and friends.
   */
  dispatch(t: string, d: unknown, intent?: number): void {
    const guildId = guildOfEvent(t, d);
    for (const session of this.sessions.values()) {
      if (intent !== undefined && (session.intents & intent) === 0) continue;
      if (!hears(session.shard, guildId)) continue;
      this.send(session, t, d);
    }
  }

  /** Sends `text` as it is (a truncated or malformed frame) on every identified session's socket. */
  sendRaw(text: string): void {
    for (const session of this.sessions.values()) if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(text);
  }

  /** Identified sessions with an open socket: a dispatch now reaches that many clients. */
  identifiedClients(): number {
    return [...this.sessions.values()].filter((s) => s.socket?.readyState === WebSocket.OPEN).length;
  }

  /** The [shard_id, num_shards] of each identified session with an open socket. */
  identifiedShards(): ShardId[] {
    return [...this.sessions.values()].filter((s) => s.socket?.readyState === WebSocket.OPEN).map((s) => s.shard);
  }

  identifies(): { at: number; shard: ShardId; refused: boolean }[] {
    return [...this.identifyLog];
  }

  /** Open sockets, identified or not. */
  connectedClients(): number {
    return [...this.sockets].filter((s) => s.readyState === WebSocket.OPEN).length;
  }

  close(): void {
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
    this.sessions.clear();
    this.wss.close();
  }

  private accept(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on("close", () => {
      this.sockets.delete(socket);
      for (const session of this.sessions.values()) if (session.socket === socket) session.socket = null;
    });
    socket.on("message", (raw) => this.receive(socket, raw));
    socket.send(JSON.stringify({ op: 10, s: null, t: null, d: { heartbeat_interval: HEARTBEAT_INTERVAL_MS } }));
  }

  private receive(socket: WebSocket, raw: RawData): void {
    let payload: GatewayPayload;
    try {
      payload = JSON.parse(rawText(raw)) as GatewayPayload;
    } catch {
      socket.close(4002, "Decode error");
      return;
    }
    const d = (payload.d ?? {}) as Record<string, unknown>;
    switch (payload.op) {
      case 1:
        socket.send(JSON.stringify({ op: 11, s: null, t: null, d: null }));
        return;
      case 2:
        return this.identify(socket, d);
      case 6:
        return this.resume(socket, d);
      case 8:
        return this.requestMembers(socket, d);
      default:
        return; // presence and voice updates are accepted and ignored
    }
  }

  private identify(socket: WebSocket, d: Record<string, unknown>): void {
    if (typeof d.token !== "string" || d.token.length === 0) {
      socket.close(4004, "Authentication failed");
      return;
    }
    const shard = parseShard(d.shard);
    if (shard === "invalid") {
      socket.close(4010, "Invalid shard");
      return;
    }
    // At most max_concurrency identifies per 5 seconds, counted per bucket: one more is refused
    // with Invalid Session (not resumable), and the client must identify again later.
    const at = Date.now();
    const bucket = shard[0] % this.identifyConcurrency;
    const recent = this.identifyLog.filter((i) => !i.refused && i.shard[0] % this.identifyConcurrency === bucket && at - i.at < IDENTIFY_WINDOW_MS);
    const refused = recent.length >= 1;
    this.identifyLog.push({ at, shard, refused });
    if (refused) {
      socket.send(JSON.stringify({ op: 9, s: null, t: null, d: false }));
      return;
    }
    const session: Session = { id: randomBytes(16).toString("hex"), seq: 0, intents: Number(d.intents ?? 0), shard, socket };
    this.sessions.set(session.id, session);
    // A session is told of, and receives, only the guilds of its shard.
    const guilds = [...this.state.guilds.values()].filter((g) => hears(shard, g.id));
    this.send(session, "READY", readyPayload(this.state, session.id, this.gatewayUrl(), shard, guilds));
    for (const guild of guilds) this.send(session, "GUILD_CREATE", guildCreatePayload(this.state, guild));
  }

  private resume(socket: WebSocket, d: Record<string, unknown>): void {
    const session = typeof d.session_id === "string" ? this.sessions.get(d.session_id) : undefined;
    if (!session) {
      // Not resumable: the client starts over with IDENTIFY.
      socket.send(JSON.stringify({ op: 9, s: null, t: null, d: false }));
      return;
    }
    session.socket = socket;
    this.send(session, "RESUMED", null);
  }

  private requestMembers(socket: WebSocket, d: Record<string, unknown>): void {
    const session = [...this.sessions.values()].find((s) => s.socket === socket);
    if (!session) return;
    const guildIds = Array.isArray(d.guild_id) ? (d.guild_id as string[]) : [String(d.guild_id)];
    const wanted = d.user_ids === undefined ? undefined : ([] as string[]).concat(d.user_ids as string | string[]);
    const query = typeof d.query === "string" ? d.query.toLowerCase() : "";
    const limit = typeof d.limit === "number" && d.limit > 0 ? d.limit : Number.POSITIVE_INFINITY;
    for (const guildId of guildIds) {
      const members = [...(this.state.guild(guildId)?.members.values() ?? [])]
        .filter((m) => (wanted ? wanted.includes(m.user.id) : m.user.username.toLowerCase().startsWith(query)))
        .slice(0, limit);
      const notFound = wanted?.filter((id) => !members.some((m) => m.user.id === id)) ?? [];
      this.send(session, "GUILD_MEMBERS_CHUNK", {
        guild_id: guildId,
        members: members.map((m) => apiMember(m)),
        chunk_index: 0,
        chunk_count: 1,
        not_found: notFound,
        ...(d.nonce === undefined ? {} : { nonce: d.nonce }),
      });
    }
  }

  private send(session: Session, t: string, d: unknown): void {
    if (session.socket?.readyState !== WebSocket.OPEN) return;
    session.seq += 1;
    session.socket.send(JSON.stringify({ op: 0, t, s: session.seq, d }));
  }
}

function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString("utf8");
  return (raw instanceof ArrayBuffer ? Buffer.from(raw) : raw).toString("utf8");
}
