/**
 * The layering rule (eslint.config.js): the foundation (src/core, src/db, src/config,
 * src/http, src/log) never imports a capability, and a capability uses another only through
 * its index.ts. `npm run lint` enforces it on the code; these fixtures prove it fires.
 */
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { capabilities } from "../../src/capabilities.js";

const eslint = new ESLint({ cwd: process.cwd() });

/** The messages of the import rule for `code` as if it were the file at `filePath`. */
async function refusals(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

const importing = (from: string) => `import * as other from "${from}";\nexport const used = other;\n`;
const names = capabilities.map((c) => c.name);

describe("the layering lint rule", () => {
  it("refuses any capability import in src/core, src/db, src/config, src/http and src/log", async () => {
    for (const folder of ["core", "core/jobs", "db", "config", "http", "log"]) {
      const up = "../".repeat(folder.split("/").length);
      for (const name of names) {
        expect(await refusals(`src/${folder}/fixture.ts`, importing(`${up}${name}/index.js`)), `src/${folder} importing ${name}`).toHaveLength(1);
      }
      expect(await refusals(`src/${folder}/fixture.ts`, importing(`${up}capabilities.js`))).toHaveLength(1);
    }
  });

  it("lets the foundation import itself", async () => {
    expect(await refusals("src/core/fixture.ts", importing("./services.js"))).toEqual([]);
    expect(await refusals("src/core/jobs/fixture.ts", importing("../../db/database.js"))).toEqual([]);
  });

  it("refuses a capability reaching into another's files, and lets it use the other's index.ts or its own files", async () => {
    for (const name of names) {
      const other = names.find((n) => n !== name)!;
      expect(await refusals(`src/${name}/fixture.ts`, importing(`../${other}/some-internal.js`)), `${name} into ${other}`).toHaveLength(1);
      expect(await refusals(`src/${name}/fixture.ts`, importing(`../${other}/index.js`))).toEqual([]);
      expect(await refusals(`src/${name}/fixture.ts`, importing("./some-file.js"))).toEqual([]);
      expect(await refusals(`src/${name}/fixture.ts`, importing("../core/services.js"))).toEqual([]);
    }
  });

  it("refuses a capability importing the capability list (the entry points pass what a capability needs)", async () => {
    for (const name of names) expect(await refusals(`src/${name}/fixture.ts`, importing("../capabilities.js")), name).toHaveLength(1);
  });

  it("keeps platform SDKs out of capabilities", async () => {
    expect(await refusals("src/review/fixture.ts", importing("discord.js"))).toHaveLength(1);
  });
});
