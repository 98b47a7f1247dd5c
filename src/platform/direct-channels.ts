// Members' direct-message channels, remembered so that a second message to a member costs
// one request (the post) instead of two (open, then post). Kept in the DirectChannel table,
// so a restart or another process does not have to open them again, and in memory.
import type { Db } from "../db/database.js";

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
