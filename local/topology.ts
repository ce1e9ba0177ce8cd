/**
 * What the local province instantiates, derived from the node declarations: the same list the
 * CDK stacks are built from. local/province.ts creates exactly these resources, and
 * test/infra/parity.test.ts compares this list with the synthesized templates.
 */
import { type CityConfig, PROVINCE } from "#lib/config/province.ts";
import { CITY_DECLARATION, HUB_DECLARATION, INSURANCE_DECLARATION, type NodeDeclaration, type NodeKind } from "#lib/declaration/index.ts";
import { localResourceName, queuePhysicalName } from "#shared/discovery-names.ts";

export interface LocalNodeTopology {
  nodeId: string;
  kind: NodeKind;
  declaration: NodeDeclaration;
  /** Function ids */
  functions: string[];
  /** "<ApiId> <METHOD> <path>" */
  routes: string[];
  /** Table ids, with their local physical names */
  tables: { id: string; name: string }[];
  /** Queue ids (and "<id>Dlq" for each dead-letter queue), with their physical names */
  queues: { id: string; name: string; fifo: boolean; dlqOf?: string }[];
  buckets: { id: string; name: string }[];
}

function nodeTopology(nodeId: string, declaration: NodeDeclaration): LocalNodeTopology {
  return {
    nodeId,
    kind: declaration.kind,
    declaration,
    functions: declaration.functions.map((f) => f.id),
    routes: declaration.apis.flatMap((api) => api.routes.map((r) => `${api.id} ${r.method} ${r.path}`)),
    tables: declaration.tables.map((t) => ({ id: t.id, name: localResourceName(nodeId, t.id) })),
    queues: declaration.queues.flatMap((q) => [
      { id: q.id, name: queuePhysicalName(nodeId, q.id, { fifo: q.fifo }), fifo: q.fifo },
      { id: `${q.id}Dlq`, name: queuePhysicalName(nodeId, q.id, { fifo: q.fifo, dlq: true }), fifo: q.fifo, dlqOf: q.id },
    ]),
    buckets: declaration.buckets.map((b) => ({ id: b.id, name: localResourceName(nodeId, b.id) })),
  };
}

/** A city node: the same declaration for every city, the 12th as the first */
export const cityTopology = (cityId: string): LocalNodeTopology => nodeTopology(cityId, CITY_DECLARATION);

export function localTopology(cities: readonly Pick<CityConfig, "id">[] = PROVINCE.cities): LocalNodeTopology[] {
  return [
    nodeTopology("hub", HUB_DECLARATION),
    ...cities.map((c) => cityTopology(c.id)),
    // the reference insurance platform (another account in AWS, always on here)
    nodeTopology("insurance", INSURANCE_DECLARATION),
  ];
}
