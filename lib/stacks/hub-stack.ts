/**
 * The provincial hub: registries, connection board, audit repository, the inbound exchange and audit
 * queues every city sends to, the FIFO settlement queue, the operator API and the IAM-authorized internal API. Publishes
 * what the cities need in SSM; knows no city (a city added later changes nothing here).
 */
import type { Construct } from "constructs";
import { PROVINCE } from "#lib/config/province.ts";
import { HUB_DECLARATION } from "#lib/declaration/index.ts";
import { discoveryNames } from "#shared/discovery-names.ts";
import { CITY_ROLE_PATTERN, INSURANCE_ROLE_PATTERN, insuranceAccount } from "../constructs/discovery.ts";
import { DiscoveryParameters } from "../constructs/discovery-parameters.ts";
import { NodeStack, type NodeStackProps } from "./node-stack.ts";

export class HubStack extends NodeStack {
  constructor(scope: Construct, id: string, props: NodeStackProps = {}) {
    super(scope, id, "hub", HUB_DECLARATION, { description: "Hebei Health Cloud: provincial hub", ...props });
    const exchange = this.state.queue("Exchange");
    const audit = this.state.queue("Audit");
    const settlement = this.state.queue("Settlement");
    // Any city's function roles (path /hhc/city/<cityId>/) may send; each city stack grants its roles.
    exchange.admitSenders(CITY_ROLE_PATTERN);
    audit.admitSenders(CITY_ROLE_PATTERN);
    settlement.admitSenders(CITY_ROLE_PATTERN);
    // the insurance platform (its own stack, maybe its own account: -c insuranceAccount=…) consumes
    // the Settlement queue and answers on SettlementResults
    const results = this.state.queue("SettlementResults");
    settlement.admitConsumers(INSURANCE_ROLE_PATTERN, insuranceAccount(this));
    results.admitSenders(INSURANCE_ROLE_PATTERN, insuranceAccount(this));
    // Functions that push to the cities run under the role path the cities admit (see discovery.ts).
    const internal = this.services.api("Internal").api;

    const names = discoveryNames(PROVINCE.ssmPrefix);
    new DiscoveryParameters(this, "Discovery", {
      [names.hubExchangeQueueUrl]: exchange.queue.queueUrl,
      [names.hubExchangeQueueArn]: exchange.queue.queueArn,
      [names.hubExchangeKeyArn]: exchange.key.keyArn,
      [names.hubAuditQueueUrl]: audit.queue.queueUrl,
      [names.hubAuditQueueArn]: audit.queue.queueArn,
      [names.hubAuditKeyArn]: audit.key.keyArn,
      [names.hubSettlementQueueUrl]: settlement.queue.queueUrl,
      [names.hubSettlementQueueArn]: settlement.queue.queueArn,
      [names.hubSettlementKeyArn]: settlement.key.keyArn,
      [names.hubInternalApiUrl]: internal.url,
      [names.hubInternalApiId]: internal.restApiId,
      // where the operator's bootstrap command writes the operator credential and the jurisdictions
      ...Object.fromEntries(
        (["Registry", "RegistryIndex", "Credentials"] as const).map((id) => [names.hubOpsTable(id), this.state.table(id).tableName]),
      ),
    });
  }
}
