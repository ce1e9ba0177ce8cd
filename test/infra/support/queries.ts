/** Reading synthesized templates: resources by type and tag, a function's grants, API routes. */
import type { Template } from "aws-cdk-lib/assertions";

export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown> & { Tags?: { Key: string; Value: string }[] };
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: string[];
}

export interface Statement {
  Effect: string;
  Action: string[];
  Resource: unknown[];
  Condition?: Record<string, unknown>;
}

export const resourcesOfType = (t: Template, type: string): Record<string, CfnResource> =>
  t.findResources(type) as Record<string, CfnResource>;

export const tag = (r: CfnResource, key: string): string | undefined => r.Properties.Tags?.find((x) => x.Key === key)?.Value;

/** The one resource of `type` tagged `key=value`, as [logicalId, resource]. */
export function byTag(t: Template, type: string, key: string, value: string): [string, CfnResource] {
  const found = Object.entries(resourcesOfType(t, type)).filter(([, r]) => tag(r, key) === value);
  if (found.length !== 1) throw new Error(`expected one ${type} tagged ${key}=${value}, found ${found.length}`);
  return found[0]!;
}

export const tagValues = (t: Template, type: string, key: string): string[] =>
  Object.values(resourcesOfType(t, type))
    .map((r) => tag(r, key))
    .filter((v): v is string => v !== undefined)
    .sort();

const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** Statements of the managed policy attached to the role of the function tagged hhc:function=<id>. */
export function functionStatements(t: Template, functionId: string): Statement[] {
  const [, fn] = byTag(t, "AWS::Lambda::Function", "hhc:function", functionId);
  const roleId = (fn.Properties.Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
  const policies = Object.values(resourcesOfType(t, "AWS::IAM::ManagedPolicy")).filter((p) =>
    (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId),
  );
  const inline = Object.values(resourcesOfType(t, "AWS::IAM::Policy")).filter((p) =>
    (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId),
  );
  if (inline.length > 0) throw new Error(`function ${functionId} has an inline policy`);
  return policies.flatMap((p) =>
    (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.map((s) => ({
      ...s,
      Action: asArray(s.Action),
      Resource: asArray(s.Resource),
    })),
  );
}

/** Actions granted on exactly this resource (a CloudFormation value compared structurally). */
export const actionsOn = (statements: Statement[], resource: unknown): string[] =>
  [
    ...new Set(
      statements
        .filter((s) => s.Effect === "Allow" && s.Resource.some((r) => JSON.stringify(r) === JSON.stringify(resource)))
        .flatMap((s) => s.Action),
    ),
  ].sort();

/** SSM parameter names a stack reads at deploy time (`AWS::SSM::Parameter::Value<String>`), by parameter logical id */
function ssmParameters(t: Template): Record<string, string> {
  const parameters = (t.toJSON().Parameters ?? {}) as Record<string, { Type: string; Default?: string }>;
  return Object.fromEntries(
    Object.entries(parameters)
      .filter(([, p]) => p.Type.startsWith("AWS::SSM::Parameter::Value") && p.Default)
      .map(([id, p]) => [id, p.Default!]),
  );
}

const title = (kebab: string): string => kebab.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase());

/** The path of an API Gateway method, from its resource up to the API root (or a mount another hub stack published). */
function routeOf(t: Template, m: CfnResource): string {
  const resources = resourcesOfType(t, "AWS::ApiGateway::Resource");
  const parameters = ssmParameters(t);
  const pathOf = (resourceId: unknown): string => {
    const ref = (resourceId as { Ref?: string }).Ref; // the root is GetAtt <RestApi>.RootResourceId
    if (!ref) return "";
    const mount = parameters[ref] && /\/apis\/[a-z-]+\/resources(\/.*)$/.exec(parameters[ref])?.[1];
    if (mount) return mount === "/root" ? "" : mount;
    const r = resources[ref];
    if (!r) throw new Error(`unknown API resource ${ref}`);
    return `${pathOf(r.Properties.ParentId)}/${r.Properties.PathPart as string}`;
  };
  return pathOf(m.Properties.ResourceId) || "/";
}

const restApiOf = (m: CfnResource): string => (m.Properties.RestApiId as { Ref: string }).Ref;

/** The hhc:api id of a method's API: a RestApi of this template, or one of the hub's APIs found through SSM */
function apiOf(t: Template, m: CfnResource): string {
  const ref = restApiOf(m);
  const api = resourcesOfType(t, "AWS::ApiGateway::RestApi")[ref];
  if (api) return tag(api, "hhc:api")!;
  const imported = /\/apis\/([a-z-]+)\/id$/.exec(ssmParameters(t)[ref] ?? "")?.[1];
  if (!imported) throw new Error("method of an unknown API");
  return title(imported);
}

/** "<ApiId> <METHOD> <path>" for every API Gateway method, the API id read from the RestApi's hhc:api tag (or its SSM name). */
export function routes(t: Template): string[] {
  return Object.values(resourcesOfType(t, "AWS::ApiGateway::Method"))
    .map((m) => `${apiOf(t, m)} ${m.Properties.HttpMethod as string} ${routeOf(t, m)}`)
    .sort();
}

/** The methods of the API `apiId` (hhc:api) in this template, each with its route */
export function methodsOf(t: Template, apiId: string): { route: string; method: CfnResource }[] {
  return Object.values(resourcesOfType(t, "AWS::ApiGateway::Method"))
    .filter((m) => apiOf(t, m) === apiId)
    .map((m) => ({ route: `${m.Properties.HttpMethod as string} ${routeOf(t, m)}`, method: m }));
}

/** The method `<METHOD> <path>` of the API tagged hhc:api=<apiId>. */
export function method(t: Template, apiId: string, httpMethod: string, path: string): CfnResource {
  const [apiLogicalId] = byTag(t, "AWS::ApiGateway::RestApi", "hhc:api", apiId);
  const found = Object.values(resourcesOfType(t, "AWS::ApiGateway::Method")).filter(
    (m) => restApiOf(m) === apiLogicalId && m.Properties.HttpMethod === httpMethod && routeOf(t, m) === path,
  );
  if (found.length !== 1) throw new Error(`expected one ${apiId} ${httpMethod} ${path}, found ${found.length}`);
  return found[0]!;
}
