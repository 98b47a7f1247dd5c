import type { ChatPoster, Post, ThreadRef } from "../../core/chat.js";
import { PlaygroundChatState, type Place } from "./chat-state.js";
import { renderMessage } from "./render.js";
import type { ChatOutput } from "./terminal.js";

/**
 * The playground's channels and threads are lines in the terminal: each post is printed
 * with where it went, e.g. `[#general thread “Why does this borrow fail?”]`. A new thread
 * says how to go there (`/open t1`), and buttons say how to press them (`/press b1`).
 */
export class PlaygroundChatPoster implements ChatPoster {
  readonly platform = "playground";

  constructor(
    private readonly output: ChatOutput,
    readonly state: PlaygroundChatState = new PlaygroundChatState(),
  ) {}

  async openThread(spaceId: string, channelId: string, title: string, message: Post, opts: { tags?: readonly string[] } = {}): Promise<ThreadRef> {
    // Threads do not nest: one opened from inside a thread goes in that thread's channel.
    const channel = this.state.thread(channelId)?.channelId ?? channelId;
    const thread = this.state.openThread(channel, title);
    const tags = opts.tags?.length ? ` [${opts.tags.join(", ")}]` : "";
    this.#print(`[#${channel} new thread “${title}”${tags} · /open ${thread.handle} to go there]`, message, { channelId: channel, thread });
    return { platform: "playground", spaceId, channelId: channel, threadId: thread.id };
  }

  async postInThread(thread: ThreadRef, message: Post): Promise<void> {
    this.#print(`[${where(this.#place(thread))}]`, message, this.#place(thread));
  }

  async post(_spaceId: string, channelId: string, message: Post): Promise<void> {
    this.#print(`[#${channelId}]`, message, { channelId });
  }

  async markSolved(thread: ThreadRef, note: Post): Promise<void> {
    this.#print(`[${where(this.#place(thread))} ✅ solved]`, note, this.#place(thread));
  }

  async removeThread(thread: ThreadRef): Promise<void> {
    const place = this.#place(thread);
    this.state.removeThread(thread.threadId);
    this.output.write(`[${where(place)} removed: the question could not be recorded]\n`);
  }

  /** A thread the chat does not know (a playground without a data file, or one removed) is shown by its id. */
  #place(thread: ThreadRef): Place {
    const known = this.state.thread(thread.threadId);
    return { channelId: thread.channelId, thread: known ?? { id: thread.threadId, channelId: thread.channelId, title: thread.threadId, handle: thread.threadId } };
  }

  #print(heading: string, message: Post, place: Place): void {
    const lines = renderMessage(message, { handles: (b) => this.state.addButton(b, place).handle, nameOf: (id) => this.state.nameOf(id) });
    this.output.write(`${[heading, ...lines.map((l) => `  ${l}`)].join("\n")}\n`);
  }
}

/** `#general`, or `#general thread “Title”`. */
export function where(place: Place): string {
  return place.thread ? `#${place.channelId} thread “${place.thread.title}”` : `#${place.channelId}`;
}
