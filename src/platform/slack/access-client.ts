import { webApi } from "@slack/bolt";

/** Where and as whom the access client talks to Slack. */
export interface AccessClientConfig {
  readonly botToken: string;
  /** Web API base URL, e.g. a local fake in tests (SLACK_API_URL). */
  readonly apiUrl?: string;
}

/**
 * A WebClient for access changes and admin reports. It neither retries nor sleeps on its
 * own: 429s come back as rate-limit errors carrying Retry-After, so the gateway's per-workspace
 * queue waits them out (holding back that workspace's other calls) and retries a bounded
 * number of times. The Bolt app's client, with its own retries, would work too, only slower
 * to give up.
 */
export function createAccessWebClient(config: AccessClientConfig): webApi.WebClient {
  return new webApi.WebClient(config.botToken, {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}
