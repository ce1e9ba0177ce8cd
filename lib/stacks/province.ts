/**
 * The whole province as CDK stacks: the hub's stacks (core first, docs/adr/0010-hub-stacks.md), then
 * one stack per configured city, stack ids from the city config (never from an array index), and the
 * reference insurance platform. Used by bin/app.ts and by test/infra.
 */
import type { App, Environment } from "aws-cdk-lib";
import { cityStackId, INSURANCE_STACK_ID, PROVINCE } from "#lib/config/province.ts";
import { HUB_STACK_IDS } from "#lib/declaration/index.ts";
import { CityStack } from "./city-stack.ts";
import { HubStack, hubStackName } from "./hub-stack.ts";
import { InsuranceStack } from "./insurance-stack.ts";

export interface ProvinceStacks {
  /** The hub's core stack (HebeiHealth-Hub) */
  hub: HubStack;
  /** Every hub stack, in deploy order (core first) */
  hubStacks: HubStack[];
  cities: CityStack[];
  insurance: InsuranceStack;
}

export function buildProvince(app: App, options: { env: Environment; bundleRoot?: string }): ProvinceStacks {
  const { env, bundleRoot } = options;
  const hubStacks = HUB_STACK_IDS.map((hubStack) => new HubStack(app, hubStackName(hubStack), { env, bundleRoot, hubStack }));
  const cities = PROVINCE.cities.map((city) => new CityStack(app, cityStackId(city), { env, bundleRoot, city }));
  const insurance = new InsuranceStack(app, INSURANCE_STACK_ID, { env, bundleRoot });
  return { hub: hubStacks[0]!, hubStacks, cities, insurance };
}
