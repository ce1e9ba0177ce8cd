/**
 * The stateless half of a node, built from its declaration: one function per declared handler
 * (with grants and triggers) and the node's APIs. Replaceable at will; state lives in NodeState.
 */
import { Construct } from "constructs";
import type { NodeDeclaration } from "#lib/declaration/index.ts";
import { ApiGatewayAccount } from "./api-gateway-account.ts";
import { HubApiRoutes } from "./api-routes.ts";
import { NodeApi } from "./node-api.ts";
import { NodeFunction } from "./node-function.ts";
import type { NodeState } from "./node-state.ts";

export interface NodeServicesProps {
  nodeId: string;
  declaration: NodeDeclaration;
  state: NodeState;
  /** Where handler bundles are built (default: cdk.out/.bundles) */
  bundleRoot?: string;
  /**
   * The declaration's API routes go to the hub's APIs, which another stack (the hub's core) created:
   * per API, the routes the core holds (docs/adr/0010-hub-stacks.md). Omitted: this stack creates its APIs.
   */
  attachTo?: ReadonlyMap<string, string[]>;
}

export class NodeServices extends Construct {
  readonly functions = new Map<string, NodeFunction>();
  readonly apis = new Map<string, NodeApi>();
  readonly attachedRoutes = new Map<string, HubApiRoutes>();

  constructor(scope: Construct, id: string, { nodeId, declaration, state, bundleRoot, attachTo }: NodeServicesProps) {
    super(scope, id);
    for (const f of declaration.functions) {
      this.functions.set(f.id, new NodeFunction(this, f.id, { nodeKind: declaration.kind, nodeId, declaration: f, state, bundleRoot }));
    }
    if (attachTo) {
      for (const a of declaration.apis.filter((x) => x.routes.length > 0))
        this.attachedRoutes.set(
          a.id,
          new HubApiRoutes(this, `${a.id}Routes`, { declaration: a, functions: this.functions, coreRoutes: attachTo.get(a.id) ?? [] }),
        );
      return;
    }
    if (declaration.apis.length === 0) return;
    const account = new ApiGatewayAccount(this, "ApiGatewayAccount");
    for (const a of declaration.apis) {
      this.apis.set(
        a.id,
        new NodeApi(this, `${a.id}Api`, { nodeId, declaration: a, functions: this.functions, logsKey: state.logsKey, account }),
      );
    }
  }

  function(id: string): NodeFunction {
    const fn = this.functions.get(id);
    if (!fn) throw new Error(`no function "${id}" in this node's declaration`);
    return fn;
  }

  api(id: string): NodeApi {
    const api = this.apis.get(id);
    if (!api) throw new Error(`no API "${id}" in this node's declaration`);
    return api;
  }
}
