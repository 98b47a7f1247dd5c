// Discord's checks on application command definitions, so a generated payload that would be
// refused by PUT /applications/.../commands is refused in tests too.
import { formError } from "./api-errors.js";
import type { RouteResult } from "./router.js";

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

interface CommandOption {
  type?: number;
  name?: unknown;
  description?: unknown;
  required?: boolean;
  choices?: unknown[];
  options?: CommandOption[];
}

/** The first problem in a list of command definitions (PUT body), or undefined. */
export function validateCommandList(commands: unknown): RouteResult | undefined {
  if (!Array.isArray(commands)) return formError([], "BASE_TYPE_ARRAY", "Must be an array.");
  const seen = new Set<string>();
  for (const [i, command] of commands.entries()) {
    const problem = validateCommand(command as Record<string, unknown>, [i]);
    if (problem) return problem;
    const key = `${String((command as { type?: number }).type ?? 1)}:${String((command as { name?: unknown }).name)}`;
    if (seen.has(key)) return formError([i, "name"], "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique");
    seen.add(key);
  }
  return undefined;
}

/** The first problem in one command definition, or undefined. */
export function validateCommand(command: Record<string, unknown>, at: (string | number)[] = []): RouteResult | undefined {
  const type = typeof command.type === "number" ? command.type : 1;
  if (type === 1) {
    const problem = checkName(command.name, [...at, "name"]) ?? checkDescription(command.description, [...at, "description"]);
    if (problem) return problem;
    return checkOptions(command.options as CommandOption[] | undefined, [...at, "options"]);
  }
  // User and message context-menu commands: free-form name up to 32 characters, no description.
  if (typeof command.name !== "string" || command.name.length < 1 || command.name.length > 32) {
    return formError([...at, "name"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.");
  }
  if (command.description !== undefined && command.description !== "") {
    return formError([...at, "description"], "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION_INVALID", "Context menu commands cannot have description");
  }
  return undefined;
}

function checkName(name: unknown, at: (string | number)[]): RouteResult | undefined {
  if (typeof name !== "string" || !NAME.test(name)) return formError(at, "STRING_TYPE_REGEX", "String value did not match validation regex.");
  if (name !== name.toLowerCase()) return formError(at, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
  return undefined;
}

function checkDescription(description: unknown, at: (string | number)[]): RouteResult | undefined {
  if (typeof description !== "string" || description.length < 1 || description.length > 100) {
    return formError(at, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
  }
  return undefined;
}

function checkOptions(options: CommandOption[] | undefined, at: (string | number)[]): RouteResult | undefined {
  if (options === undefined) return undefined;
  if (options.length > 25) return formError(at, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
  const names = new Set<string>();
  let optionalSeen = false;
  for (const [i, option] of options.entries()) {
    const here = [...at, i];
    const problem = checkName(option.name, [...here, "name"]) ?? checkDescription(option.description, [...here, "description"]);
    if (problem) return problem;
    if (names.has(String(option.name))) return formError([...here, "name"], "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME", "Option names must be unique");
    names.add(String(option.name));
    if ((option.choices?.length ?? 0) > 25) return formError([...here, "choices"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
    if (option.type === 1 || option.type === 2) {
      const nested = checkOptions(option.options, [...here, "options"]);
      if (nested) return nested;
      continue;
    }
    if (option.required && optionalSeen) {
      return formError(at, "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options");
    }
    if (!option.required) optionalSeen = true;
  }
  return undefined;
}
