// Members' direct-message channels, remembered so that a second message to a member costs
// one request (the post) instead of two (open, then post). Kept in the DirectChannel table,
// so a restart or another process does not have to open them again, and in memory. Both
// platforms' direct messengers send through sendInDirectChannel below.
import type { Db } from "../db/database.js";
import type { Logger } from "../log/logger.js";

/** Where a messenger remembers each member's DM channel on its platform. */
export interface DirectChannelCache {
  get(userId: string): Promise<string | undefined>;
  set(userId: string, channelId: string): Promise<void>;
  /** Forgets a channel the platform no longer knows. */
  delete(userId: string): Promise<void>;
}

/** The DirectChannel rows of one platform, with the latest `memoryLimit` lookups held in memory. */
export class DirectChannelStore implements DirectChannelCache {
  readonly #memory = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly platform: "discord" | "slack",
    private readonly memoryLimit = 50_000,
  ) {}

  async get(userId: string): Promise<string | undefined> {
    const known = this.#memory.get(userId);
    if (known !== undefined) return known;
    const row = await this.db.directChannel.findUnique({ where: { platform_userId: { platform: this.platform, userId } }, select: { channelId: true } });
    if (row) this.#remember(userId, row.channelId);
    return row?.channelId;
  }

  async set(userId: string, channelId: string): Promise<void> {
    this.#remember(userId, channelId);
    await this.db.directChannel.upsert({
      where: { platform_userId: { platform: this.platform, userId } },
      create: { platform: this.platform, userId, channelId },
      update: { channelId },
    });
  }

  async delete(userId: string): Promise<void> {
    this.#memory.delete(userId);
    await this.db.directChannel.deleteMany({ where: { platform: this.platform, userId } });
  }

  #remember(userId: string, channelId: string): void {
    this.#memory.delete(userId);
    this.#memory.set(userId, channelId);
    // A Map iterates in insertion order, so the first key is the least recently remembered.
    if (this.#memory.size > this.memoryLimit) this.#memory.delete(this.#memory.keys().next().value!);
  }
}

/** How one platform opens a member's DM channel and posts in it; the platform's retries live inside. */
export interface DirectChannelTransport<M> {
  /** Opens (or finds again) the member's DM channel and returns its id. */
  open(userId: string): Promise<string>;
  post(channelId: string, message: M): Promise<void>;
  /** Whether a failed post means the platform no longer knows the channel (then it is opened again, once). */
  isGone(error: unknown): boolean;
}

/** Which request a direct message was at when it failed, for the log line. */
export interface DirectSendProgress {
  step: "open" | "post";
}

/**
 * Posts `message` in the member's DM channel: the remembered one when there is one, else
 * (or when the platform no longer knows it) a freshly opened one, which is then remembered.
 * A cache that cannot be read or written only costs an open request, so its failures are
 * logged, never thrown. Platform failures are thrown for the messenger to classify;
 * `progress.step` says which request it was.
 */
export async function sendInDirectChannel<M>(
  userId: string,
  message: M,
  transport: DirectChannelTransport<M>,
  channels: DirectChannelCache | undefined,
  log: Logger,
  progress: DirectSendProgress = { step: "open" },
): Promise<void> {
  progress.step = "open";
  const cached = await remembered(channels, userId, log);
  if (cached !== undefined) {
    progress.step = "post";
    try {
      await transport.post(cached, message);
      return;
    } catch (error) {
      if (!transport.isGone(error)) throw error;
    }
    // The member's DM channel is gone (rare on both platforms): forget it and open it again, once.
    log.info({ userId, channelId: cached }, "remembered DM channel is gone; opening it again");
    await channels?.delete(userId).catch((error: unknown) => log.warn({ err: error, userId }, "could not forget a DM channel"));
    progress.step = "open";
  }
  const channelId = await transport.open(userId);
  await channels?.set(userId, channelId).catch((error: unknown) => log.warn({ err: error, userId }, "could not remember a DM channel"));
  progress.step = "post";
  await transport.post(channelId, message);
}

async function remembered(channels: DirectChannelCache | undefined, userId: string, log: Logger): Promise<string | undefined> {
  try {
    return await channels?.get(userId);
  } catch (error) {
    log.warn({ err: error, userId }, "could not read a remembered DM channel");
    return undefined;
  }
}
