/**
 * The capacity settings that matter at 10× the peak (docs/capacity.md), held on the synthesized
 * templates so they cannot silently regress: high-throughput FIFO, SQS data-key reuse, reserved
 * concurrency per function from the load model, consumers polling no faster than they may run.
 */
import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, test } from "vitest";
import {
  cityShare,
  concurrencyPlan,
  FLOOR,
  HEADROOM,
  modelledLoad,
  PEAK_RATES,
  PLANNED_PEAK_MULTIPLE,
  UNRESERVED_MINIMUM,
} from "#lib/capacity/model.ts";
import { PROVINCE } from "#lib/config/province.ts";
import { SQS_DATA_KEY_REUSE_SECONDS } from "#lib/constructs/secure-queue.ts";
import { CITY_DECLARATION, HUB_DECLARATION, INSURANCE_DECLARATION } from "#lib/declaration/index.ts";
import { byTag, resourcesOfType } from "./support/queries.ts";
import { SHARED_SYNTH_TIMEOUT_MS, type SharedProvince, sharedProvince } from "./support/synth.ts";

let province: SharedProvince;
let all: { name: string; template: Template }[];
beforeAll(async () => {
  province = await sharedProvince("cn-north-1");
  const { hubStacks, cities, insurance } = province.stacks;
  all = [...hubStacks, ...cities, insurance].map((s) => ({ name: s.stackName, template: province.template(s) }));
}, SHARED_SYNTH_TIMEOUT_MS);

const cityTemplate = (cityId: string): Template => province.template(province.stacks.cities.find((s) => s.cityId === cityId)!);
const reservedOf = (t: Template, fn: string): unknown =>
  byTag(t, "AWS::Lambda::Function", "hhc:function", fn)[1].Properties.ReservedConcurrentExecutions;

describe("queues", () => {
  test("every FIFO queue (and its DLQ) is high-throughput: de-duplication and throughput per message group", () => {
    let fifo = 0;
    for (const { name, template } of all) {
      for (const [id, q] of Object.entries(resourcesOfType(template, "AWS::SQS::Queue"))) {
        if (!q.Properties.FifoQueue) continue;
        fifo++;
        expect(q.Properties, `${name} ${id}`).toMatchObject({
          DeduplicationScope: "messageGroup",
          FifoThroughputLimit: "perMessageGroupId",
        });
      }
    }
    expect(fifo).toBeGreaterThanOrEqual(2); // the Settlement queue and its DLQ
  });

  test("every queue reuses its KMS data keys for an hour (12× fewer KMS calls than the 5-minute default)", () => {
    let queues = 0;
    for (const { name, template } of all) {
      for (const [id, q] of Object.entries(resourcesOfType(template, "AWS::SQS::Queue"))) {
        queues++;
        expect(q.Properties.KmsDataKeyReusePeriodSeconds, `${name} ${id}`).toBe(SQS_DATA_KEY_REUSE_SECONDS);
      }
    }
    expect(queues).toBeGreaterThan(PROVINCE.cities.length * 2);
    expect(SQS_DATA_KEY_REUSE_SECONDS).toBeGreaterThanOrEqual(3600);
  });
});

describe("API stages", () => {
  const stageOf = (t: Template) => {
    const [, stage] = Object.entries(resourcesOfType(t, "AWS::ApiGateway::Stage"))[0]!;
    return (stage.Properties.MethodSettings as { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }[])[0]!;
  };

  test("a city's stage carries its whole share of 10× the peak; each hospital stays at its own per-caller limit", () => {
    const peak = Object.values(PEAK_RATES).reduce((a, b) => a + b, 0); // about 343 requests/s province-wide
    for (const city of ["baoding", "qinhuangdao"]) {
      const t = cityTemplate(city);
      const { ThrottlingRateLimit: rate, ThrottlingBurstLimit: burst } = stageOf(t);
      expect(rate, city).toBeGreaterThanOrEqual(10 * peak * cityShare(city));
      expect(rate, city).toBeLessThanOrEqual(2 * 10 * peak * cityShare(city));
      expect(burst).toBe(2 * rate);
      // the usage plan (per hospital) keeps the declared throttle
      const [, plan] = Object.entries(resourcesOfType(t, "AWS::ApiGateway::UsagePlan"))[0]!;
      expect(plan.Properties.Throttle).toEqual({
        RateLimit: CITY_DECLARATION.apis[0]!.throttle.rateLimit,
        BurstLimit: CITY_DECLARATION.apis[0]!.throttle.burstLimit,
      });
    }
    // Baoding's documents alone, at today's peak, were above the old 20 requests/s stage limit
    expect(PEAK_RATES.documents * cityShare("baoding")).toBeGreaterThan(20);
  });
});

describe("Lambda concurrency", () => {
  test("every function of every stack has reserved concurrency, equal to the plan for its node", () => {
    const plans = [
      ...province.stacks.hubStacks.map((s) => ({ s, plan: concurrencyPlan("hub", "hub", HUB_DECLARATION).perFunction })),
      ...province.stacks.cities.map((s) => ({ s, plan: concurrencyPlan("city", s.cityId, CITY_DECLARATION).perFunction })),
      { s: province.stacks.insurance, plan: concurrencyPlan("insurance", "insurance", INSURANCE_DECLARATION).perFunction },
    ];
    let functions = 0;
    for (const { s, plan } of plans) {
      for (const [id, fn] of Object.entries(resourcesOfType(province.template(s), "AWS::Lambda::Function"))) {
        const tag = (fn.Properties.Tags as { Key: string; Value: string }[] | undefined)?.find((t) => t.Key === "hhc:function")?.Value;
        if (!tag) continue; // CDK's own helper functions (custom resources)
        functions++;
        expect(fn.Properties.ReservedConcurrentExecutions, `${s.stackName} ${tag} (${id})`).toBe(plan[tag]);
      }
    }
    expect(functions).toBe(
      HUB_DECLARATION.functions.length +
        PROVINCE.cities.length * CITY_DECLARATION.functions.length +
        INSURANCE_DECLARATION.functions.length,
    );
  });

  test("the hot paths get what the model asks at 10× the peak, with headroom; a larger city gets more", () => {
    // documents are the bulk of the province's requests: Baoding (11.54 M people) publishes at 10× its share of 175/s
    const baoding = modelledLoad("city", "DocumentPublish", PLANNED_PEAK_MULTIPLE, cityShare("baoding"));
    expect(baoding.invocationsPerSecond).toBeCloseTo(PEAK_RATES.documents * 10 * cityShare("baoding"), 6);
    expect(reservedOf(cityTemplate("baoding"), "DocumentPublish")).toBe(Math.ceil(baoding.concurrency * HEADROOM));
    expect(reservedOf(cityTemplate("baoding"), "DocumentPublish") as number).toBeGreaterThan(
      reservedOf(cityTemplate("qinhuangdao"), "DocumentPublish") as number,
    );
    // a city's heartbeats can never take more than their floor, however many FEPs misbehave
    expect(reservedOf(cityTemplate("baoding"), "FepHeartbeat")).toBe(FLOOR.request);
  });

  test("queue consumers poll no faster than their reserved concurrency (throttled batches would drift to the DLQ)", () => {
    let consumers = 0;
    for (const { name, template } of all) {
      for (const [id, m] of Object.entries(resourcesOfType(template, "AWS::Lambda::EventSourceMapping"))) {
        const fnId = (m.Properties.FunctionName as { Ref: string }).Ref;
        const fn = resourcesOfType(template, "AWS::Lambda::Function")[fnId]!;
        consumers++;
        expect((m.Properties.ScalingConfig as { MaximumConcurrency: number }).MaximumConcurrency, `${name} ${id}`).toBe(
          fn.Properties.ReservedConcurrentExecutions,
        );
      }
    }
    expect(consumers).toBeGreaterThanOrEqual(5 + PROVINCE.cities.length);
  });

  test("the whole province in one account fits a 6,000 quota, leaving Lambda's 100 unreserved", () => {
    const total =
      concurrencyPlan("hub", "hub", HUB_DECLARATION).total +
      PROVINCE.cities.reduce((sum, c) => sum + concurrencyPlan("city", c.id, CITY_DECLARATION).total, 0) +
      concurrencyPlan("insurance", "insurance", INSURANCE_DECLARATION).total;
    expect(total + UNRESERVED_MINIMUM).toBeLessThanOrEqual(6000);
    // and the plan is not trivially small: the documents alone need over a thousand at 10× the peak
    expect(total).toBeGreaterThan(1000);
  });
});
