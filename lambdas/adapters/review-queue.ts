/** The MPI's review queue (ResidentKeys table, partition REVIEW_QUEUE): its length, counted page by page. */
import { paginateQuery } from "@aws-sdk/lib-dynamodb";
import type { ReviewQueueCounter } from "#ports/ops-summary.ts";
import { documentClient } from "#shared/aws.ts";
import { REVIEW_QUEUE } from "./resident-store.ts";

export const dynamoReviewQueueCounter = (keysTable: string): ReviewQueueCounter => ({
  async count() {
    let count = 0;
    const pages = paginateQuery(
      { client: documentClient() },
      {
        TableName: keysTable,
        KeyConditionExpression: "#k = :k",
        ExpressionAttributeNames: { "#k": "key" },
        ExpressionAttributeValues: { ":k": REVIEW_QUEUE },
        Select: "COUNT",
      },
    );
    for await (const page of pages) count += page.Count ?? 0;
    return count;
  },
});
