import { allCommands, allMessageCommands, capabilities, settingsSections } from "./capabilities.js";
import { backfillOnce, describeRun, reconcileOnce, syncAccessOnce } from "./commerce/reconcile-command.js";
import { explainStripeFailure } from "./commerce/stripe-failure.js";
import { progressBar } from "./progress.js";
import { configFromProcess } from "./config/environment.js";
import { ConfigError } from "./config/config.js";
import { debugDetails, describeFailure } from "./config/startup-failure.js";
import { StartupError } from "./db/data-dir-lock.js";
import { migrateOnly } from "./db/database.js";
import { loggerFor, main } from "./main.js";
import { staleArtifacts, writeArtifacts } from "./platform/artifacts.js";
import { deployDiscordCommands } from "./platform/discord/deploy-commands.js";

const USAGE = `Usage: guildhall <command>

  start                         run the bot (same as npm start)
  migrate                       apply database migrations and exit
  deploy-commands [--guild ID]  register the slash commands with Discord (globally, or in one guild at once)
  generate-commands [--check]   write commands/ (Discord commands JSON, Slack manifest); --check fails if stale
  reconcile [--dry-run]         compare Stripe with the database and repair drift (--dry-run only prints it)
  backfill                      import existing Stripe customers; link each to a member with /access link
  sync-access [--dry-run]       compare managed roles and channels with what members are owed and repair it (--dry-run only prints it)
`;

/** Where the CLI writes; tests pass their own to run it in process. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { readonly isTTY?: boolean; write(text: string): unknown };
}

/**
 * Runs one CLI command and returns its exit code; never exits the process (src/cli-main.ts
 * does, so tests can call this in process). `start` returns when the bot has stopped.
 */
export async function run(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  try {
    return await runCommand(argv, io);
  } catch (error) {
    // A configuration problem is already its own message: a heading, then one line per setting.
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    const details = debugDetails(error);
    // Stripe's key rejected or Stripe unreachable: say which, with the fix (src/commerce/stripe-failure.ts).
    const line = explainStripeFailure(error)?.message ?? describeFailure(error, `guildhall ${argv[0] ?? "start"} failed`);
    io.stderr.write(`${line}\n${details ? `${details}\n` : ""}`);
    return 1;
  }
}

async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case "start":
    case undefined:
      return await main({ stderr: io.stderr });
    case "migrate": {
      const config = configFromProcess(settingsSections);
      // Said after the work, with what was done: the database is up to date only once it is.
      const applied = await migrateOnly(config.database, loggerFor(config, true));
      for (const name of applied) io.stdout.write(`Applied migration ${name}.\n`);
      io.stdout.write(applied.length === 0 ? "Nothing to apply: the database is up to date.\n" : `The database is up to date (${applied.length} migration${applied.length === 1 ? "" : "s"} applied).\n`);
      return 0;
    }
    case "deploy-commands": {
      const config = configFromProcess(settingsSections);
      if (!config.discord) throw new StartupError("deploy-commands needs DISCORD_TOKEN (and optionally DISCORD_APPLICATION_ID).");
      const guildId = flagValue(args, "--guild");
      const count = await deployDiscordCommands(config.discord, allCommands, guildId, allMessageCommands);
      io.stdout.write(`Registered ${count} commands with Discord ${guildId ? `in guild ${guildId}` : "globally (may take up to an hour to appear)"}.\n`);
      return 0;
    }
    case "reconcile": {
      const config = configFromProcess(settingsSections);
      const report = await reconcileOnce({ config, log: loggerFor(config, true), capabilities }, args.includes("--dry-run"));
      io.stdout.write(`${describeRun(report)}\n`);
      return 0;
    }
    case "sync-access": {
      const config = configFromProcess(settingsSections);
      io.stdout.write(`${await syncAccessOnce({ config, log: loggerFor(config, true), capabilities }, args.includes("--dry-run"))}\n`);
      return 0;
    }
    case "backfill": {
      const config = configFromProcess(settingsSections);
      const report = await backfillOnce({ config, log: loggerFor(config, true), capabilities }, progressBar(io.stderr));
      io.stderr.write("\n");
      io.stdout.write(
        `Imported ${report.customers} customer(s): ${report.subscriptions} subscription(s) and ${report.purchases} purchase(s) match the catalog, ${report.unmatched} do not (${report.stripeCalls} Stripe calls).\n` +
          "Nobody got access yet: link each customer to their member with /access link @member <customer>.\n",
      );
      return 0;
    }
    case "generate-commands": {
      if (args.includes("--check")) {
        const stale = staleArtifacts(allCommands, allMessageCommands);
        if (stale.length === 0) return 0;
        io.stderr.write(`Stale: ${stale.join(", ")}. Run npm run commands and commit the result.\n`);
        return 1;
      }
      for (const file of writeArtifacts(allCommands, allMessageCommands)) io.stdout.write(`wrote ${file}\n`);
      return 0;
    }
    default:
      io.stderr.write(USAGE);
      return command === "help" || command === "--help" || command === "-h" ? 0 : 2;
  }
}

function flagValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}
