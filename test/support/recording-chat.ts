import type { ChatPoster, Post, ThreadRef } from "../../src/core/chat.js";
import type { PlatformName } from "../../src/core/context.js";

export type RecordedPost =
  | { readonly kind: "thread"; readonly thread: ThreadRef; readonly title: string; readonly message: Post; readonly tags?: readonly string[] }
  | { readonly kind: "in-thread"; readonly thread: ThreadRef; readonly message: Post }
  | { readonly kind: "post"; readonly spaceId: string; readonly channelId: string; readonly message: Post }
  | { readonly kind: "solved"; readonly thread: ThreadRef; readonly message: Post };

/**
 * A chat poster that remembers what it was asked to post, for service-level tests that are
 * not about a platform. Threads get ids `t1`, `t2`, ...
 */
export class RecordingChat implements ChatPoster {
  readonly posts: RecordedPost[] = [];
  #next = 0;

  constructor(readonly platform: PlatformName = "playground") {}

  async openThread(spaceId: string, channelId: string, title: string, message: Post, opts?: { tags?: readonly string[] }): Promise<ThreadRef> {
    const thread = { platform: this.platform, spaceId, channelId, threadId: `t${++this.#next}`, url: `https://chat.invalid/${channelId}/t${this.#next}` };
    this.posts.push({ kind: "thread", thread, title, message, ...(opts?.tags ? { tags: opts.tags } : {}) });
    return thread;
  }

  async postInThread(thread: ThreadRef, message: Post): Promise<void> {
    this.posts.push({ kind: "in-thread", thread, message });
  }

  async post(spaceId: string, channelId: string, message: Post): Promise<void> {
    this.posts.push({ kind: "post", spaceId, channelId, message });
  }

  async markSolved(thread: ThreadRef, message: Post): Promise<void> {
    this.posts.push({ kind: "solved", thread, message });
  }

  /** Texts of every post so far, oldest first. */
  texts(): string[] {
    return this.posts.map((p) => [p.kind === "thread" ? p.title : "", p.message.title ?? "", p.message.text ?? ""].filter(Boolean).join(" | "));
  }
}
