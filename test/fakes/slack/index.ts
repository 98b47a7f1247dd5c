// A fake Slack for tests: Web API, response_url and Socket Mode on 127.0.0.1, plus builders and
// signing helpers for driving a Bolt app in HTTP mode. See fake-slack.test.ts for usage.
export { startFakeSlack } from "./server.js";
export { FAKE_IDS } from "./workspace.js";
export { postSigned, signSlackRequest, type PostSignedOptions, type SlackSignatureHeaders } from "./signing.js";
export {
  blockActionsPayload,
  interactionBody,
  messageEventBody,
  messageShortcutPayload,
  slashCommandBody,
  slashCommandPayload,
  type BlockActionsInput,
  type InteractionBase,
  type MessageEventInput,
  type MessageShortcutInput,
  type SlashCommandInput,
} from "./payloads.js";
export type {
  FakeSlack,
  FakeSlackChannel,
  FakeSlackOptions,
  FakeSlackSocket,
  RecordedSlackCall,
  SetResponseOptions,
  SlackAnswer,
  SlackArgs,
  SlackChannel,
  SlackMessage,
  SlackResponder,
  SlackUser,
  SocketAck,
  SocketEnvelope,
  SocketEnvelopeType,
} from "./types.js";
