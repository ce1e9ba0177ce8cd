/** Runs `work` over `items` with at most `concurrency` at once (benches' request loops), in order of the items. */
export async function inPool<T>(concurrency: number, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}
