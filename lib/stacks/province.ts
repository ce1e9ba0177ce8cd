/**
 * The whole province as CDK stacks: the hub, then one stack per configured city, stack ids from
 * the city config (never from an array index), and the reference insurance platform. Used by
 * bin/app.ts and by test/infra.
 */
import type { App, Environment } from "aws-cdk-lib";
import { cityStackId, HUB_STACK_ID, INSURANCE_STACK_ID, PROVINCE } from "#lib/config/province.ts";
import { CityStack } from "./city-stack.ts";
import { HubStack } from "./hub-stack.ts";
import { InsuranceStack } from "./insurance-stack.ts";

export interface ProvinceStacks {
  hub: HubStack;
  cities: CityStack[];
  insurance: InsuranceStack;
}

export function buildProvince(app: App, options: { env: Environment; bundleRoot?: string }): ProvinceStacks {
  const { env, bundleRoot } = options;
  const hub = new HubStack(app, HUB_STACK_ID, { env, bundleRoot });
  const cities = PROVINCE.cities.map((city) => new CityStack(app, cityStackId(city), { env, bundleRoot, city }));
  const insurance = new InsuranceStack(app, INSURANCE_STACK_ID, { env, bundleRoot });
  return { hub, cities, insurance };
}
