/**
 * A process's own scratch folder (lib/harness/scratch.ts: the benches' province data, the simulation's
 * FEP folders) goes when the process ends: on exit, on Ctrl-C (SIGINT) and SIGTERM with the usual exit
 * code, after the process's own shutdown where it has one; kept only where the process says so.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { waitFor } from "../support/province.ts";
import { scratchFolders } from "../support/scratch.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const MODULE = pathToFileURL(path.join(ROOT, "lib/harness/scratch.ts")).href;
const tempDir = scratchFolders();

/**
 * A child process that runs `before`, makes a scratch folder (kept if `keep`), runs `then` and prints the
 * folder; its TMPDIR is one of this file's folders
 */
async function child(
  then: string,
  { keep = false, before = "" } = {},
): Promise<{ proc: ChildProcess; dir: string; lines: string[]; exited: Promise<number | null> }> {
  const code = `import { scratchFolder } from ${JSON.stringify(MODULE)};\n${before}\nconst dir = scratchFolder("hhc-scratch-test-", () => ${keep});\n${then}\nconsole.log(dir);`;
  const proc = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", code], {
    cwd: ROOT,
    env: { ...process.env, TMPDIR: tempDir("hhc-scratch-") },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (status) => resolve(status)));
  const lines: string[] = [];
  const first = new Promise<string>((resolve) =>
    proc.stdout!.setEncoding("utf8").on("data", (text: string) => {
      lines.push(...text.trim().split("\n"));
      resolve(lines[0]!);
    }),
  );
  const dir = await Promise.race([first, exited.then((status) => `exited ${status} before printing`)]);
  return { proc, dir, lines, exited };
}

const RUNS_UNTIL_SIGNALLED = "setInterval(() => {}, 1000);";

describe("a process's scratch folder", () => {
  it("is removed when the process exits", async () => {
    const { dir, exited } = await child("setTimeout(() => process.exit(0), 100);");
    expect(existsSync(dir), dir).toBe(true);
    expect(await exited).toBe(0);
    expect(existsSync(dir)).toBe(false);
  });

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("is removed on %s, which ends the process with %i as Node's default would", async (signal, status) => {
    const { proc, dir, exited } = await child(RUNS_UNTIL_SIGNALLED);
    expect(existsSync(dir), dir).toBe(true);
    proc.kill(signal);
    expect(await exited).toBe(status);
    expect(existsSync(dir)).toBe(false);
  });

  it("is removed once a child of the process stops writing in it a moment after the signal (a province stopping)", async () => {
    // the writer makes the folder again every 10 ms for half a second, then says it is done, beside the folder
    const writer = `const { mkdirSync, writeFileSync } = require("node:fs"); const [dir, done] = process.argv.slice(1); const t = setInterval(() => { mkdirSync(dir + "/bundles", { recursive: true }); writeFileSync(dir + "/bundles/x", ""); }, 10); setTimeout(() => { clearInterval(t); writeFileSync(done, ""); }, 500);`;
    const spawnWriter = `import { spawn } from "node:child_process";\nspawn(process.execPath, ["-e", ${JSON.stringify(writer)}, dir, dir + ".done"], { stdio: "ignore" });`;
    const { proc, dir, exited } = await child(`${spawnWriter}\n${RUNS_UNTIL_SIGNALLED}`);
    await waitFor(async () => existsSync(path.join(dir, "bundles", "x")), Boolean, 10_000); // writing
    proc.kill("SIGINT");
    expect(await exited).toBe(130);
    await waitFor(async () => existsSync(`${dir}.done`), Boolean, 10_000);
    expect(existsSync(dir)).toBe(false);
  });

  it("stays where the process keeps it on purpose", async () => {
    const { dir, exited } = await child("setTimeout(() => process.exit(1), 100);", { keep: true });
    expect(await exited).toBe(1);
    expect(existsSync(dir), dir).toBe(true);
  });

  // a process's own shutdown, listening before the folder is made (as vitest's does) or after
  it.each(["before", "after"] as const)(
    "outlives a process's own shutdown on SIGINT, listening %s, and goes when that shutdown exits",
    async (when) => {
      const shutdown = `import { readdirSync } from "node:fs";\nimport { tmpdir } from "node:os";\nprocess.once("SIGINT", () => { console.log(readdirSync(tmpdir()).length ? "folder during shutdown" : "folder gone too early"); setTimeout(() => process.exit(0), 100); });`;
      const { proc, dir, lines, exited } = await child(`${when === "after" ? shutdown : ""}\n${RUNS_UNTIL_SIGNALLED}`, {
        before: when === "before" ? shutdown : "",
      });
      proc.kill("SIGINT");
      expect(await exited).toBe(0);
      expect(lines).toContain("folder during shutdown");
      expect(existsSync(dir)).toBe(false);
    },
  );
});
