/**
 * The DynamoDB actions a table access grants: what CDK writes into a function's role
 * (lib/constructs/grants.ts) and what the local province's DynamoDB emulator admits a function's own
 * key to do (local/iam.ts), so that a grant missing from a declaration fails locally as it would in AWS.
 */
import type { Access } from "./types.ts";

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
