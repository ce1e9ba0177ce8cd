/**
 * What the hub and a city stack share: the node's state (NodeState) and services (NodeServices),
 * both built from the node declaration, and the node's tag. Each node is its own stack with no
 * reference to another stack (DESIGN.md decision 3).
 */
import { Stack, type StackProps, Tags } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { NodeDeclaration } from "#lib/declaration/index.ts";
import { NodeServices, type NodeServicesProps } from "../constructs/node-services.ts";
import { NodeState, type NodeStateProps } from "../constructs/node-state.ts";
import { OpsDashboard } from "../constructs/ops-dashboard.ts";

export interface NodeStackProps extends StackProps {
  /** Where handler bundles are built (default: cdk.out/.bundles) */
  bundleRoot?: string;
}

/** How a node spread over several stacks (the hub) puts one of them together */
export interface NodeStackParts {
  importTable?: NodeStateProps["importTable"];
  importQueue?: NodeStateProps["importQueue"];
  attachTo?: NodeServicesProps["attachTo"];
  /** The CloudWatch dashboard's name (default hhc-<nodeId>) */
  dashboardName?: string;
}

export abstract class NodeStack extends Stack {
  readonly nodeId: string;
  readonly state: NodeState;
  readonly services: NodeServices;
  readonly ops: OpsDashboard;

  protected constructor(
    scope: Construct,
    id: string,
    nodeId: string,
    declaration: NodeDeclaration,
    { bundleRoot, ...props }: NodeStackProps,
    parts: NodeStackParts = {},
  ) {
    super(scope, id, props);
    this.nodeId = nodeId;
    Tags.of(this).add("hhc:node", nodeId);
    this.state = new NodeState(this, "State", { nodeId, declaration, importTable: parts.importTable, importQueue: parts.importQueue });
    this.services = new NodeServices(this, "Services", { nodeId, declaration, state: this.state, bundleRoot, attachTo: parts.attachTo });
    this.ops = new OpsDashboard(this, "Ops", {
      nodeId,
      state: this.state,
      services: this.services,
      dashboardName: parts.dashboardName ?? `hhc-${nodeId}`,
    });
  }
}
