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
import type { LocalIdentities } from "./identities.ts";
import type { NodeResources } from "./resources.ts";

export function dynamoAuthorizer(identities: LocalIdentities, resources: ReadonlyMap<string, NodeResources>): DynamoAuthorizer {
  /** per function (by access key), each table's physical name and the actions its grant gives */
  const grants = new Map<string, Map<string, Set<string>>>();
  const grantsOf = (accessKeyId: string): Map<string, Set<string>> | undefined => {
    const known = grants.get(accessKeyId);
    if (known) return known;
    const identity = identities.byAccessKey(accessKeyId);
    if (!identity) return undefined;
    const tables = resources.get(identity.nodeId)?.tables;
    const granted = new Map<string, Set<string>>();
    for (const [tableId, access] of Object.entries(identity.declaration.tables ?? {}) as [string, Access][]) {
      const name = tables?.get(tableId);
      if (name) granted.set(name, new Set(tableActions(access)));
    }
    grants.set(accessKeyId, granted);
    return granted;
  };
  return ({ accessKeyId, operation, tables }) => {
    const granted = accessKeyId ? grantsOf(accessKeyId) : undefined;
    if (!granted) return undefined; // not a function's key: the province's own work, an operator, a test
    const identity = identities.byAccessKey(accessKeyId!)!;
    const action = `dynamodb:${operation}`;
    const refusedOn = tables.length === 0 ? ["*"] : tables.filter((table) => !granted.get(table)?.has(action));
    if (refusedOn.length === 0) return undefined;
    return `User: ${identity.userArn} is not authorized to perform: ${action} on resource: table/${refusedOn.join(", table/")} (its declaration grants ${
      [...granted.keys()].join(", ") || "no table"
    })`;
  };
}
