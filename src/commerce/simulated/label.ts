import type { Command, LeafCommand } from "../../core/command.js";
import { UserFacingError } from "../../core/errors.js";
import type { Reply } from "../../core/reply.js";
import { SIMULATED_LABEL } from "./simulator.js";

/** The reply with the simulation label in its footer. */
export function withSimulatedLabel(r: Reply): Reply {
  return { ...r, footer: r.footer ? `${r.footer} ${SIMULATED_LABEL}` : SIMULATED_LABEL };
}

/**
 * The command, whose every reply says "(simulated payment — no real money)" while payments
 * are simulated, so nobody mistakes the playground's purchases for real ones.
 */
export function labelWhenSimulated<C extends Command>(command: C): C {
  if (command.kind === "group") return { ...command, subcommands: command.subcommands.map(labelWhenSimulated) };
  const leaf: LeafCommand = command;
  const labelled: LeafCommand = {
    ...leaf,
    handler: async (ctx) => {
      if (!ctx.services.simulatedPayments) return leaf.handler(ctx);
      try {
        return withSimulatedLabel(await leaf.handler(ctx));
      } catch (error) {
        // Refusals are replies too; they keep their kind and code.
        if (error instanceof UserFacingError && !error.message.endsWith(SIMULATED_LABEL)) error.message = `${error.message} ${SIMULATED_LABEL}`;
        throw error;
      }
    },
  };
  return labelled as C;
}
