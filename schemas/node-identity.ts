/**
 * Who a node is, as the province's IAM callers and signed queue messages name it (docs/node-identity.md).
 *
 * - A city function's IAM role is named `hhc-city-<cityId>-<FunctionId>` (path `/hhc/city/<cityId>/`):
 *   an assumed-role ARN (API Gateway's `requestContext.identity.userArn`) keeps the role name but not
 *   its path, so the name is what tells the hub which city calls. Only the city's own stack can create
 *   a role of that name in the province's account.
 * - Queue messages carry the sending node and an HMAC-SHA256 of `<node>\n<key node>\n<body>` under the
 *   key of the city concerned (message attributes below); a message naming a city is accepted only if
 *   that city signed it. Settlement messages (claims, results) cross to the insurance platform, maybe in
 *   another account: they carry an Ed25519 signature of `<node>\n<body>` under the sender's own private
 *   key instead, verified against the public key it publishes in the province's key directory.
 * - In AWS a consumer also checks SQS's `SenderId` (`<role id>:<session>`) against the role ids the
 *   named city publishes (`senderIdRefusal`).
 */

/** The sending node of a queue message: "hub", "insurance" or a city id */
export const MESSAGE_NODE_ATTRIBUTE = "hhc-node";
/** base64 HMAC-SHA256 over `<node>\n<key node>\n<body>` under the signing key of the city concerned */
export const MESSAGE_SIGNATURE_ATTRIBUTE = "hhc-signature";
/** base64 Ed25519 signature over `<node>\n<body>` under the sending node's private key (settlement messages) */
export const MESSAGE_ED25519_ATTRIBUTE = "hhc-signature-ed25519";
/** Set by the operators' re-drive (lib/ops/redrive.ts): how often a message was moved back from its DLQ */
export const MESSAGE_REDRIVES_ATTRIBUTE = "hhc-redrives";

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

/**
 * Why a message naming `city` is refused by its SQS `SenderId` (`<role unique id>:<session name>`, e.g.
 * `AROAEXAMPLE:hhc-city-baoding-PatientFeed`), or undefined when one of that city's sending roles sent
 * it. `cityRoleIds`: the ids the city publishes; `otherRoleIds`: every other city's, asked for only for a
 * re-driven message, which the operator sent again (its SenderId is the operator's): it is accepted
 * unless another city's role sent it (its signature still binds the city).
 */
export function senderIdRefusal(input: {
  senderId: string | undefined;
  city: string;
  cityRoleIds: readonly string[];
  redriven: boolean;
  otherRoleIds?: readonly string[];
}): string | undefined {
  const roleId = input.senderId?.split(":")[0];
  if (!roleId) return `no SenderId (expected a role of ${input.city})`;
  if (input.cityRoleIds.includes(roleId)) return undefined;
  if (input.redriven && !(input.otherRoleIds ?? []).includes(roleId)) return undefined;
  return `SenderId ${roleId} is no sending role of ${input.city}`;
}
