/**
 * CaseReports table (hub), docs/public-health.md: `report#<reportId>` / `report` holds a report;
 * `message#<hospitalId>#<messageId>` / `message` the report a hospital's message made (a conditional put);
 * `resident#<empi>` / `<disease>#<diagnosedAt>#<reportId>` a resident's reports per disease (the 7-day
 * fold); `unforwarded` / `<reportId>` the reports the department exchange has not taken yet;
 * `reported#<encounterId>` / `<disease>` an encounter's disease reported; `expect` / `<encounterId>#<disease>`
 * a notifiable diagnosis awaiting its report (few at a time: removed once reported). The lists scan the
 * reports (thousands a month province-wide).
 */
import { DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { CaseReportStore } from "#ports/public-health.ts";
import type { CaseExpectation, CaseReport } from "#schemas/public-health.ts";
import { documentClient } from "#shared/aws.ts";
import { conditionalWrite } from "./conditional-write.ts";
import { queryAll, scanAll } from "./scan.ts";

export const dynamoCaseReportStore = (TableName: string): CaseReportStore => {
  const put = (Item: Record<string, unknown>) => documentClient().send(new PutCommand({ TableName, Item }));
  const remove = (pk: string, sk: string) => documentClient().send(new DeleteCommand({ TableName, Key: { pk, sk } }));
  const get = async (pk: string, sk: string) =>
    (await documentClient().send(new GetCommand({ TableName, Key: { pk, sk }, ConsistentRead: true }))).Item;
  const partition = (pk: string) =>
    queryAll<Record<string, unknown>>({
      TableName,
      KeyConditionExpression: "pk = :p",
      ExpressionAttributeValues: { ":p": pk },
      ConsistentRead: true,
    });
  return {
    async claimMessage(hospitalId, messageId, reportId) {
      const pk = `message#${hospitalId}#${messageId}`;
      const Item = { pk, sk: "message", reportId };
      const claimed = await conditionalWrite(() =>
        documentClient().send(new PutCommand({ TableName, Item, ConditionExpression: "attribute_not_exists(pk)" })),
      );
      return claimed ? { claimed: true } : { claimed: false, reportId: String((await get(pk, "message"))?.reportId ?? reportId) };
    },
    async settleMessage(hospitalId, messageId, reportId) {
      await put({ pk: `message#${hospitalId}#${messageId}`, sk: "message", reportId });
    },
    async get(reportId) {
      return (await get(`report#${reportId}`, "report"))?.report as CaseReport | undefined;
    },
    async put(report) {
      await put({ pk: `report#${report.reportId}`, sk: "report", hospitalId: report.hospitalId, report });
    },
    async recent(empi, disease, since) {
      const items = await queryAll<{ sk: string }>({
        TableName,
        KeyConditionExpression: "pk = :p AND sk BETWEEN :from AND :to",
        ExpressionAttributeValues: { ":p": `resident#${empi}`, ":from": `${disease}#${since}`, ":to": `${disease}#~` },
        ConsistentRead: true,
      });
      return items.map((i) => i.sk.split("#")[2]!);
    },
    async addRecent(r) {
      await put({ pk: `resident#${r.empi}`, sk: `${r.disease}#${r.diagnosedAt}#${r.reportId}` });
    },
    async list(hospitalId) {
      const items = await scanAll<{ report: CaseReport }>({
        TableName,
        FilterExpression: hospitalId ? "sk = :s AND hospitalId = :h" : "sk = :s",
        ExpressionAttributeValues: { ":s": "report", ...(hospitalId ? { ":h": hospitalId } : {}) },
      });
      return items.map((i) => i.report);
    },
    async setUnforwarded(reportId, pending) {
      await (pending ? put({ pk: "unforwarded", sk: reportId }) : remove("unforwarded", reportId));
    },
    async unforwarded() {
      return (await partition("unforwarded")).map((i) => String(i.sk));
    },
    async markReported(encounterId, disease) {
      await put({ pk: `reported#${encounterId}`, sk: disease });
    },
    async isReported(encounterId, disease) {
      return (await get(`reported#${encounterId}`, disease)) !== undefined;
    },
    async expect(expectation) {
      await conditionalWrite(() =>
        documentClient().send(
          new PutCommand({
            TableName,
            Item: { pk: "expect", sk: `${expectation.encounterId}#${expectation.disease}`, expectation },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
    },
    async updateExpectation(expectation) {
      await put({ pk: "expect", sk: `${expectation.encounterId}#${expectation.disease}`, expectation });
    },
    async removeExpectation(encounterId, disease) {
      await remove("expect", `${encounterId}#${disease}`);
    },
    async expectations() {
      return (await partition("expect")).map((i) => i.expectation as CaseExpectation);
    },
  };
};
