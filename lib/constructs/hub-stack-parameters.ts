/**
 * What one hub stack publishes for the hub stacks deployed after it (docs/adr/0010-hub-stacks.md):
 * SSM parameters read at deploy time (`AWS::SSM::Parameter::Value<String>` stack parameters), never
 * CloudFormation exports, so no stack is locked by another. The nodes' run-time discovery names are
 * in lambdas/shared/discovery-names.ts; these are for the stacks only.
 */
import { ArnFormat, aws_kms as kms, Stack, aws_sqs as sqs, aws_ssm as ssm } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { PROVINCE } from "#lib/config/province.ts";
import { HUB_STACK_IDS, type HubStackId, hubStackDeclaration } from "#lib/declaration/index.ts";
import { queuePhysicalName } from "#shared/discovery-names.ts";
import type { NodeQueue } from "./secure-queue.ts";
import type { NodeTable } from "./secure-table.ts";

const base = `${PROVINCE.ssmPrefix}/hub/stacks`;
const kebab = (id: string): string => id.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

export const hubStackParameters = {
  /** The id of one of the hub's REST APIs (created by the core stack) */
  apiId: (apiId: string) => `${base}/apis/${kebab(apiId)}/id`,
  /** The resource id of a path of that API the other stacks mount routes under ("" is the root) */
  apiResource: (apiId: string, path: string) => `${base}/apis/${kebab(apiId)}/resources${path || "/root"}`,
  /** The id of a REQUEST authorizer of that API, by its function */
  apiAuthorizer: (apiId: string, functionId: string) => `${base}/apis/${kebab(apiId)}/authorizers/${kebab(functionId)}`,
  /** A hub table's name */
  table: (tableId: string) => `${base}/tables/${kebab(tableId)}/name`,
  /** The KMS key of a hub queue (and its DLQ) */
  queueKeyArn: (queueId: string) => `${base}/queues/${kebab(queueId)}/key-arn`,
  /** The KMS key of a hub stack's tables */
  tablesKeyArn: (stack: HubStackId) => `${base}/${stack}/tables-key-arn`,
} as const;

/** A value another hub stack published, resolved by CloudFormation at each deploy of this stack */
export const published = (scope: Construct, name: string): string => ssm.StringParameter.valueForStringParameter(scope, name);

/** The hub stack whose declaration holds `tableId` */
export function tableOwner(tableId: string): HubStackId {
  const owner = HUB_STACK_IDS.find((s) => hubStackDeclaration(s).tables.some((t) => t.id === tableId));
  if (!owner) throw new Error(`no hub table "${tableId}"`);
  return owner;
}

/** The hub stack whose declaration holds `queueId` */
export function queueOwner(queueId: string): HubStackId {
  const owner = HUB_STACK_IDS.find((s) => hubStackDeclaration(s).queues.some((q) => q.id === queueId));
  if (!owner) throw new Error(`no hub queue "${queueId}"`);
  return owner;
}

/** A stack may use only what the stacks deployed before it hold */
function assertEarlier(kind: string, id: string, owner: HubStackId, from: HubStackId): void {
  if (HUB_STACK_IDS.indexOf(owner) >= HUB_STACK_IDS.indexOf(from))
    throw new Error(`hub stack ${from} uses ${kind} ${id} of ${owner}, which deploys after it (HUB_STACK_IDS is the deploy order)`);
}

/**
 * A queue of an earlier hub stack: its name is fixed (queuePhysicalName), its key the one that stack
 * published. A later stack's function sends to it or consumes it (the department exchange's queues in
 * the core, used by the capabilities of the Exchange stack: docs/departments.md).
 */
export function importedHubQueue(scope: Construct, queueId: string, from: HubStackId): NodeQueue {
  const owner = queueOwner(queueId);
  assertEarlier("queue", queueId, owner, from);
  const declaration = hubStackDeclaration(owner).queues.find((q) => q.id === queueId)!;
  const key = kms.Key.fromKeyArn(scope, `${queueId}QueueKey`, published(scope, hubStackParameters.queueKeyArn(queueId)));
  const queueArn = Stack.of(scope).formatArn({
    service: "sqs",
    resource: queuePhysicalName("hub", queueId, { fifo: declaration.fifo }),
    arnFormat: ArnFormat.NO_RESOURCE_NAME,
  });
  const queue = sqs.Queue.fromQueueAttributes(scope, `${queueId}Queue`, { queueArn, keyArn: key.keyArn, fifo: declaration.fifo });
  return { declaration, queue, key };
}

/** A table of an earlier hub stack, by the name and key that stack published */
export function importedHubTable(scope: Construct, tableId: string, from: HubStackId): NodeTable {
  const owner = tableOwner(tableId);
  assertEarlier("table", tableId, owner, from);
  const tableName = published(scope, hubStackParameters.table(tableId));
  return {
    tableName,
    tableArn: Stack.of(scope).formatArn({
      service: "dynamodb",
      resource: "table",
      resourceName: tableName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    }),
    key: kms.Key.fromKeyArn(scope, `${tableId}Key`, published(scope, hubStackParameters.tablesKeyArn(owner))),
  };
}
