/**
 * The province's cities for the use cases that list them (the connection board, the operations summary,
 * onboarding). Today from the compiled-in province config; discovery (SSM) replaces it (issue 11, item 1),
 * here and nowhere else.
 */
import { PROVINCE } from "#lib/config/province.ts";
import type { CityDirectory } from "#ports/province.ts";

export const provinceCities: CityDirectory = {
  list: async () => PROVINCE.cities.map((c) => ({ cityId: c.id, nameZh: c.nameZh, adminCode: c.adminCode })),
};
