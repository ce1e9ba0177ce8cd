/**
 * InsuranceLedger table (insurance platform): each claim's decision per action, and each
 * resident's running totals per calendar year, with conditional single-item writes only.
 *   pk "claim#<hospitalId>|<claimNumber>"  sk "<action>"   the decision
 *   pk "totals#<empi>#<year>"              sk "totals"     inpatient/outpatient fund used, admissions, version,
 *                                                          and the decisions they include
 */

import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { type Decision, emptyTotals, type LedgerStore } from "#ports/settlement.ts";
import { documentClient } from "#shared/aws.ts";
import { conditionalWrite } from "./conditional-write.ts";

/** A ledger item that does not read as totals stops the resident's settlements (never pays on a guess) */
const totalsSchema = z.object({
  inpatientFundFen: z.number().int().nonnegative(),
  outpatientFundFen: z.number().int().nonnegative(),
  admissions: z.number().int().nonnegative(),
  version: z.number().int().nonnegative(),
  applied: z.array(z.string()),
});

const claimPk = (hospitalId: string, claimNumber: string) => `claim#${hospitalId}|${claimNumber}`;
const totalsPk = (empi: string, year: string) => `totals#${empi}#${year}`;

export const dynamoLedgerStore = (tableName: string): LedgerStore => ({
  async getDecision(hospitalId, claimNumber, action) {
    const out = await documentClient().send(
      new GetCommand({ TableName: tableName, Key: { pk: claimPk(hospitalId, claimNumber), sk: action }, ConsistentRead: true }),
    );
    return out.Item?.decision as Decision | undefined;
  },
  putDecision: (decision, replacingVersion) =>
    conditionalWrite(() =>
      documentClient().send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: claimPk(decision.hospitalId, decision.claimNumber),
            sk: decision.action,
            basedOnVersion: decision.basedOnVersion,
            decision,
          },
          ...(replacingVersion === undefined
            ? { ConditionExpression: "attribute_not_exists(pk)" }
            : { ConditionExpression: "basedOnVersion = :v", ExpressionAttributeValues: { ":v": replacingVersion } }),
        }),
      ),
    ),
  async markApplied(decision) {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: claimPk(decision.hospitalId, decision.claimNumber), sk: decision.action },
        UpdateExpression: "SET decision.#status = :applied",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":applied": "applied" },
      }),
    );
  },
  async getTotals(empi, year) {
    const out = await documentClient().send(
      new GetCommand({ TableName: tableName, Key: { pk: totalsPk(empi, year), sk: "totals" }, ConsistentRead: true }),
    );
    if (!out.Item) return emptyTotals();
    const { pk: _pk, sk: _sk, ...totals } = out.Item;
    return totalsSchema.parse(totals);
  },
  putTotals: (empi, year, totals, previousVersion) =>
    conditionalWrite(() =>
      documentClient().send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: totalsPk(empi, year), sk: "totals", ...totals },
          ...(previousVersion === 0
            ? { ConditionExpression: "attribute_not_exists(pk)" }
            : { ConditionExpression: "version = :v", ExpressionAttributeValues: { ":v": previousVersion } }),
        }),
      ),
    ),
});
