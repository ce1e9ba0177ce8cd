/**
 * A queue with its dead-letter queue and its own customer-managed KMS key (rotated), TLS only,
 * physical names fixed by queuePhysicalName so IAM policies can name them without a lookup.
 * The DLQ has the queue's FIFO-ness and the longest retention SQS allows.
 */
import { Aws, Duration, aws_iam as iam, aws_kms as kms, aws_sqs as sqs } from "aws-cdk-lib";
import { Construct } from "constructs";
import type { QueueDeclaration } from "#lib/declaration/index.ts";
import { queuePhysicalName } from "#shared/discovery-names.ts";

/** How long SQS reuses a data key of the queue's KMS key (60 s to 24 h) */
export const SQS_DATA_KEY_REUSE_SECONDS = 3600;

export interface SecureQueueProps {
  nodeId: string;
  declaration: QueueDeclaration;
}

/** A queue a node's functions send to or consume: its own (SecureQueue) or one an earlier hub stack holds */
export interface NodeQueue {
  readonly declaration: QueueDeclaration;
  readonly queue: sqs.IQueue;
  readonly key: kms.IKey;
}

export class SecureQueue extends Construct implements NodeQueue {
  readonly declaration: QueueDeclaration;
  readonly key: kms.Key;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, { nodeId, declaration }: SecureQueueProps) {
    super(scope, id);
    this.declaration = declaration;
    const { fifo } = declaration;
    const name = queuePhysicalName(nodeId, declaration.id, { fifo });
    this.key = new kms.Key(this, "Key", { description: `SQS ${name} and its DLQ`, enableKeyRotation: true });
    const common = {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      // SQS reuses a data key this long before asking KMS again (AWS default 5 min): at 10× the peak,
      // a 5-minute reuse makes KMS calls per queue and principal 12 times as many (docs/capacity.md)
      dataKeyReuse: Duration.seconds(SQS_DATA_KEY_REUSE_SECONDS),
      // high-throughput FIFO: ordering and de-duplication per message group (the resident), so the
      // queue's throughput grows with the number of groups instead of stopping at 300 messages/s
      ...(fifo
        ? {
            fifo: true,
            contentBasedDeduplication: false,
            deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
            fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
          }
        : {}),
    };
    this.deadLetterQueue = new sqs.Queue(this, "DeadLetterQueue", {
      ...common,
      queueName: queuePhysicalName(nodeId, declaration.id, { fifo, dlq: true }),
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, "Queue", {
      ...common,
      queueName: name,
      visibilityTimeout: Duration.seconds(declaration.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(declaration.retentionDays),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: declaration.maxReceiveCount },
    });
  }

  /**
   * Admits roles of `accountId` (by default this account) whose ARN matches `arn:<partition>:iam::<account>:role<rolePathPattern>`
   * to send (queue policy) and to encrypt for this queue (key policy, only through SQS). The principal
   * is the account, so the admitted role still needs its own identity grant: the policies narrow, never widen.
   */
  admitSenders(rolePathPattern: string, accountId: string = Aws.ACCOUNT_ID): void {
    this.admit(rolePathPattern, accountId, ["sqs:SendMessage"], ["kms:GenerateDataKey", "kms:Decrypt"]);
  }

  /** Admits roles (of `accountId`, by default this one) to consume this queue, as a Lambda event source does. */
  admitConsumers(rolePathPattern: string, accountId: string = Aws.ACCOUNT_ID): void {
    this.admit(
      rolePathPattern,
      accountId,
      ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
      ["kms:Decrypt"],
    );
  }

  private admit(rolePathPattern: string, accountId: string, actions: string[], keyActions: string[]): void {
    const account = new iam.AccountPrincipal(accountId);
    const principalArn = { ArnLike: { "aws:PrincipalArn": `arn:${Aws.PARTITION}:iam::${accountId}:role${rolePathPattern}` } };
    this.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        actions,
        principals: [account],
        resources: [this.queue.queueArn],
        conditions: principalArn,
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: keyActions,
        principals: [account],
        resources: ["*"],
        conditions: { ...principalArn, StringEquals: { "kms:ViaService": `sqs.${Aws.REGION}.${Aws.URL_SUFFIX}` } },
      }),
    );
  }
}
