/** Crash-safe file operations for the FEP's folders: write-then-rename, and fsync of the folder. */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

/** Makes renames and creations in `dir` durable (a no-op where folders cannot be opened, e.g. Windows). */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // not supported on this platform: the rename itself is still atomic
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes `file` atomically and durably: a partial file is never visible under its name. */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  syncDir(path.dirname(file));
}

/** The `.json` items of a folder (not temporary or hidden files), in name order. */
export function jsonItems(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json") && !name.startsWith(".") && !name.endsWith(".outcome.json") && !name.endsWith(".answer.json"))
    .sort();
}

/** Moves a file into another folder of the same file system, durably. */
export function moveInto(file: string, dir: string, name = path.basename(file)): string {
  const target = path.join(dir, name);
  renameSync(file, target);
  syncDir(dir);
  syncDir(path.dirname(file));
  return target;
}
