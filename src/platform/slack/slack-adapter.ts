import { App, type BlockAction, HTTPReceiver, type MessageShortcut, type RespondFn, type SlashCommand, SocketModeReceiver, type webApi } from "@slack/bolt";
import { parseActionId } from "../../core/action.js";
import type { ThreadMessage } from "../../core/chat.js";
import type { AccessSignal } from "../../core/platform-services.js";
import { type Clock, systemClock } from "../../core/services.js";
import type { Dispatcher } from "../../core/dispatch.js";
import type { Reply } from "../../core/reply.js";
import type { CommandRegistry } from "../../core/registry.js";
import type { HttpServer } from "../../http/http-server.js";
import type { Logger } from "../../log/logger.js";
import { type AnswerObserver, InFlight, type PlatformAdapter } from "../adapter.js";
import { SlackActorDirectory } from "./actor.js";
import { boltLogger } from "./bolt-logger.js";
import { guardSocketFrames } from "./frame-guard.js";
import { guardRequest } from "./request-guard.js";
import { invocationFrom } from "./command-input.js";
import { shortcutInput, threadMessageFrom } from "./message-input.js";
import { renderSlackMessage } from "./render.js";
import { openThread, sendDirectMessage, uploadImage } from "./side-effects.js";
import { InternalError } from "../../core/errors.js";

export type SlackConfig =
  | { readonly botToken: string; readonly mode: "socket"; readonly appToken: string; readonly apiUrl?: string }
  | { readonly botToken: string; readonly mode: "http"; readonly signingSecret: string; readonly apiUrl?: string };

export interface SlackAdapterOptions {
  readonly config: SlackConfig;
  readonly dispatcher: Dispatcher;
  readonly registry: CommandRegistry;
  readonly log: Logger;
  /** Where Slack's HTTP mode is served (required for mode "http"). */
  readonly http: HttpServer | undefined;
  /** Acknowledge with an empty response if the handler has not answered by then; Slack allows 3 s. */
  readonly ackAfterMs?: number;
  readonly onAnswered?: AnswerObserver;
  /** Called when someone joins the workspace, so access they are owed follows them in. */
  readonly onMemberJoined?: (teamId: string, userId: string, eventId?: string) => Promise<void>;
  /**
   * Called when someone joins or leaves a channel, or a channel is unarchived: paid channels'
   * member lists stay current, and what the bot could not do there is retried.
   */
  readonly onChannelEvent?: (event: SlackChannelEvent) => Promise<void>;
  /** Called for each reply someone other than Guildhall posts in a thread (Q&A counts replies). */
  readonly onThreadMessage?: (message: ThreadMessage) => Promise<void>;
  /** The time an interaction is stamped with (its `now`); the system clock by default. */
  readonly clock?: Clock;
}

/** A change of who is in a channel, or of whether it is archived. */
export interface SlackChannelEvent {
  readonly kind: "joined" | "left" | "unarchived";
  readonly teamId: string;
  readonly channel: string;
  /** Who joined or left; absent for an unarchive. */
  readonly user?: string;
  /** Whether that someone is Guildhall itself. */
  readonly isBot: boolean;
}

/** The event as the access capabilities hear it. */
export function accessSignalOf(e: SlackChannelEvent): AccessSignal {
  return { platform: "slack", spaceId: e.teamId, kind: e.kind, target: e.channel, ...(e.user ? { userId: e.user } : {}), isBot: e.isBot };
}

/** Slack posts commands and interactions here in HTTP mode. */
export const SLACK_EVENTS_PATH = "/slack/events";
const DEFAULT_ACK_AFTER_MS = 1500;
const RECEIVED_AT = Symbol("guildhall.receivedAt");

/** Serves the command registry on Slack through Bolt, in Socket Mode or HTTP mode. */
export class SlackAdapter implements PlatformAdapter {
  readonly name = "slack";
  readonly #app: App;
  readonly #receiver: HTTPReceiver | SocketModeReceiver;
  readonly #inFlight = new InFlight();
  readonly #actors: SlackActorDirectory;
  #status: "starting" | "ready" | "stopped" = "starting";
  #accepting = true;

  constructor(private readonly opts: SlackAdapterOptions) {
    const { config, log } = opts;
    const logger = boltLogger(log);
    // Bolt and the socket-mode client write into the options they are given (logger, a
    // 100-retry policy), so each gets its own copy, and Web API calls a member waits on
    // retry a few times within seconds rather than Slack's default half hour.
    const clientOptions = () => ({ ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}), retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5000 } });
    this.#receiver =
      config.mode === "socket"
        ? new SocketModeReceiver({ appToken: config.appToken, logger, installerOptions: { clientOptions: clientOptions() } })
        : new HTTPReceiver({
            signingSecret: config.signingSecret,
            endpoints: SLACK_EVENTS_PATH,
            logger,
            // Carries the moment the request arrived into the listener's context, so latency
            // is timed from arrival, not from when Bolt finished verifying and parsing it.
            customPropertiesExtractor: (req) => ({ receivedAt: (req as { [RECEIVED_AT]?: number })[RECEIVED_AT] }),
          });
    if (this.#receiver instanceof SocketModeReceiver) guardSocketFrames(this.#receiver, log);
    this.#app = new App({ token: config.botToken, receiver: this.#receiver, logger, clientOptions: clientOptions(), deferInitialization: true, convoStore: false });
    this.#actors = new SlackActorDirectory(this.#app.client, log);
    this.#app.error(async (error) => log.error({ err: error }, "slack listener failed"));
    this.#app.event("team_join", async ({ event, body }) => {
      const { team_id: teamId, event_id: eventId } = body as { team_id?: string; event_id?: string };
      if (!opts.onMemberJoined || !teamId) return;
      // A retry (X-Slack-Retry-Num, or retry_attempt in Socket Mode) carries the same event id, so its claim loses.
      await opts.onMemberJoined(teamId, event.user.id, eventId).catch((error: unknown) => log.error({ err: error }, "could not apply access for a new member"));
    });
    const channelEvent = (kind: SlackChannelEvent["kind"]) => async ({ event, body, context }: { event: unknown; body: unknown; context: { botUserId?: string } }) => {
      const e = event as { channel?: unknown; user?: unknown; team?: unknown };
      const teamId = (body as { team_id?: string }).team_id ?? (typeof e.team === "string" ? e.team : undefined);
      const channel = typeof e.channel === "string" ? e.channel : (e.channel as { id?: string } | undefined)?.id;
      if (!opts.onChannelEvent || !teamId || !channel || !this.#accepting) return;
      const user = typeof e.user === "string" ? e.user : undefined;
      const work = opts.onChannelEvent({ kind, teamId, channel, ...(user ? { user } : {}), isBot: user !== undefined && user === context.botUserId });
      await this.#inFlight.track(work.catch((error: unknown) => log.error({ err: error, channel }, "could not handle a channel membership event")));
    };
    this.#app.event("member_joined_channel", channelEvent("joined"));
    this.#app.event("member_left_channel", channelEvent("left"));
    this.#app.event("channel_unarchive", channelEvent("unarchived"));
    this.#app.event("group_unarchive", channelEvent("unarchived"));
    // Bolt drops Guildhall's own messages before they get here (ignoreSelf).
    this.#app.event("message", async ({ event, body }) => {
      if (!opts.onThreadMessage || !this.#accepting) return;
      const message = threadMessageFrom(event, (body as { team_id?: string }).team_id ?? "", this.#now);
      if (!message) return;
      await this.#inFlight.track(this.#onThreadMessage(message, opts.onThreadMessage));
    });
    this.#app.shortcut<MessageShortcut>({ type: "message_action" }, async ({ ack, shortcut, respond }) => {
      await ack();
      if (!this.#accepting) return void (await respond({ response_type: "ephemeral", text: "Guildhall is restarting; try again in a few seconds." }));
      await this.#inFlight.track(this.#onShortcut(shortcut, respond));
    });
    // Link buttons open a URL, but Slack still reports the click: acknowledge it quietly.
    this.#app.action(/^link:/, async ({ ack }) => void (await ack()));
    this.#app.action(/^gh:/, async ({ ack, body, action, respond }) => {
      await ack();
      if (body.type !== "block_actions" || action.type !== "button" || !("action_id" in action)) return;
      await this.#inFlight.track(this.#onButton(body, action.action_id, action.value ?? "", respond));
    });
    this.#app.command(/.*/, async ({ command, ack, respond, client, context }) => {
      const receivedAt = typeof context.receivedAt === "number" ? context.receivedAt : performance.now();
      if (!this.#accepting) return void (await ack({ response_type: "ephemeral", text: "Guildhall is restarting; try again in a few seconds." }));
      await this.#inFlight.track(this.#onCommand(command, ack, respond, client, receivedAt));
    });
  }

  async start(): Promise<void> {
    await this.#app.init(); // runs auth.test: a bad token fails the start, not the first command
    if (this.#receiver instanceof HTTPReceiver) {
      if (!this.opts.http) throw new InternalError("slack_http_without_server", "Slack HTTP mode needs the HTTP server");
      const listener = this.#receiver.requestListener;
      const signingSecret = this.opts.config.mode === "http" ? this.opts.config.signingSecret : "";
      const log = this.opts.log;
      this.opts.http.mount(SLACK_EVENTS_PATH, (req, res) => {
        (req as { [RECEIVED_AT]?: number })[RECEIVED_AT] = performance.now();
        // A signed body Bolt would choke on is logged and dropped first (request-guard.ts).
        void guardRequest(req, res, signingSecret, log).then((handOn) => {
          if (!handOn) return;
          try {
            listener(req, res);
          } catch {
            // Bolt throws synchronously for methods it does not serve (a GET, say).
            if (!res.headersSent) res.writeHead(404).end();
          }
        });
      });
    } else {
      await this.#app.start();
    }
    this.#status = "ready";
    this.opts.log.info({ mode: this.opts.config.mode }, "connected to Slack");
  }

  async stop(graceMs = 5000): Promise<void> {
    this.#accepting = false;
    await this.#inFlight.drain(graceMs);
    if (this.#receiver instanceof SocketModeReceiver) await this.#app.stop().catch(() => undefined);
    this.#status = "stopped";
  }

  status() {
    return this.#status;
  }

  get #now(): Date {
    return (this.opts.clock ?? systemClock).now();
  }

  /** Reports a thread reply, named as Slack shows its author (events carry only the id). */
  async #onThreadMessage(message: ThreadMessage, report: (m: ThreadMessage) => Promise<void>): Promise<void> {
    try {
      const named = message.author.displayName === message.author.id ? { ...message, author: { ...message.author, displayName: await this.#actors.displayName(message.author.id) } } : message;
      await report(named);
    } catch (error) {
      this.opts.log.error({ err: error, ts: message.messageId }, "could not handle a thread message");
    }
  }

  /** A message shortcut: acknowledged at once (Slack allows 3 s), answered through response_url. */
  async #onShortcut(shortcut: MessageShortcut, respond: RespondFn): Promise<void> {
    const receivedAt = performance.now();
    const { invocation, message } = shortcutInput(shortcut, this.#actors.factsFor(shortcut.user.id), this.#now);
    const author = message.author.displayName === message.author.id && !message.author.bot ? { ...message.author, displayName: await this.#actors.displayName(message.author.id) } : message.author;
    const { reply, duplicate } = await this.opts.dispatcher.runMessageCommand(invocation, { ...message, author });
    if (duplicate) return;
    await respond(responseBody(reply));
    this.opts.onAnswered?.({ platform: "slack", command: invocation.command, ms: performance.now() - receivedAt });
  }

  async #onButton(body: BlockAction, actionId: string, value: string, respond: RespondFn): Promise<void> {
    const parsed = parseActionId(actionId);
    const { reply, duplicate } = await this.opts.dispatcher.runAction(
      {
        platform: "slack",
        space: { id: body.team?.id ?? body.user.team_id ?? "", name: body.team?.domain ?? "" },
        user: { id: body.user.id, displayName: body.user.username ?? body.user.name ?? body.user.id },
        channel: { id: body.channel?.id ?? "" },
        command: parsed?.action ?? "",
        subcommand: undefined,
        options: {},
        actor: this.#actors.factsFor(body.user.id),
        receivedAt: this.#now,
        // Slack always sends a trigger_id; without one there is nothing to claim by.
        ...(body.trigger_id ? { id: `slack:${body.trigger_id}` } : {}),
      },
      value,
    );
    if (duplicate) return;
    await respond({ ...responseBody(reply), replace_original: false });
  }

  async #onCommand(command: SlashCommand, ack: (r?: Record<string, unknown>) => Promise<void>, respond: RespondFn, client: webApi.WebClient, receivedAt: number): Promise<void> {
    const invocation = invocationFrom(command, this.opts.registry, this.#actors.factsFor(command.user_id), this.#now);
    const work = this.opts.dispatcher.run(invocation);
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), this.opts.ackAfterMs ?? DEFAULT_ACK_AFTER_MS)));
    const quick = await Promise.race([work, slow]);
    clearTimeout(timer);
    if (quick?.duplicate) return void (await ack());
    if (quick) {
      // Answered in time: the acknowledgement carries the reply, one round trip.
      await ack(responseBody(quick.reply));
    } else {
      await ack();
      const late = await work;
      if (late.duplicate) return;
      await respond(responseBody(late.reply));
    }
    this.opts.onAnswered?.({ platform: "slack", command: invocation.command, ms: performance.now() - receivedAt });
    const { reply } = await work;
    if (reply.thread) await openThread(client, command, reply, this.opts.log, respond);
    if (reply.directMessage) await sendDirectMessage(client, command.user_id, reply.directMessage, this.opts.log, respond);
    if (reply.image) await uploadImage(client, command, reply, this.opts.log, respond);
  }
}

function responseBody(reply: Reply): { response_type: "ephemeral" | "in_channel"; text: string; blocks: Record<string, unknown>[] } {
  const message = renderSlackMessage(reply);
  return { response_type: reply.visibility === "ephemeral" ? "ephemeral" : "in_channel", ...message };
}
