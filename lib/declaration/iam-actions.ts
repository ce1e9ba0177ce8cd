/**
 * The DynamoDB, SQS and S3 actions a declaration grants: what CDK writes into a function's role
 * (lib/constructs/grants.ts, discovery.ts, evidence-archive.ts) and what the local province's emulators
 * admit a function's own key to do (local/iam.ts), so that a grant missing from a declaration fails
 * locally as it would in AWS.
 */
import {
  ALL_QUEUES_NAME_PATTERN,
  CITY_PUSH_QUEUE_NAME_PATTERN,
  HUB_AUDIT_QUEUE_NAME,
  HUB_EXCHANGE_QUEUE_NAME,
  HUB_SETTLEMENT_QUEUE_NAME,
} from "#shared/discovery-names.ts";
import type { Access, Discovery } from "./types.ts";

export const TABLE_READ_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DescribeTable",
] as const;

export const TABLE_WRITE_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:DescribeTable",
] as const;

export const readsWith = (access: Access): boolean => access === "read" || access === "readWrite";
export const writesWith = (access: Access): boolean => access === "write" || access === "readWrite";

/** The DynamoDB actions (`dynamodb:PutItem` …) a table access allows */
export const tableActions = (access: Access): string[] => [
  ...new Set([...(readsWith(access) ? TABLE_READ_ACTIONS : []), ...(writesWith(access) ? TABLE_WRITE_ACTIONS : [])]),
];

/** Sending to a queue; SendMessageBatch is authorized as sqs:SendMessage */
export const QUEUE_SEND_ACTIONS = ["sqs:SendMessage"] as const;
/** Counting a queue's messages: attributes only, no message received */
export const QUEUE_OBSERVE_ACTIONS = ["sqs:GetQueueUrl", "sqs:GetQueueAttributes"] as const;

/**
 * The queue (a physical name, or a pattern whose `*` stands for any run of characters) and the SQS
 * actions each discovery permission that reaches another node's queues allows: what
 * lib/constructs/discovery.ts writes into a role and what the local SQS emulator admits (local/iam.ts).
 */
export const DISCOVERY_QUEUE_GRANTS: Partial<Record<Discovery, { queue: string; actions: readonly string[] }>> = {
  "send-hub-exchange": { queue: HUB_EXCHANGE_QUEUE_NAME, actions: QUEUE_SEND_ACTIONS },
  "send-hub-audit": { queue: HUB_AUDIT_QUEUE_NAME, actions: QUEUE_SEND_ACTIONS },
  "send-hub-settlement": { queue: HUB_SETTLEMENT_QUEUE_NAME, actions: QUEUE_SEND_ACTIONS },
  "send-city-push": { queue: CITY_PUSH_QUEUE_NAME_PATTERN, actions: QUEUE_SEND_ACTIONS },
  "observe-queues": { queue: ALL_QUEUES_NAME_PATTERN, actions: QUEUE_OBSERVE_ACTIONS },
};

/** Object reads and writes only: no listing of the request path, no deletes (documents are kept) */
export const OBJECT_READ_ACTIONS = ["s3:GetObject", "s3:GetObjectVersion"] as const;
export const OBJECT_WRITE_ACTIONS = ["s3:PutObject", "s3:AbortMultipartUpload"] as const;
/** A writer lists its bucket: a missing object (404 NoSuchKey: nothing uploaded yet) told from a forbidden one (403) */
export const BUCKET_LIST_ACTIONS = ["s3:ListBucket"] as const;

/** The S3 actions a bucket access allows: on the bucket's objects, and on the bucket itself */
export const bucketActions = (access: Access): { objects: string[]; bucket: string[] } => ({
  objects: [...(readsWith(access) ? OBJECT_READ_ACTIONS : []), ...(writesWith(access) ? OBJECT_WRITE_ACTIONS : [])],
  bucket: writesWith(access) ? [...BUCKET_LIST_ACTIONS] : [],
});

/** What the evidence sealer may do in the evidence archive (lib/constructs/evidence-archive.ts): put objects, never delete */
export const EVIDENCE_ARCHIVE_ACTIONS = ["s3:PutObject"] as const;
