/** Questions and answers: /ask threads, accepted answers, bounties, follow-ups on stale questions. */
import { defineCapability } from "../core/capability.js";
import { qaDigestSections } from "./digest-sections.js";
import { moveQa } from "./merge.js";
import { acceptAnswerCommand, askCommand, questionsCommand, solvedCommand } from "./qa-commands.js";
import { qaCommand } from "./copied-command.js";
import { qaCounts } from "./insight-counts.js";
import { qaJobs } from "./qa-jobs.js";
import { QaService } from "./qa-service.js";
import { qaSettingsSection } from "./settings-schema.js";
export { qaSettingsSection, type QaConfig } from "./settings-schema.js";

export type { QaService } from "./qa-service.js";

declare module "../core/services.js" {
  interface Services {
    /** Questions and answers: /ask threads, accepted answers, bounties. */
    readonly qa: QaService;
  }
}

export const qa = defineCapability({
  name: "qa",
  settings: [qaSettingsSection],
  provide(services, deps) {
    const { db, ledger, identity, chat, memberMessenger, clock } = services;
    // Questions, replies and answer fingerprints follow a /link merge, in its transaction.
    identity.onMerge(moveQa);
    const qa = new QaService({
      db,
      ledger,
      identity,
      chat,
      memberMessenger,
      clock,
      communities: deps.communities,
      log: deps.log,
      adminLog: deps.adminLog,
      // Read when a question is settled, by which time every capability is built.
      badgesAfter: (communityId, memberIds) => services.points.badgesAfter(db, communityId, memberIds),
    });
    return { qa };
  },
  commands: [askCommand, solvedCommand, questionsCommand, qaCommand],
  messageCommands: [acceptAnswerCommand],
  jobs: (services, deps) => qaJobs(services, deps.log),
  // Every message in a thread is reported; Q&A counts the replies in question threads.
  onThreadMessage: (services, message) => services.qa.recordReply(message),
  counts: qaCounts,
  digestSections: qaDigestSections,
});
