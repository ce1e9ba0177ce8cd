/**
 * The monthly figures at the hub (docs/public-health.md#monthly-figures): MeasureReports table
 * (`period` = YYYY-MM, `cityId`), and what they are counted from: the record locator's encounters
 * (a scan of the `Encounter/…` entries: once a month, province-wide), its birth certificates (the
 * `DocumentReference/…` entries typed LOINC 71230-7) and the cities discovery lists.
 */
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { BIRTH_CERTIFICATE_LOINC, figuresOf } from "#domain/public-health/monthly.ts";
import type { MonthlyFigures } from "#ports/public-health.ts";
import { LOINC_SYSTEM, type LocatorEntry } from "#schemas/documents.ts";
import { documentClient } from "#shared/aws.ts";
import type { Discovery } from "#shared/discovery.ts";
import { queryAll, scanAll } from "./scan.ts";

export const dynamoMonthlyFigures = (TableName: string, locatorTable: string, nodes: Discovery): MonthlyFigures => ({
  async get(month, cityId) {
    const got = await documentClient().send(new GetCommand({ TableName, Key: { period: month, cityId }, ConsistentRead: true }));
    return got.Item?.report as Record<string, unknown> | undefined;
  },
  async put(month, cityId, report) {
    await documentClient().send(new PutCommand({ TableName, Item: { period: month, cityId, report } }));
  },
  async list(month, cityId) {
    const items = month
      ? await queryAll<{ cityId: string; report: Record<string, unknown> }>({
          TableName,
          KeyConditionExpression: "period = :p",
          ExpressionAttributeValues: { ":p": month },
        })
      : await scanAll<{ cityId: string; report: Record<string, unknown> }>({ TableName });
    return items.filter((i) => !cityId || i.cityId === cityId).map((i) => i.report);
  },
  async encounters() {
    const items = await scanAll<{ value: LocatorEntry }>({
      TableName: locatorTable,
      FilterExpression: "begins_with(#e, :p)",
      ExpressionAttributeNames: { "#e": "entry" },
      ExpressionAttributeValues: { ":p": "Encounter/" },
    });
    return items.map((i) => ({ cityId: i.value.cityId, empi: i.value.empi, resource: i.value.resource }));
  },
  async births() {
    // the DocumentReference entries typed as a birth certificate (filtered at the table: a small share of documents)
    const items = await scanAll<{ value: LocatorEntry }>({
      TableName: locatorTable,
      FilterExpression: "begins_with(#e, :p) AND contains(#v.#t, :birth)",
      ExpressionAttributeNames: { "#e": "entry", "#v": "value", "#t": "typeTokens" },
      ExpressionAttributeValues: { ":p": "DocumentReference/", ":birth": `${LOINC_SYSTEM}|${BIRTH_CERTIFICATE_LOINC}` },
    });
    return items.map(({ value: v }) => ({ cityId: v.cityId, empi: v.empi, date: v.date ?? v.recordedAt, status: v.status }));
  },
  async cities() {
    return (await nodes.cities()).map((c) => c.id);
  },
});

/** The latest month kept and its figures per city (the dashboard's chart): the months found by a keys-only scan (11 items a month) */
export function latestMonthFigures(TableName: string) {
  return async () => {
    const keys = await scanAll<{ period: string }>({ TableName, ProjectionExpression: "period" });
    const month = keys
      .map((k) => k.period)
      .sort()
      .at(-1);
    if (!month) return null;
    const items = await queryAll<{ cityId: string; report: Record<string, unknown> }>({
      TableName,
      KeyConditionExpression: "period = :p",
      ExpressionAttributeValues: { ":p": month },
    });
    return { month, cities: items.map((i) => ({ cityId: i.cityId, figures: figuresOf(i.report) })) };
  };
}
