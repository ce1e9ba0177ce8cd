/**
 * The node's FHIR R4 CapabilityStatement, derived from the routes it declares, so that what
 * /fhir/metadata says is what the node serves.
 */
export interface RouteSummary {
  method: string;
  path: string;
}

type Interaction = "read" | "search-type" | "create" | "update" | "delete";

function interactionOf(route: RouteSummary): { type: string; code: Interaction } | undefined {
  const m = /^\/fhir\/([A-Z][A-Za-z]+)(\/\{[^}]+\})?$/.exec(route.path);
  if (!m) return undefined;
  const type = m[1]!;
  const instance = Boolean(m[2]);
  if (route.method === "GET") return { type, code: instance ? "read" : "search-type" };
  if (route.method === "POST" && !instance) return { type, code: "create" };
  if (route.method === "PUT") return { type, code: "update" };
  if (route.method === "DELETE" && instance) return { type, code: "delete" };
  return undefined;
}

/** `POST [base]` takes a transaction Bundle (the MHD publish): a system-level interaction */
const isTransaction = (route: RouteSummary): boolean => route.method === "POST" && route.path === "/fhir";

export function capabilityStatement(opts: {
  kind: "hub" | "city";
  nodeId: string;
  routes: RouteSummary[];
  date: string;
  version: string;
  searchParams?: Record<string, Record<string, string>>;
}) {
  const byType = new Map<string, Set<Interaction>>();
  for (const route of opts.routes) {
    const it = interactionOf(route);
    if (it) byType.set(it.type, (byType.get(it.type) ?? new Set()).add(it.code));
  }
  const other = opts.routes
    .filter((r) => !interactionOf(r) && !isTransaction(r) && r.path !== "/fhir/metadata")
    .map((r) => `${r.method} ${r.path}`);
  const system = opts.routes.some(isTransaction) ? { interaction: [{ code: "transaction" as const }] } : {};
  const title = opts.kind === "hub" ? "Hebei Health Cloud provincial hub" : `Hebei Health Cloud city node ${opts.nodeId}`;
  return {
    resourceType: "CapabilityStatement",
    status: "active",
    date: opts.date,
    publisher: "Hebei Health Cloud",
    kind: "instance",
    name: opts.kind === "hub" ? "HebeiHealthHub" : "HebeiHealthCityNode",
    title,
    software: { name: "hebei-health-cloud", version: opts.version },
    implementation: { description: title },
    fhirVersion: "4.0.1",
    format: ["json"],
    rest: [
      {
        mode: "server",
        documentation: `Also served (not FHIR resources): ${other.join(", ") || "none"}`,
        security: {
          description:
            "Send Authorization: Bearer <credential> (issued per hospital; the operator's on the hub). A person acting sends X-Practitioner-Id. /health and /fhir/metadata need no credential.",
        },
        ...system,
        resource: [...byType].map(([type, codes]) => {
          const params = codes.has("search-type") ? Object.entries(opts.searchParams?.[type] ?? {}) : [];
          return {
            type,
            interaction: [...codes].sort().map((code) => ({ code })),
            ...(params.length ? { searchParam: params.map(([name, paramType]) => ({ name, type: paramType })) } : {}),
          };
        }),
      },
    ],
  };
}
