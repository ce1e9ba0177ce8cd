import { paginateQuery, paginateScan, type QueryCommandInput, type ScanCommandInput } from "@aws-sdk/lib-dynamodb";
import { documentClient } from "#shared/aws.ts";

/** Every item of a (small, registry-sized) table, following pagination. */
export async function scanAll<T>(input: ScanCommandInput): Promise<T[]> {
  const items: T[] = [];
  for await (const page of paginateScan({ client: documentClient(), pageSize: 1000 }, input)) {
    items.push(...((page.Items ?? []) as T[]));
  }
  return items;
}

/** Every item a query matches, following pagination. */
export async function queryAll<T>(input: QueryCommandInput): Promise<T[]> {
  const items: T[] = [];
  for await (const page of paginateQuery({ client: documentClient(), pageSize: 1000 }, input)) {
    items.push(...((page.Items ?? []) as T[]));
  }
  return items;
}
