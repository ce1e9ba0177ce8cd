/**
 * The province's cities for the use cases that list them (the connection board, the operations summary,
 * onboarding): from discovery (each city publishes its profile in SSM), never a compiled-in list, so a
 * city added after the hub was deployed appears without rebuilding it. The node's environment is read
 * when the deps are built, at init (a read per request found it unset: the local runtime sets a
 * function's environment while its bundle loads).
 */
import type { CityDirectory } from "#ports/province.ts";
import { discovery } from "#shared/discovery.ts";
import { nodeEnv } from "#shared/env.ts";

export function provinceCities(): CityDirectory {
  const nodes = discovery(nodeEnv().ssmPrefix);
  return { list: async () => (await nodes.cities()).map((c) => ({ cityId: c.id, nameZh: c.nameZh, adminCode: c.adminCode })) };
}
