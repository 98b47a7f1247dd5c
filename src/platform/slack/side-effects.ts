import type { RespondFn, SlashCommand, webApi } from "@slack/bolt";

type WebClient = webApi.WebClient;
import type { MessageContent, Reply } from "../../core/reply.js";
import type { Logger } from "../../log/logger.js";
import { renderSlackMessage } from "./render.js";

/** The Slack API error code carried by a failed Web API call, if any. */
function slackErrorCode(error: unknown): string | undefined {
  return (error as { data?: { error?: string } }).data?.error;
}

const CHANNEL_HELP: Record<string, string> = {
  not_in_channel: "I'm not in this channel yet: invite me with `/invite @Guildhall` and try again.",
  channel_not_found: "I can't see this channel: invite me with `/invite @Guildhall` and try again.",
  missing_scope: "I'm missing a Slack permission for this; ask an admin to reinstall the app from the manifest in the README.",
};

/**
 * On Slack a "thread" is a message whose replies hold the discussion: post the opening
 * message in the channel, then the first message in its thread.
 */
export async function openThread(client: WebClient, command: SlashCommand, reply: Reply, log: Logger, respond: RespondFn): Promise<void> {
  const thread = reply.thread!;
  try {
    const parent = await client.chat.postMessage({ channel: command.channel_id, ...renderSlackMessage({ title: thread.name, text: `Started by <@${command.user_id}>` }) });
    await client.chat.postMessage({ channel: command.channel_id, thread_ts: parent.ts!, ...renderSlackMessage(thread.message) });
  } catch (error) {
    log.warn({ err: error, channel: command.channel_id }, "could not open a thread");
    await respond({ response_type: "ephemeral", text: CHANNEL_HELP[slackErrorCode(error) ?? ""] ?? "I couldn't open a thread here. Please try again in a moment." });
  }
}

/** Sends a direct message through the app's DM with the member. */
export async function sendDirectMessage(client: WebClient, userId: string, message: MessageContent, log: Logger, respond: RespondFn): Promise<void> {
  try {
    const dm = await client.conversations.open({ users: userId });
    await client.chat.postMessage({ channel: dm.channel!.id!, ...renderSlackMessage(message) });
  } catch (error) {
    log.info({ err: error, user: userId }, "could not send a direct message");
    await respond({ response_type: "ephemeral", text: "I couldn't send you a direct message. Open the Guildhall app's Messages tab and try again." });
  }
}

/**
 * Uploads a reply's picture (files.uploadV2): to the channel for a public reply, to the
 * member's direct messages for a private one, since a Slack file cannot be ephemeral.
 */
export async function uploadImage(client: WebClient, command: SlashCommand, reply: Reply, log: Logger, respond: RespondFn): Promise<void> {
  const image = reply.image!;
  try {
    const channel = reply.visibility === "public" ? command.channel_id : (await client.conversations.open({ users: command.user_id })).channel!.id!;
    await client.files.uploadV2({ channel_id: channel, file: Buffer.from(image.png), filename: image.name, title: reply.title ?? image.name, alt_text: image.alt });
  } catch (error) {
    log.info({ err: error, user: command.user_id }, "could not upload a picture");
    await respond({ response_type: "ephemeral", text: CHANNEL_HELP[slackErrorCode(error) ?? ""] ?? "I couldn't upload the chart. Open the Guildhall app's Messages tab and try again." });
  }
}
