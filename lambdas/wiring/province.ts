/**
 * The province's cities for the use cases that list them (the connection board, the operations summary,
 * onboarding): from discovery (each city publishes its profile in SSM), never a compiled-in list, so a
 * city added after the hub was deployed appears without rebuilding it.
 */
import type { CityDirectory } from "#ports/province.ts";
import { discovery } from "#shared/discovery.ts";
import { nodeEnv } from "#shared/env.ts";

/** Built at init, where the environment is read (lambdas/shared/env.ts), never per request */
export function provinceCities(): CityDirectory {
  const nodes = discovery(nodeEnv().ssmPrefix);
  return { list: async () => (await nodes.cities()).map((c) => ({ cityId: c.id, nameZh: c.nameZh, adminCode: c.adminCode })) };
}
