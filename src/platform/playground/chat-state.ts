import { randomBytes } from "node:crypto";
import type { ReplyButton } from "../../core/reply.js";

/** A channel, or a thread inside one: where a playground member is, and where posts go. */
export interface Place {
  readonly channelId: string;
  /** Set inside a thread. */
  readonly thread?: PlaygroundThread;
}

export interface PlaygroundThread {
  readonly id: string;
  readonly channelId: string;
  readonly title: string;
  /** What members type to go there: `/open t1`. */
  readonly handle: string;
}

/** A member's message, kept so a message command (Accept answer) can be run on it. */
export interface PlaygroundMessage {
  readonly id: string;
  readonly handle: string;
  readonly place: Place;
  readonly author: { readonly id: string; readonly displayName: string };
  readonly text: string;
}

/** A button shown in the terminal, kept so `/press b1` can press it. */
export interface PlaygroundButton {
  readonly handle: string;
  readonly label: string;
  readonly action: string;
  readonly value: string;
  readonly place: Place;
}

/**
 * What the playground remembers about its chat while it runs: the threads opened, the
 * messages members posted and the buttons shown, each with a short handle members type
 * (`t1`, `m1`, `b1`), and the names behind member ids. Ids stored with questions and
 * reviews must not repeat after a restart, so they carry a random run prefix
 * (`pg-thread-k3f9a2-1`, `pg-msg-k3f9a2-1`); handles are only for this run.
 */
export class PlaygroundChatState {
  readonly #run = randomBytes(4).toString("hex").slice(0, 6);
  readonly #threads = new Map<string, PlaygroundThread>();
  readonly #messages = new Map<string, PlaygroundMessage>();
  readonly #buttons = new Map<string, PlaygroundButton>();
  readonly #names = new Map<string, string>();
  #counts = { thread: 0, message: 0, button: 0 };

  openThread(channelId: string, title: string): PlaygroundThread {
    const n = ++this.#counts.thread;
    const thread = { id: `pg-thread-${this.#run}-${n}`, channelId, title, handle: `t${n}` };
    this.#threads.set(thread.id, thread);
    return thread;
  }

  /** A thread by its id, or (typed by a member) by its handle or id. */
  thread(idOrHandle: string): PlaygroundThread | undefined {
    const key = idOrHandle.trim().toLowerCase();
    return this.#threads.get(idOrHandle) ?? [...this.#threads.values()].find((t) => t.handle === key || t.id === key);
  }

  /** Forgets a thread and what was posted and shown in it: `/open` no longer offers it. */
  removeThread(id: string): void {
    this.#threads.delete(id);
    const inThread = (place: Place) => place.thread?.id === id;
    for (const [key, message] of this.#messages) if (inThread(message.place)) this.#messages.delete(key);
    for (const [key, button] of this.#buttons) if (inThread(button.place)) this.#buttons.delete(key);
  }

  /** The newest threads first, for `/open` without a handle. */
  threads(): PlaygroundThread[] {
    return [...this.#threads.values()].reverse();
  }

  addMessage(place: Place, author: PlaygroundMessage["author"], text: string): PlaygroundMessage {
    const n = ++this.#counts.message;
    const message = { id: `pg-msg-${this.#run}-${n}`, handle: `m${n}`, place, author, text };
    this.#messages.set(message.handle, message);
    return message;
  }

  message(handle: string): PlaygroundMessage | undefined {
    return this.#messages.get(handle.trim().toLowerCase());
  }

  addButton(button: ReplyButton, place: Place): PlaygroundButton {
    const handle = `b${++this.#counts.button}`;
    const kept = { handle, label: button.label, action: button.action, value: button.value ?? "", place };
    this.#buttons.set(handle, kept);
    return kept;
  }

  /** A button by its handle (`b3`), or the newest one with that label (`rsvp`, `Claim`). */
  button(handleOrLabel: string): PlaygroundButton | undefined {
    const typed = handleOrLabel.trim().toLowerCase();
    return this.#buttons.get(typed) ?? [...this.#buttons.values()].reverse().find((b) => b.label.toLowerCase() === typed);
  }

  /** Remembers how a member is called, for private messages addressed by id. */
  rememberName(userId: string, displayName: string): void {
    this.#names.set(userId, displayName);
  }

  knows(userId: string): boolean {
    return this.#names.has(userId);
  }

  nameOf(userId: string): string {
    return this.#names.get(userId) ?? userId.replace(/^pg-/, "");
  }
}
