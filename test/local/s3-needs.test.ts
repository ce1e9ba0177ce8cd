/**
 * The IAM actions the local S3 guard reads off an S3 REST call (local/emulator-guards.ts s3Needs), which
 * local/iam.ts then checks against a function's bucket grants (node-identity.test.ts, end to end).
 */
import { describe, expect, it } from "vitest";
import { s3Needs } from "#local/emulator-guards.ts";

const needs = (method: string, pathAndQuery: string, copySource?: string) =>
  s3Needs(method, new URL(pathAndQuery, "http://127.0.0.1:4569"), copySource).map((n) => `${n.action} ${n.bucket}`);

describe("the actions an S3 call needs", () => {
  it("reads an object's action from its method and sub-resource, whatever other parameters the SDK adds", () => {
    expect(needs("GET", "/docs/a/b.pdf?x-id=GetObject")).toEqual(["s3:GetObject docs"]);
    expect(needs("HEAD", "/docs/a/b.pdf")).toEqual(["s3:GetObject docs"]);
    expect(needs("GET", "/docs/a?versionId=3")).toEqual(["s3:GetObjectVersion docs"]);
    expect(needs("GET", "/docs/a?X-Amz-Credential=K%2F20261206&response-content-disposition=attachment")).toEqual(["s3:GetObject docs"]);
    expect(needs("PUT", "/docs/a?x-id=PutObject")).toEqual(["s3:PutObject docs"]);
    expect(needs("PUT", "/docs/a?partNumber=2&uploadId=u")).toEqual(["s3:PutObject docs"]);
    expect(needs("POST", "/docs/a?uploads")).toEqual(["s3:PutObject docs"]);
    expect(needs("DELETE", "/docs/a?uploadId=u")).toEqual(["s3:AbortMultipartUpload docs"]);
    expect(needs("DELETE", "/docs/a")).toEqual(["s3:DeleteObject docs"]);
    expect(needs("PUT", "/docs/a?acl")).toEqual(["s3:PutObjectAcl docs"]);
    expect(needs("PUT", "/docs/a?legal-hold")).toEqual(["s3:PutObjectLegalHold docs"]);
  });

  it("has a copy read its source, in whatever bucket", () => {
    expect(needs("PUT", "/docs/b?x-id=CopyObject", "/incoming/a%20b")).toEqual(["s3:PutObject docs", "s3:GetObject incoming"]);
    expect(needs("PUT", "/docs/b", "docs/a")).toEqual(["s3:PutObject docs", "s3:GetObject docs"]);
  });

  it("reads a bucket's action: a listing, its configuration, its creation or deletion, a multi-object delete", () => {
    expect(needs("GET", "/docs?list-type=2&prefix=incoming%2F")).toEqual(["s3:ListBucket docs"]);
    expect(needs("HEAD", "/docs")).toEqual(["s3:ListBucket docs"]);
    expect(needs("GET", "/docs?versions")).toEqual(["s3:ListBucketVersions docs"]);
    expect(needs("GET", "/docs?policy")).toEqual(["s3:GetBucketPolicy docs"]);
    expect(needs("PUT", "/docs")).toEqual(["s3:CreateBucket docs"]);
    expect(needs("DELETE", "/docs")).toEqual(["s3:DeleteBucket docs"]);
    expect(needs("POST", "/docs?delete")).toEqual(["s3:DeleteObject docs"]);
    expect(needs("GET", "/")).toEqual(["s3:ListAllMyBuckets *"]);
  });
});
