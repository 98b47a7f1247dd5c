import type { ChatPoster, Post, ThreadRef } from "../../src/core/chat.js";
import type { PlatformName } from "../../src/core/context.js";

export type RecordedPost =
  | { readonly kind: "thread"; readonly thread: ThreadRef; readonly title: string; readonly message: Post; readonly tags?: readonly string[] }
  | { readonly kind: "in-thread"; readonly thread: ThreadRef; readonly message: Post }
  | { readonly kind: "post"; readonly spaceId: string; readonly channelId: string; readonly message: Post }
  | { readonly kind: "solved"; readonly thread: ThreadRef; readonly message: Post };

/** A thread that was opened and then removed, with what it held. */
export type RemovedThread = { readonly thread: ThreadRef; readonly posts: readonly RecordedPost[] };

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

  /** Threads removed so far; their posts leave `posts`, as the thread leaves the platform. */
  readonly removed: RemovedThread[] = [];

  /** Removes the thread and every post in it, as the platforms do. */
  async removeThread(thread: ThreadRef): Promise<void> {
    const inThread = (p: RecordedPost) => "thread" in p && p.thread.threadId === thread.threadId;
    this.removed.push({ thread, posts: this.posts.filter(inThread) });
    this.posts.splice(0, this.posts.length, ...this.posts.filter((p) => !inThread(p)));
  }

  /** Texts of every post so far, oldest first. */
  texts(): string[] {
    return this.posts.map((p) => [p.kind === "thread" ? p.title : "", p.message.title ?? "", p.message.text ?? ""].filter(Boolean).join(" | "));
  }
}
