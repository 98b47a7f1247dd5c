// An interaction's webhook (its token is the credential): the deferred answer and follow-ups of
// an interaction that arrived over HTTP, sent through discord.js's REST as discord.js itself
// sends editReply and followUp for the gateway adapter, files as multipart (`files[n]`).
import { DiscordAPIError, type REST, Routes } from "discord.js";
import { type DiscordReply, discordApiMessage } from "../render.js";

const EPHEMERAL = 64;

export class InteractionWebhook {
  constructor(
    private readonly rest: REST,
    private readonly applicationId: string,
    private readonly token: string,
  ) {}

  /**
   * Replaces the "thinking" placeholder with the reply. When the placeholder's visibility turned
   * out wrong (a public command that failed, say), it is deleted and the reply sent as a
   * follow-up instead, because Discord cannot change a message's visibility.
   */
  async answerDeferred(reply: DiscordReply, deferredEphemeral: boolean): Promise<void> {
    const body = discordApiMessage(reply.message, reply.files);
    const files = reply.files.map((f) => ({ name: f.name, data: f.data, contentType: f.contentType }));
    const original = Routes.webhookMessage(this.applicationId, this.token, "@original");
    if (deferredEphemeral === reply.ephemeral) return void (await this.rest.patch(original, { body, files, auth: false }));
    await this.rest.delete(original, { auth: false }).catch((error: unknown) => {
      if (!(error instanceof DiscordAPIError)) throw error;
    });
    await this.rest.post(Routes.webhook(this.applicationId, this.token), { body: { ...body, ...(reply.ephemeral ? { flags: EPHEMERAL } : {}) }, files, auth: false });
  }

  /** A private follow-up (why a thread or direct message could not be sent); never throws. */
  async tellPrivately(content: string): Promise<void> {
    await this.rest.post(Routes.webhook(this.applicationId, this.token), { body: { content, flags: EPHEMERAL, allowed_mentions: { parse: [] } }, auth: false }).catch(() => undefined);
  }
}
