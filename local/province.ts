/**
 * The local province: the hub and the city nodes in one process, with the deployed handler
 * bundles on AWS wire-protocol emulators, built from the same node declarations as the stacks.
 * A city can join while it runs (addCity): its node comes up on the bundles already built, and
 * the other nodes find it through discovery, as a city stack deployed later is found in AWS.
 */

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { bundleDir, bundleHandlers } from "#lib/bundle.ts";
import { type CityConfig, citySchema, PROVINCE } from "#lib/config/province.ts";
import type { FunctionDeclaration } from "#lib/declaration/types.ts";
import { MEMBER_IDS } from "#schemas/department-members.ts";
import { discoveryNames } from "#shared/discovery-names.ts";
import { bucketEnvName, ENV, queueUrlEnvName, tableEnvName } from "#shared/env-names.ts";
import { dashboardPage } from "../lambdas/handlers/hub/dashboard-page.ts";
import { CLOCK_PATH, clockRoute, restoreClock } from "./clock.ts";
import { DEPARTMENTS_PREFIX, departmentEndpointPath, ReferenceDepartments } from "./departments-node.ts";
import { EMULATORS_PATH, type Emulators, LOCAL_CREDENTIALS, LOCAL_REGION, startEmulators } from "./emulators.ts";
import { type AccessLogRecord, type GatewayNode, LocalGateway } from "./gateway.ts";
import { createHealthCardSecret, EVIDENCE_SEALER_PATH, evidenceSealerRoute, localEvidence } from "./hub-keys.ts";
import { enforceGrants } from "./iam.ts";
import { LocalIdentities, type LocalIdentity } from "./identities.ts";
import { expireItems, expireObjects, LIFECYCLE_EVERY_MINUTES } from "./lifecycle.ts";
import { emulatorsRoute, LOCAL_SUMMARY_PATH, localSummaryRoute } from "./loopback-routes.ts";
import { addedCities, clashOf, joinCity, type NewCityHospital, type NewCityOptions, saveAddedCities } from "./new-city.ts";
import { QueuePoller } from "./pollers.ts";
import { createNodeResources, type NodeResources } from "./resources.ts";
import { LocalFunction } from "./runtime.ts";
import { LocalSchedules } from "./schedules.ts";
import { CREDENTIALS_FILE, isSeeded, seedProvince } from "./seed.ts";
import { cityTopology, type LocalNodeTopology, localTopology } from "./topology.ts";
import { handlerPoolFromEnv } from "./workers.ts";

export interface ProvinceOptions {
  dataDir: string;
  port: number;
  /** Authorizer cache TTL; 0 (default) refuses a revoked credential at once, 60 is what AWS does */
  authorizerCacheSeconds?: number;
  /** How long a city keeps the hub's positive practitioner check; the authorizer's TTL unless set (AWS: 60, the province config) */
  practitionerCacheSeconds?: number;
  /** Queue triggers wait out their maxBatchingWindowSeconds as Lambda does (standard queues); false (default): no wait */
  batchingWindows?: boolean;
  log?: (line: string) => void;
}

export interface RunningProvince {
  url: string;
  dataDir: string;
  credentialsFile: string;
  nodes: { nodeId: string; url: string }[];
  resources: Map<string, NodeResources>;
  functions: Map<string, LocalFunction>;
  /** Each function's own access key (its IAM identity, locally): docs/node-identity.md */
  identities: LocalIdentities;
  /**
   * The gateway's access log, newest last: every request it answered, with the fields the stages log in
   * AWS, the record of refusals made before any function ran (docs/security.md#which-layer-records-which-refusal)
   */
  accessLog: readonly AccessLogRecord[];
  endpoints: Emulators["endpoints"];
  /** Every DynamoDB write applied from now until the returned function is called (local/emulators.ts) */
  watchDynamoWrites: Emulators["watchDynamoWrites"];
  /** Every SQS call (its signer, action and queue) from now until the returned function is called */
  watchSqsCalls: Emulators["watchSqsCalls"];
  /** Resolves once no scheduled function is running (the first runs at start are over) */
  schedulesIdle(): Promise<void>;
  timings: { readyMs: number; seeded: boolean; seedMs: number; bundlesBuilt: number; bundlesReused: number };
  /** The cities running: the config's, then those added (kept in the data folder across restarts) */
  cities: CityConfig[];
  /**
   * A city joins the running province: its node on the bundles already built (nothing is rebuilt
   * or reloaded), its discovery parameters, its jurisdiction and a first hospital (with two
   * practitioners and a credential) in the hub's registry.
   */
  addCity(city: CityConfig, options?: NewCityOptions): Promise<{ cityId: string; url: string; hospitals: NewCityHospital[] }>;
  stop(): Promise<void>;
}

/** The cities added to a province at run time, kept in its data folder */
let generation = 0;

function setProcessEnvironment(endpoints: Emulators["endpoints"]): void {
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SSM: endpoints.ssm,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsManager,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    POWERTOOLS_LOG_LEVEL: process.env.HHC_LOG_LEVEL ?? "WARN",
    // CloudWatch's embedded metric format would only clutter the console; the gateway counts locally
    POWERTOOLS_METRICS_DISABLED: "true",
  });
}

/** The environment the stack gives a function: only the resources its declaration names (and, locally, its own access key). */
function functionEnv(
  node: LocalNodeTopology,
  res: NodeResources,
  hub: NodeResources,
  decl: FunctionDeclaration,
  identity: LocalIdentity,
  extra: Record<string, string>,
): Record<string, string> {
  return {
    ...extra,
    [ENV.localAccessKeyId]: identity.accessKeyId,
    [ENV.localSecretAccessKey]: identity.secretAccessKey,
    [ENV.nodeKind]: node.kind,
    [ENV.nodeId]: node.nodeId,
    [ENV.ssmPrefix]: PROVINCE.ssmPrefix,
    [ENV.connectedWindowSeconds]: String(PROVINCE.connectedWindowSeconds),
    POWERTOOLS_SERVICE_NAME: `${node.nodeId}-${decl.id}`,
    ...Object.fromEntries(Object.keys(decl.tables ?? {}).map((id) => [tableEnvName(id), res.tables.get(id)!])),
    ...Object.fromEntries((decl.sendsTo ?? []).map((id) => [queueUrlEnvName(id), res.queues.get(id)!.url])),
    ...Object.fromEntries((decl.sendsToHub ?? []).map((id) => [queueUrlEnvName(id), hub.queues.get(id)!.url])),
    ...Object.fromEntries(Object.keys(decl.buckets ?? {}).map((id) => [bucketEnvName(id), res.buckets.get(id)!])),
  };
}

export async function startProvince(options: ProvinceOptions): Promise<RunningProvince> {
  const started = performance.now();
  const log = options.log ?? ((line: string) => console.error(line));
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  restoreClock(dataDir);
  const gen = ++generation;

  const emulators = await startEmulators(dataDir);
  setProcessEnvironment(emulators.endpoints);
  // HHC_WORKERS=<n>: handlers in n worker threads (they copy this environment as they start)
  const pool = handlerPoolFromEnv();
  if (pool) log(`handlers run in ${pool.size} worker thread(s)`);
  const ddb = new DynamoDBClient({ endpoint: emulators.endpoints.dynamodb });
  // the queue pollers' client: each of their loops holds a connection through its long poll
  // (local/pollers.ts), more than the SDK's default 50 a client
  const sqs = new SQSClient({ endpoint: emulators.endpoints.sqs, requestHandler: { httpAgent: { maxSockets: Infinity } } });
  const s3 = new S3Client({
    endpoint: emulators.endpoints.s3,
    forcePathStyle: true,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });

  const cities = [...PROVINCE.cities, ...addedCities(dataDir)];
  const topology = localTopology(cities);
  const resources = await createNodeResources({ ddb, sqs, s3 }, topology);
  await createHealthCardSecret();
  const evidenceEnv = await localEvidence(dataDir, s3);
  const bundleRoot = path.join(dataDir, "bundles");
  // esbuild runs in its own process: bundling goes on while the registries are seeded
  const bundling = bundleHandlers(
    topology.flatMap((node) => node.declaration.functions.map((f) => f.entry)),
    bundleRoot,
  );
  const functions = new Map<string, LocalFunction>();
  const practitionerCacheSeconds = options.practitionerCacheSeconds ?? options.authorizerCacheSeconds ?? 0;
  const practitionerCacheEnv = (node: LocalNodeTopology): Record<string, string> =>
    node.kind === "city" ? { [ENV.practitionerCacheSeconds]: String(practitionerCacheSeconds) } : {};
  const identities = new LocalIdentities();
  const gatewayNode = (node: LocalNodeTopology): GatewayNode => {
    const res = resources.get(node.nodeId)!;
    const nodeFunctions = new Map(
      node.declaration.functions.map((decl) => {
        const env = functionEnv(node, res, resources.get("hub")!, decl, identities.issue(node.kind, node.nodeId, decl), {
          ...evidenceEnv(decl.id),
          ...practitionerCacheEnv(node),
        });
        const fn = new LocalFunction(node.nodeId, decl, bundleDir(decl.entry, bundleRoot), env, gen, pool);
        functions.set(fn.name, fn);
        return [decl.id, fn] as const;
      }),
    );
    return {
      nodeId: node.nodeId,
      prefix: node.kind === "city" ? `/cities/${node.nodeId}` : `/${node.nodeId}`,
      apis: node.declaration.apis,
      functions: nodeFunctions,
    };
  };
  const gatewayNodes: GatewayNode[] = topology.map(gatewayNode);
  // from here on a function's own key reaches only the tables, queues and buckets its declaration grants
  enforceGrants(emulators, identities, resources);

  const schedules = new LocalSchedules(log);
  const index = new Map([
    [
      "/",
      (req: IncomingMessage, res: ServerResponse) => {
        // a browser gets the operations dashboard; any other client the JSON index below
        if (req.headers.accept?.includes("text/html")) {
          res
            .writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" })
            .end(dashboardPage({ localSummaryUrl: LOCAL_SUMMARY_PATH }));
          return;
        }
        const nodes = gatewayNodes
          .filter((n) => n.apis.length > 0)
          .map((n) => ({
            nodeId: n.nodeId,
            url: `${url}${n.prefix}`,
            health: `${url}${n.prefix}/health`,
            metadata: `${url}${n.prefix}/fhir/metadata`,
          }));
        const timings = [...gateway.authorizerTimings].sort((a, b) => a - b);
        const pct = (p: number) =>
          timings.length ? Number(timings[Math.min(timings.length - 1, Math.floor(p * timings.length))]!.toFixed(2)) : null;
        const authorizer = {
          requests: timings.length,
          p50Ms: pct(0.5),
          p99Ms: pct(0.99),
          cacheSeconds: options.authorizerCacheSeconds ?? 0,
        };
        const metrics = { credentialRefusals: Object.fromEntries(gateway.refusals), authorizer };
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ name: "Hebei Health Cloud (local province)", nodes, metrics }, null, 2));
      },
    ],
    [LOCAL_SUMMARY_PATH, localSummaryRoute(() => url, path.join(dataDir, CREDENTIALS_FILE))],
    [CLOCK_PATH, clockRoute(dataDir, () => schedules.check())],
    [EMULATORS_PATH, emulatorsRoute(emulators.endpoints)],
  ]);
  const gateway = new LocalGateway(gatewayNodes, log, index, options.authorizerCacheSeconds ?? 0, identities);
  // the provincial departments' own systems, which the hub's department exchange delivers to (docs/departments.md)
  const departments = new ReferenceDepartments();
  gateway.mount(DEPARTMENTS_PREFIX, departments.route);
  gateway.mount(EVIDENCE_SEALER_PATH, evidenceSealerRoute(schedules));
  const url: string = await gateway.listen(options.port);

  const names = discoveryNames(PROVINCE.ssmPrefix);
  const hubQueues = resources.get("hub")!.queues;
  emulators.putParameter(names.hubExchangeQueueUrl, hubQueues.get("Exchange")!.url);
  emulators.putParameter(names.hubExchangeQueueArn, hubQueues.get("Exchange")!.arn);
  emulators.putParameter(names.hubAuditQueueUrl, hubQueues.get("Audit")!.url);
  emulators.putParameter(names.hubAuditQueueArn, hubQueues.get("Audit")!.arn);
  emulators.putParameter(names.hubSettlementQueueUrl, hubQueues.get("Settlement")!.url);
  emulators.putParameter(names.hubSettlementQueueArn, hubQueues.get("Settlement")!.arn);
  emulators.putParameter(names.hubInternalApiUrl, `${url}/hub`);
  for (const member of MEMBER_IDS) emulators.putParameter(names.departmentEndpoint(member), `${url}${departmentEndpointPath(member)}`);
  // what a city stack publishes (lib/stacks/city-stack.ts)
  const publishCity = (city: CityConfig) => {
    const push = resources.get(city.id)!.queues.get("Push")!;
    emulators.putParameter(names.cityPushQueueUrl(city.id), push.url);
    emulators.putParameter(names.cityPushQueueArn(city.id), push.arn);
    emulators.putParameter(names.cityApiUrl(city.id), `${url}/cities/${city.id}`);
    emulators.putParameter(names.cityProfile(city.id), JSON.stringify({ id: city.id, nameZh: city.nameZh, adminCode: city.adminCode }));
  };
  for (const city of cities) publishCity(city);

  const seeded = !isSeeded(dataDir);
  const seedStarted = performance.now();
  const hubTables = resources.get("hub")!.tables;
  const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
  if (seeded) {
    await seedProvince(
      doc,
      dataDir,
      {
        registry: hubTables.get("Registry")!,
        registryIndex: hubTables.get("RegistryIndex")!,
        credentials: hubTables.get("Credentials")!,
        drugCatalogue: hubTables.get("DrugCatalogue")!,
        insuranceCatalogue: resources.get("insurance")?.tables.get("InsuranceCatalogue"),
        deviceRegistry: hubTables.get("DeviceRegistry"),
        telemedicine: hubTables.get("Telemedicine"),
      },
      emulators.loadItems,
    );
  }
  const seedMs = seeded ? performance.now() - seedStarted : 0;
  const bundles = await bundling;

  const pollers: QueuePoller[] = [];
  const startTriggers = (node: LocalNodeTopology) => {
    const res = resources.get(node.nodeId)!;
    for (const decl of node.declaration.functions) {
      const fn = functions.get(`${node.nodeId}-${decl.id}`)!;
      if (decl.trigger?.kind === "queue") {
        const queue = (decl.trigger.node === "hub" ? resources.get("hub")! : res).queues.get(decl.trigger.queue)!;
        const poller = new QueuePoller(sqs, fn, {
          queueUrl: queue.url,
          queueArn: queue.arn,
          batchSize: decl.trigger.batchSize,
          // Lambda's event source mapping starts with five batches of a standard queue at a time
          concurrency: 5,
          // Lambda honours a batching window on standard queues only (lib/constructs/node-function.ts)
          batchingWindowSeconds: options.batchingWindows && !queue.url.endsWith(".fifo") ? decl.trigger.maxBatchingWindowSeconds : 0,
          log,
        });
        poller.start();
        pollers.push(poller);
      } else if (decl.trigger?.kind === "schedule") {
        schedules.add(fn.name, decl.trigger.everyMinutes, (time) =>
          fn.invoke({ source: "aws.events", "detail-type": "Scheduled Event", time }),
        );
      }
    }
    // the buckets' lifecycle rules (in AWS, S3's own)
    for (const bucket of node.declaration.buckets) {
      const expire = bucket.expire ?? [];
      const name = res.buckets.get(bucket.id)!;
      if (expire.length)
        schedules.add(`${name}-lifecycle`, LIFECYCLE_EVERY_MINUTES, (time) => expireObjects(s3, name, expire, Date.parse(time)));
    }
    // the tables' TTL (in AWS, DynamoDB's own)
    for (const table of node.declaration.tables) {
      const { timeToLiveAttribute } = table;
      const name = res.tables.get(table.id)!;
      if (timeToLiveAttribute)
        schedules.add(`${name}-ttl`, LIFECYCLE_EVERY_MINUTES, (time) =>
          expireItems(doc, name, { ...table, timeToLiveAttribute }, Date.parse(time)),
        );
    }
  };
  for (const node of topology) startTriggers(node);
  schedules.start(); // each fires at once, re-driving what a previous run left in flight
  gateway.ready = true;
  // for ops commands run beside the province (npm run redrive)
  const endpointsFile = path.join(dataDir, "endpoints.json");
  writeFileSync(
    endpointsFile,
    JSON.stringify({ ...emulators.endpoints, gateway: url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }, null, 2),
  );

  let stopped = false;
  // the nodes that serve HTTP (the insurance platform has no API: it works on queues)
  const nodes = gatewayNodes.filter((n) => n.apis.length > 0).map((n) => ({ nodeId: n.nodeId, url: `${url}${n.prefix}` }));
  return {
    url,
    dataDir,
    credentialsFile: path.join(dataDir, CREDENTIALS_FILE),
    nodes,
    resources,
    functions,
    identities,
    accessLog: gateway.accessLog,
    endpoints: emulators.endpoints,
    watchDynamoWrites: emulators.watchDynamoWrites,
    watchSqsCalls: emulators.watchSqsCalls,
    schedulesIdle: () => schedules.idle(),
    timings: { readyMs: performance.now() - started, seeded, seedMs, bundlesBuilt: bundles.built, bundlesReused: bundles.reused },
    cities,
    async addCity(input, cityOptions) {
      if (stopped) throw new Error("the province has stopped");
      const city = citySchema.parse(input);
      const clash = clashOf(city, cities);
      if (clash) throw new Error(`city ${city.id} cannot join: ${clash}`);
      const node = cityTopology(city.id);
      // the same bundles as every other city's functions: already built, nothing is bundled again
      for (const [nodeId, res] of await createNodeResources({ ddb, sqs, s3 }, [node])) resources.set(nodeId, res);
      const served = gatewayNode(node);
      cities.push(city);
      saveAddedCities(dataDir, cities.slice(PROVINCE.cities.length));
      const hospitals = await joinCity(
        doc,
        dataDir,
        {
          registry: hubTables.get("Registry")!,
          registryIndex: hubTables.get("RegistryIndex")!,
          credentials: hubTables.get("Credentials")!,
        },
        city,
        cities,
        cityOptions,
      );
      gateway.addNode(served);
      startTriggers(node);
      // last, as a city stack's parameters appear once it is deployed: the other nodes find it from now on
      publishCity(city);
      const cityUrl = `${url}${served.prefix}`;
      nodes.push({ nodeId: city.id, url: cityUrl });
      log(`city ${city.id} joined at ${cityUrl}`);
      return { cityId: city.id, url: cityUrl, hospitals };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      gateway.ready = false;
      schedules.stop();
      await gateway.close();
      await Promise.all(pollers.map((p) => p.stop()));
      await pool?.close();
      await emulators.stop();
      rmSync(endpointsFile, { force: true });
      for (const client of [ddb, sqs, s3]) client.destroy();
    },
  };
}
