/**
 * Every shell example of README.md and docs/ runs against one local province (a random port, an
 * absolute data folder): docs/walkthrough.md first, then the README and the other pages, each page in
 * one shell, checking what its `# expect:` lines promise (test/docs/runner.ts has the convention).
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestProvince, type TestProvince } from "../support/province.ts";
import { runPage } from "./runner.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PAGES = [
  "docs/walkthrough.md",
  "README.md",
  ...readdirSync(path.join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md") && f !== "walkthrough.md")
    .sort()
    .map((f) => `docs/${f}`),
];

let test: TestProvince;
beforeAll(async () => {
  test = await startTestProvince();
}, 180_000);
afterAll(async () => test?.province.stop());

describe.sequential("the examples of the README and docs/, run against a local province", () => {
  it.each(PAGES)(
    "%s",
    async (page) => {
      const env = { ...process.env, PORT: new URL(test.province.url).port, HHC_DATA_DIR: path.resolve(test.dataDir) };
      const result = await runPage(path.join(ROOT, page), { cwd: ROOT, env });
      expect(result.ran + result.skipped.length).toBeGreaterThanOrEqual(0);
    },
    240_000,
  );
});
