/**
 * IAM for the local DynamoDB emulator. Each function signs its calls with its own access key
 * (local/identities.ts; lambdas/shared/aws.ts), so the emulator can do what a function's role does in
 * AWS: admit a call only on the tables its declaration grants (`tables`), and only the actions that
 * grant gives (lib/declaration/iam-actions.ts, as lib/constructs/grants.ts writes them into the role).
 * A function whose declaration lacks a grant it uses fails here as it would once deployed:
 * AccessDeniedException. Calls signed with the province's own key (seeding, schedules, the TTL
 * sweeper, operators' commands, tests) are the account's administrator's and pass.
 */
import { tableActions } from "#lib/declaration/iam-actions.ts";
import type { Access } from "#lib/declaration/types.ts";
import type { DynamoAuthorizer } from "./emulators.ts";
import type { LocalIdentities, LocalIdentity } from "./identities.ts";
import type { NodeResources } from "./resources.ts";

export function dynamoAuthorizer(identities: LocalIdentities, resources: ReadonlyMap<string, NodeResources>): DynamoAuthorizer {
  /** per function (by access key): who it is, and each granted table's physical name with the actions its grant gives */
  const known = new Map<string, { identity: LocalIdentity; granted: Map<string, Set<string>> } | undefined>();
  const functionOf = (accessKeyId: string) => {
    if (known.has(accessKeyId)) return known.get(accessKeyId);
    const identity = identities.byAccessKey(accessKeyId);
    const tables = identity && resources.get(identity.nodeId)?.tables;
    const granted = new Map<string, Set<string>>();
    for (const [tableId, access] of Object.entries(identity?.declaration.tables ?? {}) as [string, Access][]) {
      const name = tables?.get(tableId);
      if (name) granted.set(name, new Set(tableActions(access)));
    }
    const fn = identity ? { identity, granted } : undefined;
    // a key no function holds may be one issued a moment later (a twelfth city joining): only functions' are kept
    if (fn) known.set(accessKeyId, fn);
    return fn;
  };
  return ({ accessKeyId, operation, tables }) => {
    const fn = accessKeyId ? functionOf(accessKeyId) : undefined;
    if (!fn) return undefined; // not a function's key: the province's own work, an operator, a test
    const action = `dynamodb:${operation}`;
    const refusedOn = tables.length === 0 ? ["*"] : tables.filter((table) => !fn.granted.get(table)?.has(action));
    if (refusedOn.length === 0) return undefined;
    return `User: ${fn.identity.userArn} is not authorized to perform: ${action} on resource: table/${refusedOn.join(", table/")} (its declaration grants ${
      [...fn.granted.keys()].join(", ") || "no table"
    })`;
  };
}
