/**
 * A province that a benchmark or test spawned (lib/harness/process.ts: over an IPC channel) stops when
 * its parent is gone, even when the parent was SIGKILLed and could not stop it: the channel closes.
 * `npm start` has no such channel, and no parent to follow.
 */
export function stopWithParent(stop: (why: string) => void): void {
  if (!process.send) return;
  process.once("disconnect", () => stop("the process that started the province is gone"));
}
