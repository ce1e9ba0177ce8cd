/**
 * Runs `npm start`'s entry point as a child process on a data folder and a port, for benchmarks and the kill tests.
 * HHC_PROF=1 adds a V8 CPU profile of the province to /tmp/prof (open it in Chrome DevTools).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { LocalCredentials } from "#local/seed.ts";
import { scratchFolder } from "./scratch.ts";

export interface ProvinceProcess {
  url: string;
  dataDir: string;
  /** ms from spawn until /hub/health answered 200 */
  readyMs: number;
  credentials(): LocalCredentials;
  stop(): Promise<void>;
  /** SIGKILL: no clean shutdown, whatever was in flight is lost with the in-memory queues */
  kill(): Promise<void>;
}

/** A fresh data folder, removed when this process ends, Ctrl-C included (a province's data grows to hundreds of MB) */
export const freshDataDir = (): string => scratchFolder("hhc-bench-");

/** The provinces this process spawned that are still running: none outlives it, writing into its removed data folder */
const running = new Set<ChildProcess>();
let killingAtExit = false;

export async function spawnProvince(dataDir: string, port: number, env: Record<string, string> = {}): Promise<ProvinceProcess> {
  const started = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [...(process.env.HHC_PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] : []), "--import", "tsx", "local/main.ts"],
    {
      env: { ...process.env, ...env, PORT: String(port), HHC_DATA_DIR: dataDir },
      // the IPC channel: the province stops when this process is gone, SIGKILLed included (local/parent-watch.ts)
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    },
  );
  child.channel?.unref(); // the channel alone does not keep this process running
  if (!killingAtExit) {
    killingAtExit = true;
    // before the exit listener that removes the scratch folders
    process.prependOnceListener("exit", () => {
      for (const province of running) province.kill("SIGKILL");
    });
  }
  running.add(child);
  child.once("exit", () => running.delete(child));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the province exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/hub/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const readyMs = performance.now() - started;
  return {
    url,
    dataDir,
    readyMs,
    credentials: () => JSON.parse(readFileSync(path.join(dataDir, "local-credentials.json"), "utf8")) as LocalCredentials,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGINT");
      }),
    kill: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}
