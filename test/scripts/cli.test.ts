/**
 * Every command-line tool: `--help` lists its commands with an example, and a missing province (or
 * AWS) is one line saying what to do, never a stack trace.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { scratchFolders } from "../support/scratch.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

async function cli(script: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, [script, ...args], {
      cwd: ROOT,
      env: { ...process.env, PORT: "", HHC_HUB_URL: "", HHC_OPERATOR_TOKEN: "", ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const tempDir = scratchFolders();

/** A data folder whose province has stopped: its files are there, nothing listens. */
function stoppedDataDir(): string {
  const dir = tempDir("hhc-cli-");
  writeFileSync(
    path.join(dir, "endpoints.json"),
    JSON.stringify({
      gateway: "http://127.0.0.1:1",
      sqs: "http://127.0.0.1:1",
      dynamodb: "http://127.0.0.1:1",
      region: "us-east-1",
      credentials: { accessKeyId: "a", secretAccessKey: "b" },
    }),
  );
  writeFileSync(
    path.join(dir, "local-credentials.json"),
    JSON.stringify({ operator: "x", hospitals: [{ id: "bd001", cityId: "baoding", credential: "y", practitioners: ["bd001-p001"] }] }),
  );
  return dir;
}

const oneLine = (stderr: string) => {
  const lines = stderr.trim().split("\n");
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
};

describe.concurrent("command-line tools", () => {
  it.each([
    ["scripts/operator.ts", "npm run operator -- connections"],
    ["scripts/redrive.ts", "npm run redrive -- list"],
    ["scripts/mpi-reindex.ts", "npm run mpi-reindex -- --keys hm --dry-run"],
    ["fep/main.ts", "npm run fep -- init --hospital bd001"],
    ["scripts/bootstrap-hub.ts", "npm run bootstrap-hub -- --region cn-north-1"],
    ["scripts/simulate.ts", "npm run simulate -- --hospitals 10 --day-seconds 60"],
  ])("%s --help lists its commands with an example", async (script, example) => {
    const { code, stdout } = await cli(script, ["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Example:");
    expect(stdout).toContain(example);
  });

  it("operator: nothing listening on PORT is one line", async () => {
    const { code, stderr } = await cli("scripts/operator.ts", ["connections"], { PORT: "1", HHC_OPERATOR_TOKEN: "x" });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Nothing answers at http:\/\/127\.0\.0\.1:1 .*npm start/);
    oneLine(stderr);
  });

  it("operator: finds the province through HHC_DATA_DIR's endpoints.json, a bad option is one line, uscc makes a valid code", async () => {
    const stopped = await cli("scripts/operator.ts", ["connections"], { HHC_DATA_DIR: stoppedDataDir() });
    expect(stopped.stderr).toMatch(/^Nothing answers at http:\/\/127\.0\.0\.1:1 /);
    oneLine((await cli("scripts/operator.ts", ["connections", "--bogus"])).stderr);
    const { isValidUscc } = await import("#domain/uscc.ts");
    const made = await cli("scripts/operator.ts", ["uscc", "--division", "131002"]);
    expect(isValidUscc(made.stdout.trim())).toBe(true);
    expect(made.stdout.slice(2, 8)).toBe("131002");
  });

  it("redrive: a stopped province is one line", async () => {
    const { code, stderr } = await cli("scripts/redrive.ts", ["list"], { HHC_DATA_DIR: stoppedDataDir() });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^No local province answers.*npm start/);
    oneLine(stderr);
  });

  it("mpi-reindex: a stopped province, an unknown key kind and a cursor it did not print are one line each", async () => {
    const stopped = await cli("scripts/mpi-reindex.ts", ["--dry-run"], { HHC_DATA_DIR: stoppedDataDir() });
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/^No local province answers.*npm start/);
    oneLine(stopped.stderr);
    const keys = await cli("scripts/mpi-reindex.ts", ["--keys", "hm,zz"]);
    expect(keys.code).toBe(2);
    expect(keys.stderr).toMatch(/^--keys hm,zz: each one of nm, bd, ad, hh, ph, nc, hm, hc, nb/);
    oneLine(keys.stderr);
    const cursor = await cli("scripts/mpi-reindex.ts", ["--from", "not-a-cursor"]);
    expect(cursor.code).toBe(2);
    oneLine(cursor.stderr);
  });

  it("fep: init without a province, and a bad command, are one line", async () => {
    const empty = tempDir("hhc-cli-");
    const { code, stderr } = await cli("fep/main.ts", ["init", "--hospital", "bd001"], { HHC_DATA_DIR: empty });
    expect(code).toBe(2);
    expect(stderr).toMatch(/local-credentials\.json not found: start the local province first \(npm start\)/);
    oneLine(stderr);
    oneLine((await cli("fep/main.ts", ["frobnicate"])).stderr);
  });

  it("simulate: no province is one line", async () => {
    const { stderr } = await cli("scripts/simulate.ts", ["--base", "http://127.0.0.1:1", "--data", stoppedDataDir()]);
    expect(stderr).toMatch(/^No province at http:\/\/127\.0\.0\.1:1/);
    oneLine(stderr);
  });

  it("bootstrap-hub: AWS not answering is one line", async () => {
    const { code, stderr } = await cli("scripts/bootstrap-hub.ts", ["--region", "cn-north-1"], {
      AWS_ACCESS_KEY_ID: "x",
      AWS_SECRET_ACCESS_KEY: "y",
      AWS_ENDPOINT_URL: "http://127.0.0.1:1",
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^AWS does not answer/);
    oneLine(stderr);
  });
});
