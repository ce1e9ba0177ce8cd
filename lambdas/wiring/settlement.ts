/**
 * Composition of settlement: the city's claim handlers (the Claims table, the hub's Settlement FIFO
 * queue, MPI, registry and ClaimResponse search), the hub's settlement results and reads, and the
 * insurance platform's adjudicator.
 */

import { dynamoActivityCounter } from "#adapters/activity.ts";
import { dynamoClaimStore } from "#adapters/claim-store.ts";
import { inboxSender } from "#adapters/inbox-sender.ts";
import { dynamoInsuranceCatalogue } from "#adapters/insurance-catalogue.ts";
import { dynamoLedgerStore } from "#adapters/insurance-ledger.ts";
import { sendSettlementSigned } from "#adapters/queue-sender.ts";
import { settlementHub } from "#adapters/settlement-hub.ts";
import { settlementStore } from "#adapters/settlement-store.ts";
import { discovery } from "#shared/discovery.ts";
import { nodeEnv, queueUrl, tableName } from "#shared/env.ts";
import { hubClient } from "#shared/hub-client.ts";
import type { AdjudicateDeps } from "#use-cases/settlement/adjudicate-claim.ts";
import { isSettled } from "#use-cases/settlement/claim-responses.ts";
import { resolveClaimant } from "#use-cases/settlement/claimant.ts";
import type { SettlementResultDeps } from "#use-cases/settlement/settlement-results.ts";
import type { ClaimSweepDeps, SubmitDeps } from "#use-cases/settlement/submit-claim.ts";
import { cityAuditor } from "#wiring/audit.ts";

/** A city's administrative code, from its published profile (discovery built at init, where the environment is read) */
const cityAdminCode =
  (nodes: ReturnType<typeof discovery>) =>
  async (cityId: string): Promise<string> => {
    const city = await nodes.city(cityId);
    if (!city) throw new Error(`city ${cityId} publishes no profile`);
    return city.adminCode;
  };

/** What both of a city's settlement functions use: the Claims table and the hub (its queue and API) */
function citySettlementParts() {
  const node = nodeEnv();
  const hubApi = hubClient(node.ssmPrefix);
  const nodes = discovery(node.ssmPrefix);
  return { node, nodes, hubApi, hub: settlementHub(nodes, hubApi), claims: dynamoClaimStore(tableName("Claims")) };
}

/** The city's claim handlers: submission (audited) and ClaimResponse search */
export function citySettlement() {
  const { node, nodes, hubApi, hub, claims } = citySettlementParts();
  const adminCode = cityAdminCode(nodes);
  return {
    /** the hub's internal API (practitioner checks) */
    hubApi,
    hub,
    auditor: cityAuditor(node),
    submitDeps: (hospitalId: string, cityId: string): SubmitDeps => ({
      claims,
      send: hub.send,
      reusedTraceCodes: (codes) => hub.reusedTraceCodes(hospitalId, codes),
      resolve: (read) => resolveClaimant({ hub, cityAdminCode: adminCode }, hospitalId, cityId, read),
    }),
  };
}

/** The city's claim sweeper: re-sends what the hub holds no ClaimResponse for (it audits nothing) */
export function cityClaimSweep(): ClaimSweepDeps {
  const { hub, claims } = citySettlementParts();
  return { claims, send: hub.send, settled: (message) => isSettled(hub, message) };
}

/** The hub's settlement results consumer and settlement reads */
export function hubSettlement() {
  const store = settlementStore(tableName("Settlements"));
  return {
    store,
    resultDeps: (): SettlementResultDeps => {
      const activity = dynamoActivityCounter(tableName("Activity"));
      return { store, sendToInbox: inboxSender(discovery(nodeEnv().ssmPrefix)), countClaim: (at) => activity.add("claims", at) };
    },
  };
}

/** The insurance platform's adjudicator: its ledger, and the hub's SettlementResults queue */
export function insuranceAdjudicator(): Omit<AdjudicateDeps, "policies"> {
  const results = queueUrl("SettlementResults");
  return {
    ledger: dynamoLedgerStore(tableName("InsuranceLedger")),
    catalogue: insuranceCatalogue(),
    sendResult: (result) => sendSettlementSigned(results, result),
  };
}

/** The insurance platform's copy of the drug catalogue */
export const insuranceCatalogue = () => dynamoInsuranceCatalogue(tableName("InsuranceCatalogue"));
