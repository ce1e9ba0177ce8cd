/**
 * A node table: on-demand, point-in-time recovery, a customer-managed KMS key, deletion
 * protection, retained when its stack goes. Keys are strings, named by the declaration, as is the
 * TTL attribute when there is one.
 */
import { aws_dynamodb as dynamodb, type aws_kms as kms, RemovalPolicy, Tags } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { TableDeclaration } from "#lib/declaration/index.ts";
import { acknowledge } from "./nag.ts";

/** What a function's grants and environment need of a table: this stack's own, or one an earlier hub stack published */
export interface NodeTable {
  tableName: string;
  tableArn: string;
  key: kms.IKey;
}

export interface SecureTableProps {
  declaration: TableDeclaration;
  key: kms.IKey;
}

export class SecureTable extends dynamodb.Table implements NodeTable {
  readonly declaration: TableDeclaration;
  readonly key: kms.IKey;

  constructor(scope: Construct, id: string, { declaration, key }: SecureTableProps) {
    const { partitionKey, sortKey, timeToLiveAttribute } = declaration;
    super(scope, id, {
      partitionKey: { name: partitionKey, type: dynamodb.AttributeType.STRING },
      ...(sortKey ? { sortKey: { name: sortKey, type: dynamodb.AttributeType.STRING } } : {}),
      ...(timeToLiveAttribute ? { timeToLiveAttribute } : {}),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.declaration = declaration;
    this.key = key;
    Tags.of(this).add("hhc:table", declaration.id);
    acknowledge(this, {
      "HIPAA.Security-DynamoDBInBackupPlan":
        "Continuous backups by point-in-time recovery (35 days) on every table; an AWS Backup plan is an account-level concern of the operator",
    });
  }
}
