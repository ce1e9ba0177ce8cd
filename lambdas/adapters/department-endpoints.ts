/**
 * Each provincial department's message endpoint (docs/departments.md): its URL is found through
 * discovery (SSM `<prefix>/departments/<memberId>/endpoint`, set when the department joins; locally the
 * reference departments node), and a message is POSTed to it as `application/fhir+json`.
 */
import type { DepartmentEndpoints } from "#ports/department-exchange.ts";
import { lookupParameter } from "#shared/discovery.ts";
import { discoveryNames } from "#shared/discovery-names.ts";

const TIMEOUT_MS = 10_000;

export function httpDepartmentEndpoints(ssmPrefix: string): DepartmentEndpoints {
  const names = discoveryNames(ssmPrefix);
  return async (member, body) => {
    const url = await lookupParameter(names.departmentEndpoint(member));
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/fhir+json", accept: "application/fhir+json" },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return { status: res.status, body: await res.text(), headers: Object.fromEntries(res.headers) };
  };
}
