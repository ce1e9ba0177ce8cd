/**
 * A province started by a benchmark or test stops when the process that started it is gone, even
 * when that process was SIGKILLed and could not stop it (local/parent-watch.ts, over the IPC channel
 * lib/harness/process.ts opens): it no longer keeps its port and writes into a removed data folder.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { waitFor } from "../support/province.ts";
import { scratchFolders } from "../support/scratch.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const MODULE = pathToFileURL(path.join(ROOT, "local/parent-watch.ts")).href;
const tempDir = scratchFolders();

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A parent that starts a child the way spawnProvince does (`ipc` among its stdio) and prints the
 * child's pid once the child watches it; the child writes `stopped` when told its parent is gone.
 */
async function parentAndChild(ipc: boolean): Promise<{ parent: ReturnType<typeof spawn>; child: number; stopped: string }> {
  const stopped = path.join(tempDir("hhc-parent-watch-"), "stopped");
  const watcher = `import { writeFileSync } from "node:fs"; import { stopWithParent } from ${JSON.stringify(MODULE)}; stopWithParent((why) => { writeFileSync(${JSON.stringify(stopped)}, why); process.exit(0); }); setInterval(() => {}, 1000); console.log("watching");`;
  const starter = `const { spawn } = require("node:child_process"); const c = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", ${JSON.stringify(watcher)}], { cwd: ${JSON.stringify(ROOT)}, stdio: ["ignore", "pipe", "inherit"${ipc ? ', "ipc"' : ""}] }); c.stdout.on("data", () => console.log(c.pid)); setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ["-e", starter], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const child = await new Promise<number>((resolve) =>
    parent.stdout!.setEncoding("utf8").once("data", (t: string) => resolve(Number(t.trim()))),
  );
  return { parent, child, stopped };
}

describe("a province started by another process", () => {
  it("stops when that process is SIGKILLed", async () => {
    const { parent, child, stopped } = await parentAndChild(true);
    expect(alive(child)).toBe(true);
    parent.kill("SIGKILL");
    await waitFor(async () => !alive(child), Boolean, 10_000);
    expect(existsSync(stopped)).toBe(true);
  });

  it("keeps running without the channel (npm start's case): the watch does nothing there", async () => {
    const { parent, child, stopped } = await parentAndChild(false);
    parent.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 1_000));
    expect(alive(child)).toBe(true);
    expect(existsSync(stopped)).toBe(false);
    process.kill(child, "SIGKILL");
  });
});
