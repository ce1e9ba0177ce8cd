/** Starts a real local province (emulators, bundles, gateway) in a fresh temp folder for a suite. */
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type RunningProvince, startProvince } from "#local/province.ts";
import type { LocalCredentials } from "#local/seed.ts";

export { call } from "#lib/harness/http.ts";

export interface TestProvince {
  province: RunningProvince;
  credentials: LocalCredentials;
  dataDir: string;
}

/**
 * A data folder for a province under test: a copy of the run's seeded template (test/support/global-setup.ts),
 * or, with `fresh`, an empty one that the province seeds on its first start.
 */
export function newDataDir({ fresh = false }: { fresh?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), "hhc-test-"));
  const template = process.env.HHC_TEST_TEMPLATE_DIR;
  if (!fresh && template) cpSync(template, dir, { recursive: true });
  return dir;
}

export async function startTestProvince(dataDir = newDataDir()): Promise<TestProvince> {
  const lines: string[] = [];
  const province = await startProvince({ dataDir, port: 0, log: (line) => lines.push(line) });
  const credentials = JSON.parse(readFileSync(province.credentialsFile, "utf8")) as LocalCredentials;
  return { province, credentials, dataDir };
}

/** Polls `probe` until it returns a value that passes `done`, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(last)?.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}
