/** Starts a real local province (emulators, bundles, gateway) in a fresh temp folder for a suite. */
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { SignatureV4 } from "@smithy/signature-v4";
import { call } from "#lib/harness/http.ts";
import { scratchFolder } from "#lib/harness/scratch.ts";
import { type RunningProvince, startProvince } from "#local/province.ts";
import type { LocalCredentials } from "#local/seed.ts";
import { NodeSha256 } from "#shared/signed-fetch.ts";

export { call };

/**
 * A port nothing listens on now, as the system hands one out (a random number can be one a client
 * socket of this machine holds: EADDRINUSE, and a province that exits with 1 at its start)
 */
export const freePort = (): Promise<number> =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
      .once("error", reject)
      .listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
  });

export interface TestProvince {
  province: RunningProvince;
  credentials: LocalCredentials;
  dataDir: string;
}

/**
 * A data folder for a province under test: a copy of the run's seeded template (test/support/global-setup.ts),
 * so that no test seeds the registries again; in the run's folder, removed with it. Without a run's template
 * (a config without the global setup) a fresh folder, removed when the test process ends.
 */
export function newDataDir(): string {
  const template = process.env.HHC_TEST_TEMPLATE_DIR;
  if (!template) return scratchFolder("hhc-test-");
  // inside the run's folder, which the run's teardown removes (a province's data is ~250 MB: 800 left behind filled a disk)
  const dir = mkdtempSync(path.join(path.dirname(template), "hhc-test-"));
  cpSync(template, dir, { recursive: true });
  return dir;
}

export async function startTestProvince(dataDir = newDataDir()): Promise<TestProvince> {
  const lines: string[] = [];
  const province = await startProvince({ dataDir, port: 0, log: (line) => lines.push(line) });
  const credentials = JSON.parse(readFileSync(province.credentialsFile, "utf8")) as LocalCredentials;
  return { province, credentials, dataDir };
}

/**
 * Moves the province clock forward by `seconds` (`POST /local/clock`): every node, sweeper and
 * schedule sees the new time at once (of an in-process province, or one in a child process). Returns the new time (ISO 8601). Tests use it instead of
 * waiting out a real period (a grace period, an inbox visibility, a backoff).
 */
export async function advanceClock(province: Pick<RunningProvince, "url">, seconds: number): Promise<string> {
  const res = await call(`${province.url}/local/clock`, { body: { advanceSeconds: seconds } });
  if (res.status !== 200) throw new Error(`POST /local/clock answered ${res.status}: ${JSON.stringify(res.json)}`);
  return String(res.json!.now);
}

/**
 * Waits until a queue of a node holds no message, visible or in flight: its consumer has handled
 * (and deleted) everything sent to it so far. A deterministic "the pipeline has caught up".
 */
export async function queueSettled(province: RunningProvince, nodeId: string, queueId: string, timeoutMs = 30_000): Promise<void> {
  const sqs = new SQSClient({ endpoint: province.endpoints.sqs });
  const url = province.resources.get(nodeId)!.queues.get(queueId)!.url;
  const names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"] as const;
  try {
    await waitFor(
      async () => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [...names] }))).Attributes ?? {},
      (a) => names.every((n) => Number(a[n] ?? 0) === 0),
      timeoutMs,
    );
  } finally {
    sqs.destroy();
  }
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

/** A request to a node's IAM route, SigV4-signed with `credentials` as a function's signed-fetch signs it */
export async function signedCall(
  credentials: { accessKeyId: string; secretAccessKey: string },
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: unknown,
) {
  const target = new URL(url);
  const text = body === undefined ? undefined : JSON.stringify(body);
  const signer = new SignatureV4({ service: "execute-api", region: "cn-north-1", credentials, sha256: NodeSha256 });
  const signed = await signer.sign({
    method,
    protocol: target.protocol,
    hostname: target.hostname,
    port: Number(target.port),
    path: target.pathname,
    query: Object.fromEntries(target.searchParams),
    headers: { ...headers, ...(text ? { "content-type": "application/json" } : {}), host: target.host },
    body: text,
  });
  const res = await fetch(target, { method, headers: signed.headers, body: text });
  const answer = await res.text();
  return { status: res.status, headers: res.headers, json: answer ? (JSON.parse(answer) as Record<string, unknown>) : undefined };
}
