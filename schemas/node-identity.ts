/**
 * Who a node is, as the province's IAM callers and signed queue messages name it (docs/node-identity.md).
 *
 * - A city function's IAM role is named `hhc-city-<cityId>-<FunctionId>` (path `/hhc/city/<cityId>/`):
 *   an assumed-role ARN (API Gateway's `requestContext.identity.userArn`) keeps the role name but not
 *   its path, so the name is what tells the hub which city calls. Only the city's own stack can create
 *   a role of that name in the province's account.
 * - Queue messages carry the sending node and an HMAC-SHA256 of `<node>\n<body>` under the node's key
 *   (message attributes below); a message naming a city is accepted only if that city signed it.
 */

/** The sending node of a queue message: "hub", "insurance" or a city id */
export const MESSAGE_NODE_ATTRIBUTE = "hhc-node";
/** base64 HMAC-SHA256 over `<node>\n<body>` under the sending node's signing key */
export const MESSAGE_SIGNATURE_ATTRIBUTE = "hhc-signature";

export type CallerKind = "hub" | "city" | "insurance";
export interface NodeCaller {
  kind: CallerKind;
  /** "hub", "insurance" or the city id */
  nodeId: string;
  /** The calling function's id in its node's declaration */
  functionId: string;
}

/** The IAM role name of a node's function (the stacks name city roles so; the local province names every caller so). */
export function nodeRoleName(kind: CallerKind, nodeId: string, functionId: string): string {
  return kind === "city" ? `hhc-city-${nodeId}-${functionId}` : `hhc-${kind}-${functionId}`;
}

const ASSUMED_ROLE = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;
const CITY_ROLE = /^hhc-city-([a-z]{2,20})-([A-Z][A-Za-z0-9]*)$/;
const OTHER_ROLE = /^hhc-(hub|insurance)-([A-Z][A-Za-z0-9]*)$/;

/**
 * The node behind an IAM caller (an assumed-role ARN), or undefined for any other caller (a user, a
 * role not named as a node's). `account`: when given, a role of another account is no node of the province.
 */
export function nodeOfCaller(userArn: string | undefined, account?: string): NodeCaller | undefined {
  const arn = ASSUMED_ROLE.exec(userArn ?? "");
  if (!arn) return undefined;
  if (account !== undefined && arn[1] !== account) return undefined;
  const city = CITY_ROLE.exec(arn[2]!);
  if (city) return { kind: "city", nodeId: city[1]!, functionId: city[2]! };
  const other = OTHER_ROLE.exec(arn[2]!);
  if (other) return { kind: other[1] as "hub" | "insurance", nodeId: other[1]!, functionId: other[2]! };
  return undefined;
}
