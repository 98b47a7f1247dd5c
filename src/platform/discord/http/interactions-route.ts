/**
 * `POST /discord/interactions`: Discord interactions over HTTP (the application's Interactions
 * Endpoint URL), so commands scale behind any load balancer. The signature is checked over
 * the raw bytes before anything is parsed (401 when it fails or is older than five minutes);
 * PING is answered PONG; commands, buttons, message commands and autocomplete go through the
 * same dispatcher as the gateway, which claims each interaction id, so a replayed body (or
 * the same interaction also heard on the gateway) runs nothing and gets 409. Replies are
 * rendered as the gateway adapter renders them (embeds, buttons, a chart as an attachment),
 * and the thread and direct message a reply asks for are sent through the same REST calls.
 */
import { REST } from "discord.js";
import { parseActionId } from "../../../core/action.js";
import { claimKey, type Dispatcher, type Outcome } from "../../../core/dispatch.js";
import type { Clock } from "../../../core/services.js";
import { type RouteHandler, readRawBody, sendJson } from "../../../http/http-server.js";
import type { Logger } from "../../../log/logger.js";
import { discordApiMessage, renderDiscordReply } from "../render.js";
import { type InteractionTarget, openThread, sendDirectMessage } from "../side-effects.js";
import { InteractionWebhook } from "./interaction-webhook.js";
import { commandInput, optionValues, originOf, type RawInteraction, targetMessage } from "./interaction-payload.js";
import type { Invocation } from "../../../core/invocation.js";
import { type ClaimStates, type ResumeInfo, resumeInfo } from "../recovery/claim-states.js";
import { discordSignatureVerifier, freshTimestamp } from "./verify.js";

export const DISCORD_INTERACTIONS_PATH = "/discord/interactions";

const PING = 1;
const APPLICATION_COMMAND = 2;
const MESSAGE_COMPONENT = 3;
const AUTOCOMPLETE = 4;
const MESSAGE_COMMAND = 3;
const EPHEMERAL = 64;
/** Discord allows 3 s for the HTTP answer; after this long the interaction is deferred instead. */
const DEFAULT_ACK_AFTER_MS = 2000;

export interface DiscordInteractionsOptions {
  readonly publicKey: string;
  readonly dispatcher: Dispatcher;
  readonly clock: Clock;
  readonly log: Logger;
  /**
   * Discord's REST with the bot token, for the threads and direct messages replies ask for;
   * without one they fail, and the member is told.
   */
  readonly rest?: REST;
  /** Where deferred answers and follow-ups go (the interaction's webhook); Discord's API by default. */
  readonly apiUrl?: string;
  readonly ackAfterMs?: number;
  /**
   * Record this process as each interaction's holder and its deferrals, so another process
   * answers what it deferred should it die (src/platform/discord/recovery); with the gateway
   * adapter's lease, whose renewals say this process is alive.
   */
  readonly claims?: ClaimStates;
}

export function discordInteractionsRoute(opts: DiscordInteractionsOptions): RouteHandler {
  const valid = discordSignatureVerifier(opts.publicKey);
  // Interaction webhooks are authorised by the interaction's token and not bound by the bot's
  // global rate limit, so they get a REST of their own without discord.js's 50-a-second limiter.
  const webhooks = new REST({ globalRequestsPerSecond: Number.POSITIVE_INFINITY, ...(opts.apiUrl ? { api: opts.apiUrl } : {}) });
  const rest = opts.rest ?? webhooks;
  return async (req, res) => {
    let raw: Buffer;
    try {
      raw = await readRawBody(req);
    } catch {
      return sendJson(res, 413, { error: "body_too_large" });
    }
    const signature = header(req.headers["x-signature-ed25519"]);
    const timestamp = header(req.headers["x-signature-timestamp"]);
    if (!valid(signature, timestamp, raw)) return sendJson(res, 401, { error: "invalid_signature" });
    // Discord signs with the real time; the services' clock may be a playground's, moved on.
    if (!freshTimestamp(timestamp, new Date())) return sendJson(res, 401, { error: "stale_timestamp" });
    let interaction: RawInteraction;
    try {
      interaction = JSON.parse(raw.toString("utf8")) as RawInteraction;
    } catch {
      return sendJson(res, 400, { error: "malformed_interaction" });
    }
    if (interaction.type === PING) return sendJson(res, 200, { type: 1 });
    const origin = originOf(interaction, opts.clock.now());
    if (!origin) return sendJson(res, 200, { type: 4, data: { content: "Guildhall commands work inside a community server.", flags: EPHEMERAL } });

    if (interaction.type === AUTOCOMPLETE) {
      const { subcommand, options } = commandInput(interaction);
      const invocation = { ...origin, command: interaction.data?.name ?? "", subcommand, options: {} };
      if (!(await opts.dispatcher.claim(invocation))) return sendJson(res, 409, { error: "already_handled" });
      const focused = options.find((o) => o.focused);
      const choices = focused ? await opts.dispatcher.autocomplete(invocation, focused.name, String(focused.value ?? "")) : [];
      return sendJson(res, 200, { type: 8, data: { choices: choices.map((c) => ({ name: c.name, value: c.value })) } });
    }

    const { claims } = opts;
    const hooks = claims ? { holder: claims.holder } : {};
    let work: Promise<Outcome>;
    let kind: ResumeInfo["kind"] = "command";
    let invocation: Invocation;
    let ephemeralWhenDeferred = true;
    if (interaction.type === APPLICATION_COMMAND && interaction.data?.type === MESSAGE_COMMAND) {
      const message = targetMessage(interaction);
      if (!message) return sendJson(res, 400, { error: "malformed_interaction" });
      kind = "message";
      invocation = { ...origin, command: interaction.data.name ?? "", subcommand: undefined, options: {} };
      work = opts.dispatcher.runMessageCommand(invocation, message, hooks);
    } else if (interaction.type === APPLICATION_COMMAND) {
      const { subcommand, options } = commandInput(interaction);
      invocation = { ...origin, command: interaction.data?.name ?? "", subcommand, options: optionValues(interaction, options) };
      ephemeralWhenDeferred = opts.dispatcher.leafFor(invocation)?.visibility !== "public";
      work = opts.dispatcher.run(invocation, hooks);
    } else if (interaction.type === MESSAGE_COMPONENT) {
      const parsed = parseActionId(interaction.data?.custom_id ?? "");
      kind = "action";
      invocation = { ...origin, command: parsed?.action ?? "", subcommand: undefined, options: {} };
      work = opts.dispatcher.runAction(invocation, parsed?.value ?? "", hooks);
    } else {
      return sendJson(res, 400, { error: "unsupported_interaction_type" });
    }

    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), opts.ackAfterMs ?? DEFAULT_ACK_AFTER_MS)));
    const quick = await Promise.race([work, slow]);
    clearTimeout(timer);
    if (quick?.duplicate) return sendJson(res, 409, { error: "already_handled" });
    const key = claims && origin.id ? claimKey(origin.id) : undefined;
    const webhook = new InteractionWebhook(webhooks, interaction.application_id, interaction.token);
    const target: InteractionTarget = { rest, channelId: origin.channel.id, userId: origin.user.id, tellPrivately: (content) => webhook.tellPrivately(content) };
    let outcome: Outcome;
    if (quick && !quick.reply.image) {
      // The answer goes in the HTTP response; a file cannot (Discord takes JSON there), so a reply with one is deferred and sent as an edit.
      outcome = quick;
      const { message, ephemeral } = renderDiscordReply(quick.reply);
      sendJson(res, 200, { type: 4, data: { ...discordApiMessage(message), ...(ephemeral ? { flags: EPHEMERAL } : {}) } });
      if (key) claims?.answered(key);
    } else {
      const deferredEphemeral = quick ? quick.reply.visibility === "ephemeral" : ephemeralWhenDeferred;
      sendJson(res, 200, { type: 5, data: deferredEphemeral ? { flags: EPHEMERAL } : {} });
      const at = { applicationId: interaction.application_id, token: interaction.token, ephemeral: deferredEphemeral };
      const recorded = key ? claims?.deferred(key, new Date(), resumeInfo(kind, invocation, at)).catch((error: unknown) => opts.log.warn({ err: error, interaction: interaction.id }, "could not record a deferral; should this process stop, nobody answers it")) : undefined;
      outcome = quick ?? (await work);
      if (outcome.duplicate) return;
      await recorded;
      // Taken over: this process was thought dead (its lease lapsed); the other one answers.
      if (key && claims && !(await claims.finish(key).catch(() => true))) return opts.log.info({ interaction: interaction.id }, "another process took this deferred interaction over; it answers");
      const sent = await webhook.answerDeferred(renderDiscordReply(outcome.reply), deferredEphemeral).catch((error: unknown) => error as Error);
      if (sent instanceof Error) return opts.log.error({ err: sent, interaction: interaction.id }, "could not send a deferred answer");
    }
    // What the gateway adapter does after answering: a button's reply may send a direct message; a command's may also open a thread.
    if (outcome.reply.thread && interaction.type === APPLICATION_COMMAND) await openThread(target, outcome.reply, opts.log);
    if (outcome.reply.directMessage) await sendDirectMessage(target, outcome.reply.directMessage, opts.log);
  };
}

function header(value: string | string[] | undefined): string {
  return typeof value === "string" ? value : "";
}
