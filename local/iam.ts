/**
 * IAM for the local DynamoDB and SQS emulators. Each function signs its calls with its own access key
 * (local/identities.ts; lambdas/shared/aws.ts), so the emulators can do what a function's role does in
 * AWS: admit a call only on the tables its declaration grants (`tables`), with only the actions that
 * grant gives, and only a send to the queues it names (`sendsTo`, `sendsToHub`, the `send-…`
 * discovery permissions) or a count of every queue's messages (`observe-queues`): the action lists
 * are lib/declaration/iam-actions.ts's, which lib/constructs writes into the role. A function whose
 * declaration lacks a grant it uses fails here as it would once deployed: AccessDeniedException.
 * Calls signed with the province's own key (seeding, schedules, the TTL sweeper, the queues' pollers,
 * operators' commands, tests) are the account's administrator's and pass.
 */
import { EVIDENCE_SEALER } from "#lib/declaration/departments.ts";
import {
  bucketActions,
  DISCOVERY_QUEUE_GRANTS,
  EVIDENCE_ARCHIVE_ACTIONS,
  QUEUE_SEND_ACTIONS,
  tableActions,
} from "#lib/declaration/iam-actions.ts";
import type { Access } from "#lib/declaration/types.ts";
import type { S3Authorizer, SqsAuthorizer } from "./emulator-guards.ts";
import type { DynamoAuthorizer, Emulators } from "./emulators.ts";
import { EVIDENCE_BUCKET } from "./hub-keys.ts";
import type { LocalIdentities, LocalIdentity } from "./identities.ts";
import type { NodeResources } from "./resources.ts";

/**
 * The function an access key is, with its grants as `grantsOf` reads them off its identity (once per
 * key), or undefined for a key no function holds: the province's own work, an operator, a test. Such a
 * key is not remembered: it may be one issued a moment later (a twelfth city joining).
 */
function functionsByKey<G>(
  identities: LocalIdentities,
  grantsOf: (identity: LocalIdentity) => G,
): (accessKeyId: string | undefined) => { identity: LocalIdentity; granted: G } | undefined {
  const known = new Map<string, { identity: LocalIdentity; granted: G }>();
  return (accessKeyId) => {
    if (!accessKeyId) return undefined;
    const kept = known.get(accessKeyId);
    if (kept) return kept;
    const identity = identities.byAccessKey(accessKeyId);
    if (!identity) return undefined;
    const fn = { identity, granted: grantsOf(identity) };
    known.set(accessKeyId, fn);
    return fn;
  };
}

function dynamoAuthorizer(identities: LocalIdentities, resources: ReadonlyMap<string, NodeResources>): DynamoAuthorizer {
  /** each granted table's physical name with the actions its grant gives */
  const functionOf = functionsByKey(identities, (identity) => {
    const tables = resources.get(identity.nodeId)?.tables;
    const granted = new Map<string, Set<string>>();
    for (const [tableId, access] of Object.entries(identity.declaration.tables ?? {}) as [string, Access][]) {
      const name = tables?.get(tableId);
      if (name) granted.set(name, new Set(tableActions(access)));
    }
    return granted;
  });
  return ({ accessKeyId, operation, tables }) => {
    const fn = functionOf(accessKeyId);
    if (!fn) return undefined; // not a function's key: the province's own work, an operator, a test
    const action = `dynamodb:${operation}`;
    const refusedOn = tables.length === 0 ? ["*"] : tables.filter((table) => !fn.granted.get(table)?.has(action));
    if (refusedOn.length === 0) return undefined;
    return `User: ${fn.identity.userArn} is not authorized to perform: ${action} on resource: table/${refusedOn.join(", table/")} (its declaration grants ${
      [...fn.granted.keys()].join(", ") || "no table"
    })`;
  };
}

/** A queue name pattern of the grants (`*`: any run of characters) as a matcher of physical names */
const namePattern = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );

function sqsAuthorizer(identities: LocalIdentities, resources: ReadonlyMap<string, NodeResources>): SqsAuthorizer {
  /** the queues (name matchers) each action is granted on */
  const functionOf = functionsByKey(identities, (identity) => {
    const { sendsTo = [], sendsToHub = [], discovery = [] } = identity.declaration;
    const named = (nodeId: string, queueId: string) => resources.get(nodeId)?.queues.get(queueId)?.name ?? `${nodeId}:${queueId}`;
    const grants = [
      ...sendsTo.map((q) => ({ queue: named(identity.nodeId, q), actions: QUEUE_SEND_ACTIONS })),
      ...sendsToHub.map((q) => ({ queue: named("hub", q), actions: QUEUE_SEND_ACTIONS })),
      ...discovery.flatMap((d) => DISCOVERY_QUEUE_GRANTS[d] ?? []),
    ];
    return grants.flatMap(({ queue, actions }) => actions.map((action) => ({ action, queue: namePattern(queue), shown: queue })));
  });
  return ({ accessKeyId, operation, queue }) => {
    const fn = functionOf(accessKeyId);
    if (!fn) return undefined; // not a function's key: the province's own work, an operator, a test
    // IAM authorizes a batch as its single action (sqs:SendMessage for SendMessageBatch)
    const action = `sqs:${operation.replace(/Batch$/, "")}`;
    if (queue !== undefined && fn.granted.some((g) => g.action === action && g.queue.test(queue))) return undefined;
    const shown = [...new Set(fn.granted.map((g) => `${g.action.slice(4)} ${g.shown}`))];
    return `User: ${fn.identity.userArn} is not authorized to perform: ${action} on resource: ${queue ?? "*"} (its declaration grants ${
      shown.join(", ") || "no queue"
    })`;
  };
}

/**
 * A function's key on S3: its declaration's `buckets` (the object actions of each grant, and listing
 * for a writer), and the evidence sealer's puts into the evidence archive, which its construct grants
 * (lib/constructs/evidence-archive.ts). Admitted calls go on to s3rver under the province's key.
 */
function s3Authorizer(identities: LocalIdentities, resources: ReadonlyMap<string, NodeResources>): S3Authorizer {
  /** each granted bucket's name with the actions its grant gives, on its objects and on itself */
  const functionOf = functionsByKey(identities, (identity) => {
    const granted = new Map<string, Set<string>>();
    for (const [bucketId, access] of Object.entries(identity.declaration.buckets ?? {}) as [string, Access][]) {
      const name = resources.get(identity.nodeId)?.buckets.get(bucketId);
      const { objects, bucket } = bucketActions(access);
      if (name) granted.set(name, new Set([...objects, ...bucket]));
    }
    if (identity.nodeId === "hub" && identity.declaration.id === EVIDENCE_SEALER)
      granted.set(EVIDENCE_BUCKET, new Set(EVIDENCE_ARCHIVE_ACTIONS));
    return granted;
  });
  return ({ accessKeyId, needs }) => {
    const fn = functionOf(accessKeyId);
    if (!fn) return undefined; // not a function's key: s3rver's own check (the province's key pair)
    const refused = needs.find(({ action, bucket }) => !fn.granted.get(bucket)?.has(action));
    if (!refused) return true;
    return `User: ${fn.identity.userArn} is not authorized to perform: ${refused.action} on resource: ${refused.bucket} (its declaration grants ${
      [...fn.granted.keys()].join(", ") || "no bucket"
    })`;
  };
}

/** From now on, a function's own key reaches only the tables, queues and buckets its declaration grants */
export function enforceGrants(
  emulators: Pick<Emulators, "authorizeDynamo" | "authorizeSqs" | "authorizeS3">,
  identities: LocalIdentities,
  resources: ReadonlyMap<string, NodeResources>,
): void {
  emulators.authorizeDynamo(dynamoAuthorizer(identities, resources));
  emulators.authorizeSqs(sqsAuthorizer(identities, resources));
  emulators.authorizeS3(s3Authorizer(identities, resources));
}
