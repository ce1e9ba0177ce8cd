/**
 * cdk-nag 3 acknowledgements, kept next to the constructs they concern. cdk-nag 3 reads CDK's
 * native `Validations.of(construct).acknowledge()` metadata on the resource or any ancestor, and
 * wants each finding of a multi-finding rule (IAM5) acknowledged by its exact finding id.
 */
import { Stack, Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/** Acknowledges rules on `scope` and everything under it: `{ "AwsSolutions-S1": "reason" }`. */
export function acknowledge(scope: IConstruct, rules: Record<string, string>): void {
  for (const [id, reason] of Object.entries(rules)) Validations.of(scope).acknowledge({ id, reason });
}

type Cfn = string | { [key: string]: unknown } | unknown[];

/** cdk-nag's rendering of a policy resource: Fn::Join joined, `<Logical.Attr>` for GetAtt, `<Id>` for Ref. */
function flatten(node: Cfn | undefined): string {
  if (node === undefined) return "";
  if (typeof node === "string") return node.replace(/\$\{/g, "<").replace(/}/g, ">");
  if (Array.isArray(node)) return JSON.stringify(node);
  if ("Fn::Join" in node) {
    const [delimiter, items] = node["Fn::Join"] as [string, Cfn[]];
    return items.map(flatten).join(delimiter);
  }
  if ("Fn::Sub" in node) return flatten(node["Fn::Sub"] as Cfn);
  if ("Fn::GetAtt" in node) {
    const [resource, attribute] = node["Fn::GetAtt"] as [string, string];
    return `<${resource}.${attribute}>`;
  }
  if ("Ref" in node) return `<${node.Ref as string}>`;
  return JSON.stringify(node);
}

/** The AwsSolutions-IAM5 finding id of a wildcard resource ARN (a string or a token) in `scope`'s stack. */
export function wildcardResourceFinding(scope: IConstruct, resourceArn: string): string {
  return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resourceArn) as Cfn)}]`;
}

/** Acknowledges the IAM5 findings of wildcard resources granted under `scope`, each with its reason. */
export function acknowledgeWildcards(scope: IConstruct, grants: { resource: string; reason: string }[]): void {
  for (const { resource, reason } of grants) {
    if (resource.includes("*")) Validations.of(scope).acknowledge({ id: wildcardResourceFinding(scope, resource), reason });
  }
}
