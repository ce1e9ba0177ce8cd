import { paginateScan, type ScanCommandInput } from "@aws-sdk/lib-dynamodb";
import { documentClient } from "#shared/aws.ts";

/** Every item of a (small, registry-sized) table, following pagination. */
export async function scanAll<T>(input: ScanCommandInput): Promise<T[]> {
  const items: T[] = [];
  for await (const page of paginateScan({ client: documentClient(), pageSize: 1000 }, input)) {
    items.push(...((page.Items ?? []) as T[]));
  }
  return items;
}
