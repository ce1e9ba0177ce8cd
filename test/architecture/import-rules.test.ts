/**
 * The import rules of docs/architecture.md, checked by dependency-cruiser over the repository, and
 * shown catching planted violations in a scratch tree cruised with the same rules.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { cruise, type IConfiguration, type IReporterOutput } from "dependency-cruiser";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "#lib/bundle.ts";
import { scratchFolders } from "../support/scratch.ts";

const config = createRequire(import.meta.url)(path.join(REPO_ROOT, ".dependency-cruiser.cjs")) as IConfiguration;

async function violations(baseDir: string, roots: string[]): Promise<string[]> {
  const cwd = process.cwd();
  process.chdir(baseDir);
  try {
    const result: IReporterOutput = await cruise(roots, {
      ...config.options,
      baseDir,
      validate: true,
      ruleSet: { forbidden: config.forbidden },
    });
    if (typeof result.output === "string") throw new Error("expected a cruise result object");
    return result.output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
  } finally {
    process.chdir(cwd);
  }
}

describe("import rules", () => {
  it("hold over the repository", async () => {
    const found = await violations(REPO_ROOT, ["lambdas", "schemas", "lib", "local", "test", "bench", "scripts", "fep", "bin"]);
    expect(found, found.join("\n")).toEqual([]);
  }, 120_000);

  const scratch = scratchFolders()("hhc-import-rules-");

  it("catch planted violations: a contract importing the domain, an adapter a use case, a handler the SDK", async () => {
    const files: Record<string, string> = {
      "package.json": JSON.stringify({ name: "scratch", type: "module" }),
      "tsconfig.json": JSON.stringify({ compilerOptions: { module: "NodeNext", allowImportingTsExtensions: true, noEmit: true } }),
      "lambdas/domain/rule.ts": "export const rule = 1;\n",
      "schemas/contract.ts": 'import { rule } from "../lambdas/domain/rule.ts";\nexport const contract = rule;\n',
      "lambdas/use-cases/publish.ts": "export const publish = () => 1;\n",
      "lambdas/adapters/store.ts": 'import { publish } from "../use-cases/publish.ts";\nexport const store = publish;\n',
      "lambdas/handlers/publish.ts": 'import { store } from "../adapters/store.ts";\nexport const handler = store;\n',
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
      writeFileSync(path.join(scratch, file), text);
    }
    const found = await violations(scratch, ["lambdas", "schemas"]);
    expect(found).toEqual(
      expect.arrayContaining([
        "contracts-depend-on-zod-only: schemas/contract.ts → lambdas/domain/rule.ts",
        "adapters-implement-ports-never-use-cases: lambdas/adapters/store.ts → lambdas/use-cases/publish.ts",
        "handlers-are-thin: lambdas/handlers/publish.ts → lambdas/adapters/store.ts",
      ]),
    );
    expect(found).toHaveLength(3);
  });
});
