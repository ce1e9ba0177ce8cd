/** Starts a real local province (emulators, bundles, gateway) in a fresh temp folder for a suite. */
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BUNDLE_CACHE_ENV } from "#lib/bundle.ts";
import { type RunningProvince, startProvince } from "#local/province.ts";
import type { LocalCredentials } from "#local/seed.ts";

export interface TestProvince {
  province: RunningProvince;
  credentials: LocalCredentials;
  dataDir: string;
}

/**
 * A data folder for a province under test: a copy of the run's seeded template (test/support/global-setup.ts),
 * or, with `fresh`, one that the province seeds on its first start (with the run's handler bundles
 * already in it: a first start builds only what changed since).
 */
export function newDataDir({ fresh = false }: { fresh?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), "hhc-test-"));
  const template = process.env.HHC_TEST_TEMPLATE_DIR;
  if (template && !fresh) cpSync(template, dir, { recursive: true });
  const bundles = process.env[BUNDLE_CACHE_ENV];
  if (bundles && fresh) cpSync(bundles, path.join(dir, "bundles"), { recursive: true });
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

export async function call(
  url: string,
  init: { method?: string; token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
) {
  const res = await fetch(url, {
    method: init.method ?? (init.body !== undefined || init.rawBody !== undefined ? "POST" : "GET"),
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
      ...init.headers,
    },
    body: init.rawBody ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}
