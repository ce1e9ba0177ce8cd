/**
 * A process's own scratch folder in the system's temporary folder (a bench's province data, the
 * simulation's FEP folders, bundles measured and thrown away), removed when the process ends: when
 * it exits, and on SIGINT (Ctrl-C) or SIGTERM, which would otherwise end Node without its exit
 * handlers. A process that handles those signals itself keeps its own shutdown: the folders go
 * when it exits. `keep`, asked at exit, may keep a folder on purpose (the process then says where).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import path from "node:path";

const folders = new Map<string, () => boolean>();
let listening = false;

/** Removes a scratch folder now: its owner is done with it before the process ends (a test file) */
export function removeScratchFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 }); // retried: a child province still shutting down may be writing in it
  folders.delete(dir);
}

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

// at exit: a child that wrote in a folder (a province stopping, its bundler) may still write for a
// moment after the removal, making the folder again: removed until it stays gone (at most 3 s)
const removeAll = () => {
  const dirs = [...folders].filter(([, keep]) => !keep()).map(([dir]) => dir);
  if (dirs.length === 0) return;
  const until = Date.now() + 3000;
  do {
    for (const dir of dirs)
      try {
        removeScratchFolder(dir);
      } catch {} // still being written: the next round
    pause(100);
  } while (dirs.some((dir) => existsSync(dir)) && Date.now() < until);
};

// called before the process's own listeners (prepended): Node's own answer to the signal, but through
// the exit handlers, unless the process has listeners of its own
const endOn = (signal: "SIGINT" | "SIGTERM") => () => {
  if (process.listenerCount(signal) === 0) process.exit(128 + constants.signals[signal]);
};

export function scratchFolder(prefix: string, keep: () => boolean = () => false): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  if (!listening) {
    listening = true;
    process.once("exit", removeAll);
    process.prependOnceListener("SIGINT", endOn("SIGINT"));
    process.prependOnceListener("SIGTERM", endOn("SIGTERM"));
  }
  folders.set(dir, keep);
  return dir;
}
