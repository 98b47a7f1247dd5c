// Gateway discovery, the application object, and command registration (global and per guild).
// Saved commands get stable ids, so interactions sent later carry the id the bot registered.
import { apiError, unknown } from "./api-errors.js";
import { snowflake } from "./ids.js";
import { validateCommand, validateCommandList } from "./commands-validate.js";
import { type Route, type RouteContext, type RouteResult, bodyOf, noContent, ok, param } from "./router.js";

type Command = Record<string, unknown>;

/**
 * Builds the gateway routes; the URL is only known once the server listens. `shards` is the
 * shard count Discord recommends for the bot.
 */
function gatewayRoutes(gatewayUrl: () => string, shards: number, identifyConcurrency: number): Route[] {
  return [
    {
      method: "GET",
      pattern: "/gateway/bot",
      handler: () =>
        ok({
          url: gatewayUrl(),
          shards,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: identifyConcurrency },
        }),
    },
    { method: "GET", pattern: "/gateway", handler: () => ok({ url: gatewayUrl() }) },
  ];
}

function application(ctx: RouteContext): RouteResult {
  const bot = ctx.state.botUser;
  return ok({
    id: ctx.state.applicationId,
    name: bot.username,
    icon: null,
    description: "",
    summary: "",
    bot_public: false,
    bot_require_code_grant: false,
    verify_key: "0".repeat(64),
    flags: 0,
    team: null,
    owner: { id: "100000000000000001", username: "app-owner", discriminator: "0", global_name: null, avatar: null, public_flags: 0, flags: 0, primary_guild: null },
    bot: { ...bot, bot: true },
    approximate_guild_count: ctx.state.guilds.size,
    integration_types_config: { "0": {} },
  });
}

/** The saved list the path points at (global, or one guild's), or an error answer. */
function commandList(ctx: RouteContext): { list: Command[]; save: (l: Command[]) => void; guildId?: string } | RouteResult {
  if (param(ctx, "appId") !== ctx.state.applicationId) return apiError(403, 20012, "You are not authorized to perform this action on this application");
  const guildId = ctx.params.guildId;
  if (guildId === undefined) return { list: ctx.state.globalCommands, save: (l) => (ctx.state.globalCommands = l) };
  const guild = ctx.state.guild(guildId);
  if (!guild) return unknown.guild();
  return { list: guild.commands, save: (l) => (guild.commands = l), guildId };
}

/** A saved command as Discord echoes it; keeps the id of an earlier command with the same name and type. */
function saved(ctx: RouteContext, input: Command, previous: Command[], guildId: string | undefined): Command {
  const type = typeof input.type === "number" ? input.type : 1;
  const earlier = previous.find((c) => c.name === input.name && c.type === type);
  return {
    ...input,
    id: typeof earlier?.id === "string" ? earlier.id : snowflake(),
    application_id: ctx.state.applicationId,
    version: snowflake(),
    type,
    description: input.description ?? "",
    default_member_permissions: input.default_member_permissions ?? null,
    nsfw: input.nsfw ?? false,
    contexts: input.contexts ?? null,
    integration_types: input.integration_types ?? [0],
    ...(guildId ? { guild_id: guildId } : {}),
  };
}

function isResult(value: unknown): value is RouteResult {
  return typeof value === "object" && value !== null && "status" in value;
}

function overwrite(ctx: RouteContext): RouteResult {
  const target = commandList(ctx);
  if (isResult(target)) return target;
  const body: unknown = ctx.call.body;
  const problem = validateCommandList(body);
  if (problem) return problem;
  const next = (body as Command[]).map((c) => saved(ctx, c, target.list, target.guildId));
  target.save(next);
  return ok(next);
}

function createOne(ctx: RouteContext): RouteResult {
  const target = commandList(ctx);
  if (isResult(target)) return target;
  const problem = validateCommand(bodyOf(ctx));
  if (problem) return problem;
  const command = saved(ctx, bodyOf(ctx), target.list, target.guildId);
  target.save([...target.list.filter((c) => c.id !== command.id), command]);
  return { status: 201, body: command };
}

function deleteOne(ctx: RouteContext): RouteResult {
  const target = commandList(ctx);
  if (isResult(target)) return target;
  const id = param(ctx, "commandId");
  if (!target.list.some((c) => c.id === id)) return unknown.command();
  target.save(target.list.filter((c) => c.id !== id));
  return noContent();
}

function listOrGet(ctx: RouteContext): RouteResult {
  const target = commandList(ctx);
  if (isResult(target)) return target;
  const id = ctx.params.commandId;
  if (id === undefined) return ok(target.list);
  const command = target.list.find((c) => c.id === id);
  return command ? ok(command) : unknown.command();
}

/** Application routes; `gatewayUrl` and `shards` answer GET /gateway/bot. */
export function applicationRoutes(gatewayUrl: () => string, shards = 1, identifyConcurrency = 16): Route[] {
  const routes: Route[] = [...gatewayRoutes(gatewayUrl, shards, identifyConcurrency), { method: "GET", pattern: "/applications/@me", handler: application }];
  for (const base of ["/applications/:appId/commands", "/applications/:appId/guilds/:guildId/commands"]) {
    routes.push(
      { method: "GET", pattern: base, handler: listOrGet },
      { method: "PUT", pattern: base, handler: overwrite },
      { method: "POST", pattern: base, handler: createOne },
      { method: "GET", pattern: `${base}/:commandId`, handler: listOrGet },
      { method: "DELETE", pattern: `${base}/:commandId`, handler: deleteOne },
    );
  }
  return routes;
}
