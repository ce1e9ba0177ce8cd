/**
 * The provincial hub, one node in several stacks (docs/adr/0010-hub-stacks.md), each deployable on its
 * own once the stacks before it are deployed, in HUB_STACK_IDS order:
 * - HebeiHealth-Hub (core): registries, credentials, connection board, audit repository and its queue,
 *   the MPI, the activity counters, and the hub's Operator and Internal REST APIs with their stage;
 * - HebeiHealth-Hub-Exchange: the inbound exchange queue, the record locator, subscriptions and push;
 * - HebeiHealth-Hub-Settlement: the Settlement FIFO queue, the insurer's results, ClaimResponses;
 * - HebeiHealth-Hub-Operations: the operations summary and dashboard page.
 * Each holds the part of the hub declaration its parts name (DeclarationPart.hubStack), adds its routes
 * to the core's APIs, and finds the tables of earlier stacks through SSM. Publishes what the cities need
 * in SSM; knows no city (a city added later changes nothing here).
 */
import { aws_iam as iam, Stack } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { HUB_STACK_ID, PROVINCE } from "#lib/config/province.ts";
import { EVIDENCE_READER, EVIDENCE_SEALER } from "#lib/declaration/departments.ts";
import { HUB_API_MOUNTS, HUB_STACK_IDS, type HubStackId, hubStackDeclaration } from "#lib/declaration/index.ts";
import { discoveryNames, HUB_OPS_TABLES } from "#shared/discovery-names.ts";
import {
  CITY_ROLE_PATTERN,
  crossAccountInsurance,
  INSURANCE_KEY_DIRECTORY_ROLE_NAME,
  INSURANCE_KEY_DIRECTORY_ROLE_PATH,
  INSURANCE_ROLE_PATTERN,
  insuranceAccount,
  insuranceKeyDirectoryStatements,
} from "../constructs/discovery.ts";
import { DiscoveryParameters } from "../constructs/discovery-parameters.ts";
import { EvidenceArchive } from "../constructs/evidence-archive.ts";
import { HealthCardSecret } from "../constructs/health-card-secret.ts";
import { hubStackParameters, importedHubQueue, importedHubTable } from "../constructs/hub-stack-parameters.ts";
import { ManagedPolicyRole } from "../constructs/managed-policy-role.ts";
import { acknowledgeWildcards } from "../constructs/nag.ts";
import { NodeStack, type NodeStackProps } from "./node-stack.ts";

const title = (s: HubStackId): string => s.charAt(0).toUpperCase() + s.slice(1);

/** "HebeiHealth-Hub" for the core, "HebeiHealth-Hub-Exchange" … for the others */
export const hubStackName = (s: HubStackId): string => (s === "core" ? HUB_STACK_ID : `${HUB_STACK_ID}-${title(s)}`);

/** Every hub stack's name, in deploy order */
export const HUB_STACK_NAMES = HUB_STACK_IDS.map(hubStackName);

const DESCRIPTIONS: Record<HubStackId, string> = {
  core: "registries, credentials, connection board, audit, MPI and the hub's APIs",
  exchange: "inbound exchange, record locator, subscriptions and push",
  settlement: "insurance settlement (One-Line Connect)",
  operations: "operations summary and dashboard page",
};

/** Per hub API, "<path>" of each route the core stack holds: the other stacks' segments must differ */
const coreRoutes = (): Map<string, string[]> => new Map(hubStackDeclaration("core").apis.map((a) => [a.id, a.routes.map((r) => r.path)]));

export interface HubStackProps extends NodeStackProps {
  hubStack: HubStackId;
}

export class HubStack extends NodeStack {
  readonly hubStack: HubStackId;

  constructor(scope: Construct, id: string, { hubStack, ...props }: HubStackProps) {
    const core = hubStack === "core";
    super(
      scope,
      id,
      "hub",
      hubStackDeclaration(hubStack),
      { description: `Hebei Health Cloud: provincial hub, ${DESCRIPTIONS[hubStack]}`, ...props },
      core
        ? {}
        : {
            importTable: (s, tableId) => importedHubTable(s, tableId, hubStack),
            importQueue: (s, queueId) => importedHubQueue(s, queueId, hubStack),
            attachTo: coreRoutes(),
            dashboardName: `hhc-hub-${hubStack}`,
          },
    );
    this.hubStack = hubStack;
    const names = discoveryNames(PROVINCE.ssmPrefix);
    const queue = (q: string) => this.state.queues.get(q);
    const published: Record<string, string> = {};

    // A queue the cities send to: any city's function roles (path /hhc/city/<cityId>/) may send (each
    // city stack grants its roles), and its URL, ARN and key ARN are published for them to find (ADR 2)
    const publishInbound = (q: NonNullable<ReturnType<typeof queue>>, url: string, arn: string, key: string) => {
      q.admitSenders(CITY_ROLE_PATTERN);
      published[url] = q.queue.queueUrl;
      published[arn] = q.queue.queueArn;
      published[key] = q.key.keyArn;
    };
    const exchange = queue("Exchange");
    if (exchange) publishInbound(exchange, names.hubExchangeQueueUrl, names.hubExchangeQueueArn, names.hubExchangeKeyArn);
    const audit = queue("Audit");
    if (audit) publishInbound(audit, names.hubAuditQueueUrl, names.hubAuditQueueArn, names.hubAuditKeyArn);
    const settlement = queue("Settlement");
    if (settlement) {
      publishInbound(settlement, names.hubSettlementQueueUrl, names.hubSettlementQueueArn, names.hubSettlementKeyArn);
      // the insurance platform (its own stack, maybe its own account: -c insuranceAccount=…) consumes
      // the Settlement queue and answers on SettlementResults
      settlement.admitConsumers(INSURANCE_ROLE_PATTERN, insuranceAccount(this));
      queue("SettlementResults")?.admitSenders(INSURANCE_ROLE_PATTERN, insuranceAccount(this));
      const other = crossAccountInsurance(this);
      if (other) this.insuranceKeyDirectory(other);
    }
    // each drug catalogue version, for the insurance platform's own copy (docs/drugs-devices.md)
    queue("DrugCatalogueVersions")?.admitConsumers(INSURANCE_ROLE_PATTERN, insuranceAccount(this));

    // the health cards' province secret, read only by the function that derives the cards (docs/health-card.md)
    if (this.services.functions.has("HealthCard"))
      new HealthCardSecret(this, "HealthCardSecret", { readers: [this.services.function("HealthCard")] });

    // the department exchange's evidence log: its signing key, Object Lock archive and sealer alarm (docs/departments.md#evidence-log)
    if (this.services.functions.has(EVIDENCE_SEALER))
      new EvidenceArchive(this, "EvidenceArchive", {
        sealer: this.services.function(EVIDENCE_SEALER),
        reader: this.services.function(EVIDENCE_READER),
        alarms: this.state.alarms,
      });

    // for the hub stacks deployed after this one: its tables and their key
    for (const [tableId, table] of this.state.tables) published[hubStackParameters.table(tableId)] = table.tableName;
    if (this.state.tablesKey) published[hubStackParameters.tablesKeyArn(hubStack)] = this.state.tablesKey.keyArn;
    // its queues' keys (a queue's name is fixed: queuePhysicalName), for their senders and consumers there
    for (const [queueId, q] of this.state.queues) published[hubStackParameters.queueKeyArn(queueId)] = q.key.keyArn;

    if (core) {
      // the internal API answers the cities' function roles only (each grant names its routes): docs/node-identity.md
      this.services.api("Internal").admitCallers(CITY_ROLE_PATTERN);
      const internal = this.services.api("Internal").api;
      published[names.hubInternalApiUrl] = internal.url;
      published[names.hubInternalApiId] = internal.restApiId;
      // where the operator's bootstrap command writes the operator credential and the jurisdictions, and the
      // master patient index's tables its re-index reads and writes (npm run mpi-reindex)
      for (const tableId of HUB_OPS_TABLES) published[names.hubOpsTable(tableId)] = this.state.table(tableId).tableName;
      // the APIs, their mounts and their authorizers, for the other hub stacks' routes
      for (const [apiId, mounts] of Object.entries(HUB_API_MOUNTS)) {
        const nodeApi = this.services.api(apiId);
        published[hubStackParameters.apiId(apiId)] = nodeApi.api.restApiId;
        for (const mount of mounts)
          published[hubStackParameters.apiResource(apiId, mount)] =
            mount === "" ? nodeApi.api.root.resourceId : nodeApi.api.root.resourceForPath(mount).resourceId;
        const authorizer = nodeApi.declaration.defaultAuth.kind === "lambda" ? nodeApi.declaration.defaultAuth.authorizer : undefined;
        const found = authorizer ? nodeApi.authorizerOf(authorizer) : undefined;
        if (authorizer && found) published[hubStackParameters.apiAuthorizer(apiId, authorizer)] = found.authorizerId;
      }
    }
    new DiscoveryParameters(this, "Discovery", published);
  }

  /**
   * The insurance platform in another account reads the cities' public keys and publishes its own in
   * the province's key directory (SSM, this account) through this role, which only its /hhc/insurance/
   * roles may assume (docs/node-identity.md).
   */
  private insuranceKeyDirectory(account: string): void {
    const stack = Stack.of(this);
    const role = new ManagedPolicyRole(this, "InsuranceKeyDirectory", {
      roleName: INSURANCE_KEY_DIRECTORY_ROLE_NAME,
      path: INSURANCE_KEY_DIRECTORY_ROLE_PATH,
      description: "The insurance platform (another account) reads the cities' public keys and publishes its own",
      assumedBy: new iam.AccountPrincipal(account).withConditions({
        ArnLike: {
          "aws:PrincipalArn": stack.formatArn({
            service: "iam",
            region: "",
            account,
            resource: "role",
            resourceName: INSURANCE_ROLE_PATTERN.slice(1),
          }),
        },
      }),
    });
    const grant = insuranceKeyDirectoryStatements(this);
    for (const statement of grant.statements) role.addToPrincipalPolicy(statement);
    acknowledgeWildcards(role, grant.wildcards);
  }
}
