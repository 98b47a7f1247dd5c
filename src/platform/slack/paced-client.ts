import { webApi } from "@slack/bolt";
import type { KeyedPaceGate } from "../pacing.js";
import type { AccessClientConfig } from "./access-client.js";

/**
 * A WebClient whose `chat.postMessage` calls wait for their channel's turn at `pacer` (Slack
 * allows about one message per second per channel; DMs are each their own channel, so they
 * rarely wait). Every other method goes straight through.
 */
export class PacedWebClient extends webApi.WebClient {
  constructor(
    token: string,
    options: webApi.WebClientOptions,
    private readonly pacer: KeyedPaceGate,
    private readonly onResponse?: (status: number) => void,
  ) {
    super(token, options);
  }

  // The client's method shortcuts (client.chat.postMessage) are bound to apiCall at
  // construction, which resolves to this override.
  override async apiCall(method: string, options?: Record<string, unknown>): Promise<webApi.WebAPICallResult> {
    const channel = options?.channel;
    if (method === "chat.postMessage" && typeof channel === "string") await this.pacer.wait(channel);
    if (!this.onResponse) return super.apiCall(method, options);
    try {
      const result = await super.apiCall(method, options);
      this.onResponse(200);
      return result;
    } catch (error) {
      // The client rejects rate-limited calls (rejectRateLimitedCalls) with this code.
      this.onResponse((error as { code?: unknown }).code === webApi.ErrorCode.RateLimitedError ? 429 : 0);
      throw error;
    }
  }
}

/** createAccessWebClient's client (no retries or sleeps of its own), with posts paced per channel. */
export function createPacedWebClient(config: AccessClientConfig, pacer: KeyedPaceGate, onResponse?: (status: number) => void): webApi.WebClient {
  return new PacedWebClient(
    config.botToken,
    { ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}), retryConfig: { retries: 0 }, rejectRateLimitedCalls: true },
    pacer,
    onResponse,
  );
}
