/**
 * AWS SDK v3 clients, one each per bundle instance. Endpoints come from the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables (set by the local province, unset in AWS). SSM and API
 * Gateway are called without a client (aws-api.ts).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ENV } from "./env-names.ts";

/**
 * In the local province, the function's own access key, given in its environment at init, as
 * signed-fetch.ts signs with it: the DynamoDB, SQS and S3 emulators see which function calls
 * (local/iam.ts admits it only to the tables, queues and buckets its declaration grants; a presigned
 * URL carries it too). In AWS, unset: the role's credentials through the default provider.
 */
const localKey = process.env[ENV.localAccessKeyId];
const localSecret = process.env[ENV.localSecretAccessKey];
const ownKey = localKey && localSecret ? { credentials: { accessKeyId: localKey, secretAccessKey: localSecret } } : {};

let ddb: DynamoDBDocumentClient | undefined;
let sqs: SQSClient | undefined;
let s3: S3Client | undefined;

export const documentClient = (): DynamoDBDocumentClient => {
  ddb ??= DynamoDBDocumentClient.from(new DynamoDBClient({ ...ownKey }), { marshallOptions: { removeUndefinedValues: true } });
  return ddb;
};
export const sqsClient = (): SQSClient => {
  sqs ??= new SQSClient({ ...ownKey });
  return sqs;
};
export const s3Client = (): S3Client => {
  s3 ??= new S3Client({
    ...ownKey,
    forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3),
    // the emulator corrupts streamed bodies otherwise, and presigned PUTs would carry an empty-body checksum
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  return s3;
};
