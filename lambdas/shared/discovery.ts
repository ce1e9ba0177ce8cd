/**
 * Run-time discovery of other nodes through SSM parameters (DESIGN.md decision 3), cached per
 * bundle instance for a few minutes so that a re-deployed node is found again without a restart.
 */
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { ssmClient } from "./aws.ts";
import { clock } from "./clock.ts";
import { discoveryNames } from "./discovery-names.ts";

const TTL_MS = 5 * 60_000;
const cache = new Map<string, { value: string; expires: number }>();

export async function lookupParameter(name: string): Promise<string> {
  const hit = cache.get(name);
  if (hit && hit.expires > clock.nowMs()) return hit.value;
  const out = await ssmClient().send(new GetParameterCommand({ Name: name }));
  const value = out.Parameter?.Value;
  if (!value) throw new Error(`SSM parameter ${name} has no value`);
  cache.set(name, { value, expires: clock.nowMs() + TTL_MS });
  return value;
}

export const discovery = (ssmPrefix: string) => {
  const names = discoveryNames(ssmPrefix);
  return {
    hubExchangeQueueUrl: () => lookupParameter(names.hubExchangeQueueUrl),
    hubAuditQueueUrl: () => lookupParameter(names.hubAuditQueueUrl),
    hubSettlementQueueUrl: () => lookupParameter(names.hubSettlementQueueUrl),
    /** Without a trailing slash (API Gateway's stage URLs end in one) */
    hubInternalApiUrl: async () => (await lookupParameter(names.hubInternalApiUrl)).replace(/\/+$/, ""),
    cityPushQueueUrl: (cityId: string) => lookupParameter(names.cityPushQueueUrl(cityId)),
    /** A city's hospital API (its IAM routes serve the other cities), without a trailing slash */
    cityApiUrl: async (cityId: string) => (await lookupParameter(names.cityApiUrl(cityId))).replace(/\/+$/, ""),
  };
};
