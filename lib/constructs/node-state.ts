/**
 * The stateful half of a node, built from its declaration: tables, queues (with DLQs and keys),
 * document buckets (with their access-log bucket) and the key of the node's log groups. Kept
 * apart from the functions and APIs (node-services.ts) so those can be replaced freely.
 */
import { Aws, aws_iam as iam, aws_kms as kms } from "aws-cdk-lib";
import { Construct } from "constructs";
import type { NodeDeclaration } from "#lib/declaration/index.ts";
import { AccessLogsBucket, DocumentBucket } from "./document-bucket.ts";
import { OpsAlarms } from "./ops-alarms.ts";
import { type NodeQueue, SecureQueue } from "./secure-queue.ts";
import { type NodeTable, SecureTable } from "./secure-table.ts";

export interface NodeStateProps {
  nodeId: string;
  declaration: NodeDeclaration;
  /** A table this node's functions use that another stack of the node holds (the hub's stacks) */
  importTable?: (scope: Construct, tableId: string) => NodeTable;
  /** A queue this node's functions send to or consume that an earlier stack of the node holds (the hub's stacks) */
  importQueue?: (scope: Construct, queueId: string) => NodeQueue;
}

function pick<T>(map: Map<string, T>, kind: string, id: string): T {
  const found = map.get(id);
  if (!found) throw new Error(`no ${kind} "${id}" in this node's declaration (has: ${[...map.keys()].join(", ") || "none"})`);
  return found;
}

export class NodeState extends Construct {
  readonly tables = new Map<string, SecureTable>();
  readonly queues = new Map<string, SecureQueue>();
  readonly buckets = new Map<string, DocumentBucket>();
  /** Encrypts the node's tables (when it has any) */
  readonly tablesKey?: kms.Key;
  private readonly imported = new Map<string, NodeTable>();
  private readonly importTable?: (scope: Construct, tableId: string) => NodeTable;
  private readonly importedQueues = new Map<string, NodeQueue>();
  private readonly importQueue?: (scope: Construct, queueId: string) => NodeQueue;
  /** Encrypts every log group of the node (functions, API access logs, WAF logs) */
  readonly logsKey: kms.Key;
  /** Alarms of the node (every DLQ) and the topic operators subscribe to */
  readonly alarms: OpsAlarms;

  constructor(scope: Construct, id: string, { nodeId, declaration, importTable, importQueue }: NodeStateProps) {
    super(scope, id);
    this.importTable = importTable;
    this.importQueue = importQueue;
    this.logsKey = new kms.Key(this, "LogsKey", { description: `CloudWatch Logs of node ${nodeId}`, enableKeyRotation: true });
    this.logsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.${Aws.URL_SUFFIX}`)],
        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources: ["*"],
        conditions: {
          ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` },
        },
      }),
    );
    if (declaration.tables.length > 0) {
      const key = new kms.Key(this, "TablesKey", { description: `DynamoDB tables of node ${nodeId}`, enableKeyRotation: true });
      this.tablesKey = key;
      for (const t of declaration.tables) this.tables.set(t.id, new SecureTable(this, t.id, { declaration: t, key }));
    }
    this.alarms = new OpsAlarms(this, "Alarms", { nodeId });
    for (const q of declaration.queues) {
      const queue = new SecureQueue(this, q.id, { nodeId, declaration: q });
      this.alarms.watchDeadLetters(queue);
      this.queues.set(q.id, queue);
    }
    if (declaration.buckets.length > 0) {
      const accessLogs = new AccessLogsBucket(this, "AccessLogs");
      for (const b of declaration.buckets) this.buckets.set(b.id, new DocumentBucket(this, b.id, { declaration: b, accessLogs }));
    }
  }

  table(id: string): NodeTable {
    return this.ownOrImported(this.tables, this.imported, this.importTable, "table", id);
  }

  queue(id: string): NodeQueue {
    return this.ownOrImported(this.queues, this.importedQueues, this.importQueue, "queue", id);
  }

  /** This stack's own resource, else (a hub stack after the core) the earlier stack's, imported once */
  private ownOrImported<T>(
    own: ReadonlyMap<string, T>,
    imported: Map<string, T>,
    importer: ((scope: Construct, id: string) => T) | undefined,
    kind: string,
    id: string,
  ): T {
    const found = own.get(id) ?? imported.get(id);
    if (found || !importer) return found ?? pick(own as Map<string, T>, kind, id);
    const made = importer(this, id);
    imported.set(id, made);
    return made;
  }

  /** A queue this stack holds (not an imported one): its policies can be changed here */
  ownQueue(id: string): SecureQueue {
    return pick(this.queues, "queue", id);
  }

  bucket(id: string): DocumentBucket {
    return pick(this.buckets, "bucket", id);
  }
}
