/**
 * Names of the environment variables the stacks set and the handlers read, in one place.
 * Imported by lib/constructs (which sets them) and lambdas/shared/env.ts (which reads them).
 */
export const ENV = {
  nodeKind: "HHC_NODE_KIND",
  nodeId: "HHC_NODE_ID",
  ssmPrefix: "HHC_SSM_PREFIX",
  connectedWindowSeconds: "HHC_CONNECTED_WINDOW_SECONDS",
  /**
   * Optional (default 0): how long a city keeps the hub's positive practitioner check (docs/security.md#practitioners);
   * the stacks set it from the province config (practitionerCacheSeconds)
   */
  practitionerCacheSeconds: "HHC_PRACTITIONER_CACHE_SECONDS",
  /** Optional (default 60): how long a polled inbox Communication stays invisible before it comes back */
  inboxVisibilitySeconds: "HHC_INBOX_VISIBILITY_SECONDS",
  /**
   * The insurance platform in another account than the hub's (-c hubAccount): the role of the hub's
   * account through which it reads and publishes the public keys of the province's key directory
   */
  keyDirectoryRole: "HHC_KEY_DIRECTORY_ROLE_ARN",
  /** "1" in AWS (the stacks set it): queue consumers check SQS's SenderId; the local SQS emulator reports one for all */
  checkSenderId: "HHC_CHECK_SENDER_ID",
  /** The evidence log (docs/departments.md#evidence-log): the KMS key's ARN and its signing algorithm (AWS), the archive bucket */
  evidenceKeyId: "HHC_EVIDENCE_KEY_ID",
  evidenceAlgorithm: "HHC_EVIDENCE_SIGNING_ALGORITHM",
  evidenceBucket: "HHC_EVIDENCE_BUCKET",
  /** Local province only: the evidence key's PEM file in the data folder */
  evidenceLocalKeyFile: "HHC_EVIDENCE_LOCAL_KEY_FILE",
  /** "off": no evidence entries and no fail-closed rule (bench/evidence.ts's comparison only; never set in AWS) */
  evidenceLogging: "HHC_EVIDENCE_LOGGING",
  /** Local province only: the function's own access key, which the local gateway verifies SigV4 signatures against */
  localAccessKeyId: "HHC_LOCAL_ACCESS_KEY_ID",
  localSecretAccessKey: "HHC_LOCAL_SECRET_ACCESS_KEY",
} as const;

const upperSnake = (id: string): string => id.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

export const tableEnvName = (tableId: string): string => `HHC_TABLE_${upperSnake(tableId)}`;
export const queueUrlEnvName = (queueId: string): string => `HHC_QUEUE_URL_${upperSnake(queueId)}`;
export const bucketEnvName = (bucketId: string): string => `HHC_BUCKET_${upperSnake(bucketId)}`;
