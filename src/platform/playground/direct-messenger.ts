import type { DirectMessenger } from "../../core/platform-services.js";
import type { PlaygroundChatState } from "./chat-state.js";
import { renderPrivate } from "./render.js";
import type { ChatOutput } from "./terminal.js";

/**
 * Private messages in the playground: every member's direct messages appear in the one
 * terminal, marked with who they are for (`🔒 to Bob (private): …`), so reminders, notices
 * and assignments can be seen whoever you are acting as.
 */
export class PlaygroundDirectMessenger implements DirectMessenger {
  readonly platform = "playground";

  constructor(
    private readonly output: ChatOutput,
    private readonly state: PlaygroundChatState,
  ) {}

  async send(userId: string, message: { text: string; links?: readonly { label: string; url: string }[] }): Promise<"sent"> {
    this.output.write(`${renderPrivate(this.state.nameOf(userId), message, { nameOf: (id) => this.state.nameOf(id) })}\n`);
    return "sent";
  }
}
