// A gateway event discord.js cannot parse must not take the process down. discord.js builds
// its objects from each dispatch inside a WebSocket message handler, where an exception
// becomes an unhandled rejection: an interaction without `entitlements` (older captures,
// including Discord's own documentation examples) threw from `data.entitlements.reduce` and
// stopped the bot. discord.js offers no hook for this, so its packet entry point is wrapped:
// known gaps are filled in, and whatever still throws is logged and dropped.
import type { Client } from "discord.js";
import type { Logger } from "../../log/logger.js";

interface Packet {
  t?: unknown;
  d?: unknown;
}

type HandlePacket = (packet?: Packet, shard?: unknown) => boolean;

/** Fields an interaction cannot be answered without. */
const INTERACTION_REQUIRED = ["id", "token", "type", "application_id"] as const;

/**
 * The packet as discord.js can handle it, or a reason to drop it. Only interactions are
 * repaired: they are what members send, and fields Discord added later default to empty.
 */
export function normalisePacket(packet: Packet): { packet: Packet } | { drop: string } {
  if (packet.t !== "INTERACTION_CREATE") return { packet };
  const d = packet.d;
  if (typeof d !== "object" || d === null || Array.isArray(d)) return { drop: "interaction without a body" };
  const data = d as Record<string, unknown>;
  const missing = INTERACTION_REQUIRED.filter((field) => data[field] === undefined || data[field] === null);
  if (missing.length > 0) return { drop: `interaction without ${missing.join(", ")}` };
  if ((data.type === 2 || data.type === 3 || data.type === 4) && (typeof data.data !== "object" || data.data === null)) return { drop: "interaction without data" };
  return {
    packet: {
      ...packet,
      d: {
        ...data,
        entitlements: Array.isArray(data.entitlements) ? data.entitlements : [],
        authorizing_integration_owners: typeof data.authorizing_integration_owners === "object" && data.authorizing_integration_owners !== null ? data.authorizing_integration_owners : {},
      },
    },
  };
}

/** Wraps the client's packet handler; call once, before login. */
export function guardPackets(client: Client, log: Logger): void {
  // `handlePacket` is discord.js's internal dispatch entry (WebSocketManager), called for every
  // gateway event and for those it queued before READY.
  const ws = client.ws as unknown as { handlePacket: HandlePacket };
  const original = ws.handlePacket.bind(ws);
  ws.handlePacket = (packet, shard) => {
    if (!packet) return original(packet, shard);
    const checked = normalisePacket(packet);
    if ("drop" in checked) {
      log.warn({ event: String(packet.t), why: checked.drop }, "dropped a gateway event that could not be parsed");
      return true;
    }
    try {
      return original(checked.packet, shard);
    } catch (error) {
      log.warn({ err: error, event: String(packet.t) }, "dropped a gateway event that could not be parsed");
      return true;
    }
  };
}
