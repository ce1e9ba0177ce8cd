/**
 * The evidence-log writes the fuzzing sets aside while refused requests run (lib/harness/fuzz/run.ts,
 * evidenceBackgroundWrite): the sealer's and the outbound deliveries', never an inbound message's.
 */
import { describe, expect, it } from "vitest";
import { evidenceBackgroundWrite } from "#lib/harness/fuzz/run.ts";

const tables = ["hhc-hub-evidence"];
const put = (pk: string, sk: string) => ({
  operation: "PutItem",
  tables,
  request: JSON.stringify({ TableName: "hhc-hub-evidence", Item: { pk: { S: pk }, sk: { S: sk }, hash: { S: "x" } } }),
});
const del = (pk: string, sk: string) => ({
  operation: "DeleteItem",
  tables,
  request: JSON.stringify({ TableName: "hhc-hub-evidence", Key: { pk: { S: pk }, sk: { S: sk } } }),
});
const update = (pk: string, sk: string) => ({
  operation: "UpdateItem",
  tables,
  request: JSON.stringify({ TableName: "hhc-hub-evidence", Key: { pk: { S: pk }, sk: { S: sk } }, UpdateExpression: "SET #seq = :seq" }),
});

describe("evidence writes made by the exchange's background work", () => {
  it("the sealer's batches, status and the sealed entries' pending markers", () => {
    expect(evidenceBackgroundWrite(put("batch", "000000000001"))).toBe(true);
    expect(evidenceBackgroundWrite(update("batch", "000000000001"))).toBe(true);
    expect(evidenceBackgroundWrite(put("sealer", "status"))).toBe(true);
    expect(evidenceBackgroundWrite(del("pending", "2026-12-05T11:52:05.861Z|m-1|in"))).toBe(true);
  });

  it("an outbound delivery's leg and its pending marker", () => {
    expect(evidenceBackgroundWrite(update("msg#mr-baoding-2026-11.65ad", "out|health-commission"))).toBe(true);
    expect(evidenceBackgroundWrite(put("pending", "2026-12-05T11:52:05.861Z|mr-baoding-2026-11.65ad|out|health-commission"))).toBe(true);
  });

  it("never an inbound message's leg or pending marker, nor another table's item", () => {
    expect(evidenceBackgroundWrite(put("msg#m-1", "in"))).toBe(false);
    expect(evidenceBackgroundWrite(put("pending", "2026-12-05T11:52:05.861Z|m-1|in"))).toBe(false);
    expect(evidenceBackgroundWrite(put("msg#m-out|x", "in"))).toBe(false);
    expect(evidenceBackgroundWrite({ ...put("batch", "000000000001"), tables: ["hhc-hub-exchange"] })).toBe(false);
  });
});
