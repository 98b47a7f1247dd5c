import type { Db } from "./database.js";

/** A value a statement may carry as a parameter. */
export type SqlValue = string | number | boolean | Date | null | readonly (string | null)[];

/**
 * Runs one parameterised statement (a tagged template: every `${value}` becomes a bound
 * parameter, never text) and resolves with its rows.
 */
export type Sql = <Row>(strings: TemplateStringsArray, ...values: readonly SqlValue[]) => Promise<Row[]>;

/**
 * Runs SQL text with positional parameters ($1, $2, ...) on the driver itself. `name` is the
 * same for the same text, always, so a driver may prepare it once per connection.
 */
export type DriverQuery = (text: string, params: readonly SqlValue[], name: string) => Promise<unknown[]>;

const direct = new WeakMap<Db, Sql>();

/**
 * Lets `sqlFor(prisma)` run statements straight on the driver under it (the same pool or
 * embedded database). `openDatabase` does this for every client it opens.
 */
export function attachDriver(prisma: Db, query: DriverQuery): void {
  direct.set(prisma, (strings, ...values) => {
    const { text, name } = positional(strings);
    return query(text, values, name) as Promise<never[]>;
  });
}

/**
 * SQL for the statements run on every interaction (the claim, the member, activity). Prisma
 * compiles each raw statement through its query compiler before sending it, which cost 0.2
 * to 0.5 ms of CPU per statement on the 2-core machine against under 0.1 ms for the driver
 * alone; on the busiest path that was most of the difference to a bot written on `pg`. A
 * client opened by `openDatabase` gets its driver; any other (a transaction's `tx`, a client
 * a test built by hand) goes through Prisma's `$queryRawUnsafe` with the same parameters, so
 * a statement inside a transaction stays inside it. Rows come back as the driver parses
 * them: keep such statements to text, numbers and booleans in their results.
 */
export function sqlFor(db: Db): Sql {
  return direct.get(db) ?? ((strings, ...values) => db.$queryRawUnsafe(positional(strings).text, ...values));
}

interface Statement {
  readonly text: string;
  /** `sql_<n>`, one per distinct text in this process. */
  readonly name: string;
}

const statements = new WeakMap<TemplateStringsArray, Statement>();
const names = new Map<string, string>();

/**
 * "a = ${x} AND b = ${y}" as "a = $1 AND b = $2", remembered per call site (its strings array
 * is the same object every time), with its statement name. The call sites are the program's
 * own templates, so there are as many names as statements written in the source.
 */
function positional(strings: TemplateStringsArray): Statement {
  let statement = statements.get(strings);
  if (statement === undefined) {
    const text = strings.reduce((sql, part, i) => `${sql}$${i}${part}`);
    let name = names.get(text);
    if (name === undefined) names.set(text, (name = `sql_${names.size + 1}`));
    statements.set(strings, (statement = { text, name }));
  }
  return statement;
}
