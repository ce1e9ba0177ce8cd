/**
 * TraceCodes table (hub): `code|<code>` / `dispense` holds the dispense in force (written only when none
 * is: a conditional put), removed by the dispensing hospital's return (a conditional delete); `alerts` /
 * `<time>|<code>|<hospital>` holds each repeated dispense, read newest first, and `code|<code>` /
 * `repeat|<hospital>` marks the hospital that repeated it (a claim of its item is refused).
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Dispense, TraceAlert, TraceRegistry } from "#ports/trace.ts";
import { documentClient } from "#shared/aws.ts";
import { conditionalWrite } from "./conditional-write.ts";

const codeKey = (code: string) => ({ pk: `code|${code}`, sk: "dispense" });

export const dynamoTraceRegistry = (tableName: string): TraceRegistry => {
  const inForce = async (code: string): Promise<Dispense | undefined> => {
    const got = await documentClient().send(new GetCommand({ TableName: tableName, Key: codeKey(code), ConsistentRead: true }));
    return got.Item?.dispense as Dispense | undefined;
  };
  return {
    async dispense(code, dispense) {
      const written = await conditionalWrite(() =>
        documentClient().send(
          new PutCommand({
            TableName: tableName,
            Item: { ...codeKey(code), dispense },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
      if (written) return { recorded: true };
      const current = await inForce(code);
      // released between the two calls: record it now
      return current ? { recorded: false, inForce: current } : this.dispense(code, dispense);
    },
    async release(code, hospitalId) {
      const released = await conditionalWrite(() =>
        documentClient().send(
          new DeleteCommand({
            TableName: tableName,
            Key: codeKey(code),
            ConditionExpression: "dispense.hospitalId = :h",
            ExpressionAttributeValues: { ":h": hospitalId },
          }),
        ),
      );
      if (released) return "released";
      return (await inForce(code)) ? "another-hospital" : "not-dispensed";
    },
    async addAlert(alert) {
      await documentClient().send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: `code|${alert.code}`, sk: `repeat|${alert.repeat.hospitalId}`, at: alert.repeat.at },
        }),
      );
      await documentClient().send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: "alerts", sk: `${alert.repeat.at}|${alert.code}|${alert.repeat.hospitalId}`, alert },
        }),
      );
    },
    async history(code) {
      const out = await documentClient().send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": `code|${code}` },
          ConsistentRead: true,
        }),
      );
      const items = out.Items ?? [];
      const inForce = items.find((item) => item.sk === "dispense")?.dispense as Dispense | undefined;
      const repeatedBy = items.filter((item) => String(item.sk).startsWith("repeat|")).map((item) => String(item.sk).slice(7));
      return { ...(inForce ? { inForce } : {}), repeatedBy };
    },
    async alerts(limit) {
      const out = await documentClient().send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :p",
          ExpressionAttributeValues: { ":p": "alerts" },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return (out.Items ?? []).map((item) => item.alert as TraceAlert);
    },
  };
};
