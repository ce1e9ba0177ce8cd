/**
 * Temporary folders of a test file, removed when its tests are done (a run of the suite made about
 * 800 a day that stayed in /tmp), or when its process ends first (Ctrl-C: lib/harness/scratch.ts).
 * Call it at the top of the file or of a describe block, where it registers the removal (`afterAll`),
 * before the hooks that stop what writes in the folders (after-hooks run in reverse order), and make
 * each folder with what it returns:
 *
 *   const tempDir = scratchFolders();
 *   const dir = tempDir("hhc-cli-");
 *
 * `also` names siblings a folder's user writes beside it (the CDK writes `<outdir>-staging`).
 */
import { rmSync } from "node:fs";
import { afterAll } from "vitest";
import { removeScratchFolder, scratchFolder } from "#lib/harness/scratch.ts";

export function scratchFolders(also: (dir: string) => string[] = () => []): (prefix: string) => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) {
      removeScratchFolder(dir);
      for (const sibling of also(dir)) rmSync(sibling, { recursive: true, force: true });
    }
  });
  return (prefix) => {
    const dir = scratchFolder(prefix);
    made.push(dir);
    return dir;
  };
}
