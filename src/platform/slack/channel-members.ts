// Who is in each paid channel, read once from Slack and then kept current from
// member_joined_channel / member_left_channel and from Guildhall's own invites and kicks, so a
// sync sends only the invites and kicks that change something.
import type { webApi } from "@slack/bolt";

/** How long a channel's list is trusted without an event; a drift check reads it afresh anyway. */
const DEFAULT_TTL_MS = 60 * 60 * 1000;
const PAGE = 1000;

interface Entry {
  readonly at: number;
  readonly members: Promise<Set<string>>;
}

/** Members of private channels by channel id, for one bot token (one workspace). */
export class ChannelMembers {
  readonly #entries = new Map<string, Entry>();
  /** conversations.members calls made so far (a drift check reports its calls). */
  pagesRead = 0;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly ttlMs = DEFAULT_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The channel's members; rejects as conversations.members does (channel_not_found when the bot is outside a private channel). */
  get(channel: string): Promise<Set<string>> {
    const hit = this.#entries.get(channel);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.members;
    const members = this.#read(channel);
    this.#entries.set(channel, { at: this.now(), members });
    // A failed read is not remembered like an answer.
    members.catch(() => this.#entries.get(channel)?.members === members && this.#entries.delete(channel));
    return members;
  }

  /** Someone joined or left (an event, or Guildhall's own call): the kept list follows. */
  note(channel: string, user: string, present: boolean): void {
    const hit = this.#entries.get(channel);
    if (!hit) return;
    void hit.members.then((set) => (present ? set.add(user) : set.delete(user)), () => undefined);
  }

  /** Forgets a channel, so the next look reads it from Slack (the bot was removed, a drift check starts). */
  forget(channel?: string): void {
    if (channel === undefined) this.#entries.clear();
    else this.#entries.delete(channel);
  }

  async #read(channel: string): Promise<Set<string>> {
    const members = new Set<string>();
    let cursor: string | undefined;
    do {
      this.pagesRead += 1;
      const page = await this.client.conversations.members({ channel, limit: PAGE, ...(cursor ? { cursor } : {}) });
      for (const id of page.members ?? []) members.add(id);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return members;
  }
}
