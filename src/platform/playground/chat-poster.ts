import { randomBytes } from "node:crypto";
import type { ChatPoster, Post, ThreadRef } from "../../core/chat.js";
import { renderMessage } from "./render.js";
import type { ChatOutput } from "./terminal.js";

/**
 * The playground's channels and threads are lines in the terminal: each post is printed
 * with where it went, e.g. `[#help thread “Why does this borrow fail?”]`. Thread ids are
 * stored with questions and reviews, so they must not repeat after a restart: each process
 * numbers its threads after a random run prefix (`pg-thread-k3f9a2-1`, `pg-thread-k3f9a2-2`).
 */
export class PlaygroundChatPoster implements ChatPoster {
  readonly platform = "playground";
  readonly #titles = new Map<string, string>();
  #next = 0;
  readonly #run = randomBytes(4).toString("hex").slice(0, 6);

  constructor(private readonly output: ChatOutput) {}

  async openThread(spaceId: string, channelId: string, title: string, message: Post, opts: { tags?: readonly string[] } = {}): Promise<ThreadRef> {
    const threadId = `pg-thread-${this.#run}-${++this.#next}`;
    this.#titles.set(threadId, title);
    const tags = opts.tags?.length ? ` [${opts.tags.join(", ")}]` : "";
    this.#print(`[#${channelId} new thread “${title}”${tags} (${threadId})]`, message);
    return { platform: "playground", spaceId, channelId, threadId };
  }

  async postInThread(thread: ThreadRef, message: Post): Promise<void> {
    this.#print(`[#${thread.channelId} thread “${this.#title(thread)}”]`, message);
  }

  async post(_spaceId: string, channelId: string, message: Post): Promise<void> {
    this.#print(`[#${channelId}]`, message);
  }

  async markSolved(thread: ThreadRef, note: Post): Promise<void> {
    this.#print(`[#${thread.channelId} thread “${this.#title(thread)}” ✅ solved]`, note);
  }

  #title(thread: ThreadRef): string {
    return this.#titles.get(thread.threadId) ?? thread.threadId;
  }

  #print(where: string, message: Post): void {
    this.output.write(`${[where, ...renderMessage(message).map((l) => `  ${l}`)].join("\n")}\n`);
  }
}
