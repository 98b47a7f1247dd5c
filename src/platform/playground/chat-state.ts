import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
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

export interface PlaygroundChatStateOptions {
  /**
   * Where the chat is kept between runs (`playground-chat.json` in the data directory), so
   * threads, messages and buttons of an earlier run can still be opened, answered and pressed.
   */
  readonly file?: string;
}

/** How many messages and buttons the file keeps: the newest, enough for any story told by hand. */
const KEEP = 1000;

/**
 * What the playground remembers about its chat: the threads opened, the messages members
 * posted and the buttons shown, each with a short handle members type (`t1`, `m1`, `b1`), and
 * the names behind member ids. With a file, it is kept across restarts, as a platform keeps
 * its threads: `/open t1` opens a question asked in an earlier run, and new handles carry on
 * from the last (t2, not t1 again). Ids stored with questions and reviews must never repeat,
 * so they also carry a random prefix of the run that made them (`pg-thread-k3f9a2-1`).
 */
export class PlaygroundChatState {
  readonly #run = randomBytes(4).toString("hex").slice(0, 6);
  readonly #threads = new Map<string, PlaygroundThread>();
  readonly #messages = new Map<string, PlaygroundMessage>();
  readonly #buttons = new Map<string, PlaygroundButton>();
  readonly #names = new Map<string, string>();
  readonly #file: string | undefined;
  #counts = { thread: 0, message: 0, button: 0 };
  #saving: NodeJS.Immediate | undefined;

  constructor(opts: PlaygroundChatStateOptions = {}) {
    this.#file = opts.file;
    if (this.#file) this.#restore(this.#file);
  }

  openThread(channelId: string, title: string): PlaygroundThread {
    const n = ++this.#counts.thread;
    const thread = { id: `pg-thread-${this.#run}-${n}`, channelId, title, handle: `t${n}` };
    this.#threads.set(thread.id, thread);
    this.#changed();
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
    this.#changed();
  }

  /** The newest threads first, for `/open` without a handle. */
  threads(): PlaygroundThread[] {
    return [...this.#threads.values()].reverse();
  }

  addMessage(place: Place, author: PlaygroundMessage["author"], text: string): PlaygroundMessage {
    const n = ++this.#counts.message;
    const message = { id: `pg-msg-${this.#run}-${n}`, handle: `m${n}`, place, author, text };
    this.#messages.set(message.handle, message);
    this.#changed();
    return message;
  }

  message(handle: string): PlaygroundMessage | undefined {
    return this.#messages.get(handle.trim().toLowerCase());
  }

  addButton(button: ReplyButton, place: Place): PlaygroundButton {
    const handle = `b${++this.#counts.button}`;
    const kept = { handle, label: button.label, action: button.action, value: button.value ?? "", place };
    this.#buttons.set(handle, kept);
    this.#changed();
    return kept;
  }

  /** A button by its handle (`b3`), or the newest one with that label (`rsvp`, `Claim`). */
  button(handleOrLabel: string): PlaygroundButton | undefined {
    const typed = handleOrLabel.trim().toLowerCase();
    return this.#buttons.get(typed) ?? [...this.#buttons.values()].reverse().find((b) => b.label.toLowerCase() === typed);
  }

  /** Remembers how a member is called, for private messages addressed by id. */
  rememberName(userId: string, displayName: string): void {
    if (this.#names.get(userId) === displayName) return;
    this.#names.set(userId, displayName);
    this.#changed();
  }

  knows(userId: string): boolean {
    return this.#names.has(userId);
  }

  nameOf(userId: string): string {
    return this.#names.get(userId) ?? userId.replace(/^pg-/, "");
  }

  /** Writes what is not saved yet, now (at shutdown). */
  flush(): void {
    if (this.#saving) clearImmediate(this.#saving);
    this.#saving = undefined;
    if (this.#file) this.#save(this.#file);
  }

  /** Saves soon after a change; one line's many changes make one write. */
  #changed(): void {
    if (!this.#file || this.#saving) return;
    this.#saving = setImmediate(() => this.flush());
    this.#saving.unref();
  }

  #save(file: string): void {
    const place = (p: Place): SavedPlace => (p.thread ? { channelId: p.channelId, threadId: p.thread.id } : { channelId: p.channelId });
    const saved: Saved = {
      counts: this.#counts,
      threads: [...this.#threads.values()],
      messages: [...this.#messages.values()].slice(-KEEP).map((m) => ({ ...m, place: place(m.place) })),
      buttons: [...this.#buttons.values()].slice(-KEEP).map((b) => ({ ...b, place: place(b.place) })),
      names: [...this.#names],
    };
    mkdirSync(dirname(file), { recursive: true });
    // Atomically: a crash leaves the previous file whole.
    writeFileSync(`${file}.tmp`, JSON.stringify(saved));
    renameSync(`${file}.tmp`, file);
  }

  #restore(file: string): void {
    if (!existsSync(file)) return;
    let saved: Saved;
    try {
      saved = JSON.parse(readFileSync(file, "utf8")) as Saved;
    } catch {
      // Only handles and names are lost (the questions and reviews are in the database): start afresh.
      return;
    }
    for (const t of saved.threads ?? []) this.#threads.set(t.id, t);
    const place = (p: SavedPlace): Place => {
      const thread = p.threadId === undefined ? undefined : this.#threads.get(p.threadId);
      return thread ? { channelId: p.channelId, thread } : { channelId: p.channelId };
    };
    for (const m of saved.messages ?? []) this.#messages.set(m.handle, { ...m, place: place(m.place) });
    for (const b of saved.buttons ?? []) this.#buttons.set(b.handle, { ...b, place: place(b.place) });
    for (const [id, name] of saved.names ?? []) this.#names.set(id, name);
    this.#counts = { ...this.#counts, ...saved.counts };
  }
}

interface SavedPlace {
  readonly channelId: string;
  readonly threadId?: string;
}

/** The file's shape: places name their thread by id. */
interface Saved {
  readonly counts: { thread: number; message: number; button: number };
  readonly threads: readonly PlaygroundThread[];
  readonly messages: readonly (Omit<PlaygroundMessage, "place"> & { readonly place: SavedPlace })[];
  readonly buttons: readonly (Omit<PlaygroundButton, "place"> & { readonly place: SavedPlace })[];
  readonly names: readonly (readonly [string, string])[];
}
