/** FHIR messages of the department exchange: the header read or refused naming its field, the amended message id, the request hash. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { amendedMessageId, headerIssue, headerOf, messageBundle, requestHash } from "#domain/departments/messages.ts";
import { MESSAGE_EVENTS } from "#schemas/department-members.ts";
import { messageBundleSchema } from "#schemas/departments.ts";

describe("department messages", () => {
  it("builds a message whose header every reader finds again, for any event and message id", () => {
    fc.assert(
      fc.property(fc.constantFrom(...MESSAGE_EVENTS), fc.stringMatching(/^[A-Za-z0-9\-.]{1,40}$/), (event, id) => {
        const bundle = messageBundle({
          messageId: id,
          event,
          source: "health-cloud",
          destinations: ["public-security"],
          focus: [],
          timestamp: "2026-12-01T00:00:00Z",
        });
        const parsed = messageBundleSchema.parse(JSON.parse(JSON.stringify(bundle)));
        expect(headerOf(parsed)?.id).toBe(id);
        expect(headerOf(parsed)?.eventCoding.code).toBe(event);
      }),
    );
  });

  it("names the field a malformed header lacks, and never reads it as a header", () => {
    const bundle = messageBundleSchema.parse({
      resourceType: "Bundle",
      type: "message",
      entry: [{ resource: { resourceType: "MessageHeader", id: "x" } }],
    });
    expect(headerOf(bundle)).toBeUndefined();
    expect(headerIssue(bundle)?.expression).toBe("MessageHeader.eventCoding");
    const notHeader = messageBundleSchema.parse({
      resourceType: "Bundle",
      type: "message",
      entry: [{ resource: { resourceType: "Patient" } }],
    });
    expect(headerOf(notHeader)).toBeUndefined();
  });

  it("finds the message an update or void names, as valueString or valueId", () => {
    const of = (parameter: unknown) =>
      messageBundleSchema.parse({
        resourceType: "Bundle",
        type: "message",
        entry: [{ resource: { resourceType: "MessageHeader" } }, { resource: { resourceType: "Parameters", parameter } }],
      });
    expect(amendedMessageId(of([{ name: "messageId", valueString: "m1" }]))).toBe("m1");
    expect(amendedMessageId(of([{ name: "messageId", valueId: "m2" }]))).toBe("m2");
    expect(amendedMessageId(of([{ name: "other", valueString: "m3" }]))).toBeUndefined();
  });

  it("hashes the exact bytes: one changed byte, another hash", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.nat(), (text, at) => {
        const bytes = Buffer.from(text);
        const changed = Buffer.from(bytes);
        changed[at % changed.length] = (changed[at % changed.length]! + 1) % 256;
        expect(requestHash(bytes)).not.toBe(requestHash(changed));
        expect(Buffer.from(requestHash(bytes), "base64")).toHaveLength(64);
      }),
    );
  });
});
