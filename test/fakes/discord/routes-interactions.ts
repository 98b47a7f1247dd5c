// Interaction responses: the callback endpoint and the interaction webhook (@original and
// follow-ups). Order rules match Discord: one callback per interaction, follow-ups only after it.
import { apiError, formError, unknown } from "./api-errors.js";
import { attachmentsFor, createMessage } from "./messages.js";
import { MessageFlag, applyMessageEdit, type ApiMessage, type MessageBody } from "./payloads.js";
import { type Route, type RouteContext, type RouteResult, bodyOf, noContent, ok, param } from "./router.js";
import type { InteractionState } from "./state.js";
import { validateMessage } from "./validate.js";

/** Callback types each interaction type accepts (2 command, 3 component, 4 autocomplete, 5 modal submit). */
const ALLOWED_CALLBACKS: Record<number, number[]> = { 2: [4, 5, 9], 3: [4, 5, 6, 7, 9], 4: [8], 5: [4, 5, 6, 7] };

function callback(ctx: RouteContext): RouteResult {
  const interaction = ctx.state.interactions.get(param(ctx, "id"));
  if (!interaction || interaction.token !== param(ctx, "token")) return unknown.interaction();
  if (interaction.responseType !== null) return apiError(400, 40060, "Interaction has already been acknowledged.");
  const body = bodyOf(ctx);
  const type = Number(body.type);
  const data = (typeof body.data === "object" && body.data !== null ? body.data : {}) as Record<string, unknown>;
  if (!(ALLOWED_CALLBACKS[interaction.type] ?? []).includes(type)) {
    return formError(["type"], "INTERACTION_CALLBACK_TYPE_INVALID", `Callback type ${type} is not valid for interaction type ${interaction.type}`);
  }
  const problem = checkCallbackData(type, data, ctx.call.files.length);
  if (problem) return problem;
  const message = respond(ctx, interaction, type, data);
  interaction.responseType = type;
  if (ctx.call.query.with_response !== "true") return noContent();
  return ok({
    interaction: {
      id: interaction.id,
      type: interaction.type,
      ...(message
        ? {
            response_message_id: message.id,
            response_message_loading: (message.flags & MessageFlag.Loading) !== 0,
            response_message_ephemeral: (message.flags & MessageFlag.Ephemeral) !== 0,
          }
        : {}),
    },
    ...(message || type !== 8 ? { resource: { type, ...(message ? { message } : {}) } } : {}),
  });
}

function checkCallbackData(type: number, data: Record<string, unknown>, files: number): RouteResult | undefined {
  if (type === 4) return validateMessage(data, ["data"], files);
  if (type === 7) return validateMessage(data, ["data"], files, true);
  if (type === 8 && Array.isArray(data.choices) && data.choices.length > 25) {
    return formError(["data", "choices"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
  }
  if (type === 9 && (typeof data.custom_id !== "string" || typeof data.title !== "string")) {
    return formError(["data"], "BASE_TYPE_REQUIRED", "custom_id and title are required");
  }
  return undefined;
}

/** Applies the callback; returns the message it created or touched, if any. */
function respond(ctx: RouteContext, interaction: InteractionState, type: number, data: Record<string, unknown>): ApiMessage | undefined {
  const channel = ctx.state.channels.get(interaction.channelId);
  const component = interaction.componentMessageId ? ctx.state.messages.get(interaction.componentMessageId) : undefined;
  if ((type === 4 || type === 5) && channel) {
    const ephemeral = (Number(data.flags ?? 0) & MessageFlag.Ephemeral) !== 0;
    // A deferred reply is a "thinking" message: empty, flagged Loading, ephemeral if asked.
    const body = type === 4 ? data : { content: "", flags: ephemeral ? MessageFlag.Ephemeral : 0 };
    const message = createMessage(ctx, channel, ctx.state.botUser, body, interactionFields(ctx, interaction));
    if (type === 5) message.flags |= MessageFlag.Loading;
    interaction.originalId = message.id;
    interaction.messageIds.push(message.id);
    return message;
  }
  if ((type === 6 || type === 7) && component) {
    if (type === 7) applyMessageEdit(component, data as MessageBody);
    interaction.originalId = component.id;
    interaction.messageIds.push(component.id);
    return component;
  }
  return undefined;
}

function interactionFields(ctx: RouteContext, interaction: InteractionState): Partial<ApiMessage> {
  return {
    type: interaction.type === 2 ? 20 : 0,
    webhook_id: ctx.state.applicationId,
    application_id: ctx.state.applicationId,
    interaction_metadata: {
      id: interaction.id,
      type: interaction.type,
      user: ctx.state.users.get(interaction.userId) ?? ctx.state.botUser,
      authorizing_integration_owners: { "0": interaction.guildId },
      // A component interaction names the message it was on.
      ...(interaction.type === 3 && interaction.componentMessageId ? { interacted_message_id: interaction.componentMessageId } : {}),
    },
  };
}

/** The interaction behind a webhook URL, or undefined for an unknown application or token. */
function webhookInteraction(ctx: RouteContext): InteractionState | undefined {
  if (param(ctx, "appId") !== ctx.state.applicationId) return undefined;
  return ctx.state.interactionByToken(param(ctx, "token"));
}

function followUp(ctx: RouteContext): RouteResult {
  const interaction = webhookInteraction(ctx);
  // Discord knows the webhook only once the interaction has been answered.
  if (!interaction || interaction.responseType === null) return unknown.webhook();
  const body = bodyOf(ctx);
  const problem = validateMessage(body, [], ctx.call.files.length);
  if (problem) return problem;
  const original = interaction.originalId ? ctx.state.messages.get(interaction.originalId) : undefined;
  let message: ApiMessage;
  if (original && (original.flags & MessageFlag.Loading) !== 0) {
    // Discord quirk: the first follow-up after a deferral edits the "thinking" message, and
    // keeps its ephemeral state whatever flags the follow-up asks for.
    editMessage(ctx, original, body);
    message = original;
  } else {
    const channel = ctx.state.channels.get(interaction.channelId);
    if (!channel) return unknown.channel();
    message = createMessage(ctx, channel, ctx.state.botUser, body, { ...interactionFields(ctx, interaction), type: 0 });
    interaction.messageIds.push(message.id);
  }
  return ctx.call.query.wait === "true" ? ok(message) : noContent();
}

/** The webhook message named in the path (@original or an id), if it belongs to this interaction. */
function webhookMessage(ctx: RouteContext): ApiMessage | RouteResult {
  const interaction = webhookInteraction(ctx);
  if (!interaction) return unknown.webhook();
  const wanted = param(ctx, "messageId");
  const id = wanted === "@original" ? interaction.originalId : wanted;
  const message = id && interaction.messageIds.includes(id) ? ctx.state.messages.get(id) : undefined;
  return message ?? unknown.message();
}

function editMessage(ctx: RouteContext, message: ApiMessage, body: Record<string, unknown>): void {
  applyMessageEdit(message, body as MessageBody);
  if (ctx.call.files.length > 0) message.attachments = [...message.attachments, ...attachmentsFor(ctx.call.files, message.channel_id, body)];
  message.flags &= ~MessageFlag.Loading;
}

function isMessage(value: ApiMessage | RouteResult): value is ApiMessage {
  return "channel_id" in value;
}

/** Routes of interaction callbacks and interaction webhooks. */
export const interactionRoutes: Route[] = [
  { method: "POST", pattern: "/interactions/:id/:token/callback", handler: callback },
  { method: "POST", pattern: "/webhooks/:appId/:token", handler: followUp },
  {
    method: "GET",
    pattern: "/webhooks/:appId/:token/messages/:messageId",
    handler: (ctx) => {
      const found = webhookMessage(ctx);
      return isMessage(found) ? ok(found) : found;
    },
  },
  {
    method: "PATCH",
    pattern: "/webhooks/:appId/:token/messages/:messageId",
    handler: (ctx) => {
      const found = webhookMessage(ctx);
      if (!isMessage(found)) return found;
      const problem = validateMessage(bodyOf(ctx), [], ctx.call.files.length, true);
      if (problem) return problem;
      editMessage(ctx, found, bodyOf(ctx));
      return ok(found);
    },
  },
  {
    method: "DELETE",
    pattern: "/webhooks/:appId/:token/messages/:messageId",
    handler: (ctx) => {
      const found = webhookMessage(ctx);
      if (!isMessage(found)) return found;
      ctx.state.messages.delete(found.id);
      return noContent();
    },
  },
];
