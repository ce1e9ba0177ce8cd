/**
 * A batch's acknowledgements to the cities (the hub's Exchange and Audit consumers).
 * Input: the batch's applied messages (SQS record id, city, the city's message id) and the records already failed.
 * Output: the records whose acknowledgement failed, added to `failed` with why.
 * Primary course: one acknowledgement per city for all of its messages that did not fail, the cities side by side.
 */

export interface Owed {
  recordId: string;
  cityId: string;
  messageId: string;
}

export async function acknowledgeByCity(
  acknowledge: (cityId: string, messageIds: string[]) => Promise<void>,
  owed: readonly Owed[],
  failed: Map<string, Error>,
): Promise<void> {
  const byCity = new Map<string, Owed[]>();
  for (const o of owed) if (!failed.has(o.recordId)) byCity.set(o.cityId, [...(byCity.get(o.cityId) ?? []), o]);
  await Promise.all(
    [...byCity].map(async ([cityId, acks]) => {
      try {
        await acknowledge(
          cityId,
          acks.map((a) => a.messageId),
        );
      } catch (error) {
        for (const a of acks) failed.set(a.recordId, error as Error);
      }
    }),
  );
}
