/**
 * A city node: the hospital-facing API behind the HospitalAuthorizer, the document store, the
 * outbox and the push queue the hub sends to. Deployable alone (`cdk deploy HebeiHealth-City-Baoding`):
 * it reaches the hub only at run time, through SSM parameters and fixed names.
 */
import { Fn, type aws_iam as iam } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { CityConfig } from "#lib/config/province.ts";
import { PROVINCE } from "#lib/config/province.ts";
import { CITY_DECLARATION } from "#lib/declaration/index.ts";
import { discoveryNames } from "#shared/discovery-names.ts";
import { HUB_PUSH_SENDER_ROLE_PATTERN } from "../constructs/discovery.ts";
import { DiscoveryParameters } from "../constructs/discovery-parameters.ts";
import { NodeStack, type NodeStackProps } from "./node-stack.ts";

export interface CityStackProps extends NodeStackProps {
  city: CityConfig;
}

export class CityStack extends NodeStack {
  readonly city: CityConfig;

  constructor(scope: Construct, id: string, { city, ...props }: CityStackProps) {
    super(scope, id, city.id, CITY_DECLARATION, {
      description: `Hebei Health Cloud: city node ${city.id} (${city.nameZh}, ${city.adminCode})`,
      ...props,
    });
    this.city = city;
    const push = this.state.ownQueue("Push");
    // The hub's push sender is admitted by its role path, not by its ARN: the ARN is the hub's to
    // publish (SSM), and a dynamic reference to it would make this city undeployable before the hub.
    push.admitSenders(HUB_PUSH_SENDER_ROLE_PATTERN);

    const names = discoveryNames(PROVINCE.ssmPrefix);
    new DiscoveryParameters(this, "Discovery", {
      [names.cityPushQueueUrl(city.id)]: push.queue.queueUrl,
      [names.cityPushQueueArn(city.id)]: push.queue.queueArn,
      [names.cityPushKeyArn(city.id)]: push.key.keyArn,
      [names.cityApiUrl(city.id)]: this.services.api("Hospital").api.url,
      // how the other nodes learn that this city exists (lambdas/shared/discovery.ts cities())
      [names.cityProfile(city.id)]: JSON.stringify({ id: city.id, nameZh: city.nameZh, adminCode: city.adminCode }),
      [names.cityUsagePlanId(city.id)]: this.services.api("Hospital").usagePlan.usagePlanId,
      // the unique ids of the roles that send to the hub's queues: in AWS the hub's consumers accept a
      // message naming this city only from them (SQS SenderId; docs/node-identity.md)
      [names.citySenderRoleIds(city.id)]: Fn.join(
        ",",
        [...this.services.functions.values()]
          .filter((f) => (f.declaration.discovery ?? []).some((d) => d.startsWith("send-hub-")))
          .map((f) => (f.role!.node.defaultChild as iam.CfnRole).attrRoleId),
      ),
    });
  }
}
