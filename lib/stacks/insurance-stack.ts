/**
 * The reference insurance platform (docs/settlement.md): its ledger and its adjudicator, which
 * consumes the hub's Settlement FIFO queue and answers on the hub's SettlementResults queue, both
 * by their fixed names. Deployable alone (`cdk deploy HebeiHealth-Insurance`), in the hub's account
 * or another one (`-c hubAccount=<hub account id>` here, `-c insuranceAccount=<this account id>` for
 * the hub, whose queue and key policies then admit this account's /hhc/insurance/ roles).
 */
import type { Construct } from "constructs";
import { INSURANCE_DECLARATION } from "#lib/declaration/index.ts";
import { NodeStack, type NodeStackProps } from "./node-stack.ts";

export class InsuranceStack extends NodeStack {
  constructor(scope: Construct, id: string, props: NodeStackProps = {}) {
    super(scope, id, "insurance", INSURANCE_DECLARATION, { description: "Hebei Health Cloud: reference insurance platform", ...props });
  }
}
