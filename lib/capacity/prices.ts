/**
 * The price table `npm run cost` reads (docs/capacity.md#what-it-costs): per region, each unit price
 * with its currency, the page it comes from and when it was noted. Data, not code: a price change is
 * an edit here, and the tool prints which prices are unverified.
 *
 * How these were noted: this project's machines reach only the npm registry, so no price below was
 * re-read from its page. The global region's (us-east-1, USD) are AWS's published on-demand prices as
 * known on the date noted (`basis: "published"`); the China regions' (CNY, operated by Sinnet in Beijing
 * and NWCD in Ningxia) are estimates (`basis: "estimate"`): check each against its page before a budget
 * relies on it. The tool prints how many of the prices it used are estimates.
 */

export type Currency = "CNY" | "USD";

export interface Price {
  /** In the region's currency, per `unit` */
  value: number;
  unit: string;
  /** The page that publishes it */
  source: string;
  /** When it was noted (YYYY-MM-DD) */
  noted: string;
  /**
   * "published": AWS's published price as known on `noted`, not re-read from the page on this machine;
   * "estimate": derived (a China price from the global one and the ratio the China pages showed): check it
   */
  basis: "published" | "estimate";
}

export interface RegionPrices {
  region: string;
  currency: Currency;
  lambda: { requests: Price; armGbSecond: Price };
  apiGateway: { restRequests: Price };
  dynamodb: { writeRequestUnits: Price; readRequestUnits: Price; storage: Price };
  sqs: { standardRequests: Price; fifoRequests: Price };
  s3: { standard: Price; standardIa: Price; glacierInstant: Price; puts: Price; gets: Price };
  kms: { keyMonth: Price; requests: Price };
  cloudwatch: { logsIngested: Price; logsStored: Price; alarmMonth: Price };
  /** The container comparison: the usual FHIR server (Fargate tasks) and its database (RDS PostgreSQL, Multi-AZ) */
  fargate: { armVcpuHour: Price; armGbHour: Price };
  rds: { multiAzLargeHour: Price; multiAz2xlargeHour: Price; multiAzStorage: Price };
}

const NOTED = "2026-12-04";

const usd = (value: number, unit: string, source: string): Price => ({ value, unit, source, noted: NOTED, basis: "published" });
/** A China-region price: an estimate from the global price and the ratio the China page showed, to check */
const cny = (value: number, unit: string, source: string): Price => ({ value, unit, source, noted: NOTED, basis: "estimate" });

const AWS = "https://aws.amazon.com";
const CN = "https://www.amazonaws.cn/en";

const US_EAST_1: RegionPrices = {
  region: "us-east-1",
  currency: "USD",
  lambda: {
    requests: usd(0.2, "1M requests", `${AWS}/lambda/pricing/`),
    armGbSecond: usd(0.0000133334, "GB-second (Arm, first tier)", `${AWS}/lambda/pricing/`),
  },
  apiGateway: { restRequests: usd(3.5, "1M REST API calls (first 333M)", `${AWS}/api-gateway/pricing/`) },
  dynamodb: {
    writeRequestUnits: usd(0.625, "1M write request units (on-demand)", `${AWS}/dynamodb/pricing/on-demand/`),
    readRequestUnits: usd(0.125, "1M read request units (on-demand)", `${AWS}/dynamodb/pricing/on-demand/`),
    storage: usd(0.25, "GB-month (Standard table class)", `${AWS}/dynamodb/pricing/on-demand/`),
  },
  sqs: {
    standardRequests: usd(0.4, "1M requests (standard, 64 KB chunks)", `${AWS}/sqs/pricing/`),
    fifoRequests: usd(0.5, "1M requests (FIFO)", `${AWS}/sqs/pricing/`),
  },
  s3: {
    standard: usd(0.023, "GB-month (Standard, first 50 TB)", `${AWS}/s3/pricing/`),
    standardIa: usd(0.0125, "GB-month (Standard-IA)", `${AWS}/s3/pricing/`),
    glacierInstant: usd(0.004, "GB-month (Glacier Instant Retrieval)", `${AWS}/s3/pricing/`),
    puts: usd(0.005, "1,000 PUT requests (Standard)", `${AWS}/s3/pricing/`),
    gets: usd(0.0004, "1,000 GET requests (Standard)", `${AWS}/s3/pricing/`),
  },
  kms: {
    keyMonth: usd(1, "customer managed key-month", `${AWS}/kms/pricing/`),
    requests: usd(0.03, "10,000 requests", `${AWS}/kms/pricing/`),
  },
  cloudwatch: {
    logsIngested: usd(0.5, "GB ingested (standard logs)", `${AWS}/cloudwatch/pricing/`),
    logsStored: usd(0.03, "GB-month stored", `${AWS}/cloudwatch/pricing/`),
    alarmMonth: usd(0.1, "standard-resolution alarm-month", `${AWS}/cloudwatch/pricing/`),
  },
  fargate: {
    armVcpuHour: usd(0.03238, "vCPU-hour (Linux/Arm)", `${AWS}/fargate/pricing/`),
    armGbHour: usd(0.00356, "GB-hour (Linux/Arm)", `${AWS}/fargate/pricing/`),
  },
  rds: {
    multiAzLargeHour: usd(0.452, "db.r6g.large PostgreSQL Multi-AZ hour", `${AWS}/rds/postgresql/pricing/`),
    multiAz2xlargeHour: usd(1.808, "db.r6g.2xlarge PostgreSQL Multi-AZ hour", `${AWS}/rds/postgresql/pricing/`),
    multiAzStorage: usd(0.23, "GB-month gp3 (Multi-AZ)", `${AWS}/rds/postgresql/pricing/`),
  },
};

const CN_NORTH_1: RegionPrices = {
  region: "cn-north-1",
  currency: "CNY",
  lambda: {
    requests: cny(1.36, "1M requests", `${CN}/lambda/pricing/`),
    armGbSecond: cny(0.0000907816, "GB-second (Arm)", `${CN}/lambda/pricing/`),
  },
  apiGateway: { restRequests: cny(28.94, "1M REST API calls (first 333M)", `${CN}/api-gateway/pricing/`) },
  dynamodb: {
    writeRequestUnits: cny(9.37, "1M write request units (on-demand)", `${CN}/dynamodb/pricing/`),
    readRequestUnits: cny(1.87, "1M read request units (on-demand)", `${CN}/dynamodb/pricing/`),
    storage: cny(2.11, "GB-month", `${CN}/dynamodb/pricing/`),
  },
  sqs: {
    standardRequests: cny(3.3, "1M requests (standard, 64 KB chunks)", `${CN}/sqs/pricing/`),
    fifoRequests: cny(4.13, "1M requests (FIFO)", `${CN}/sqs/pricing/`),
  },
  s3: {
    standard: cny(0.21, "GB-month (Standard)", `${CN}/s3/pricing/`),
    standardIa: cny(0.12, "GB-month (Standard-IA)", `${CN}/s3/pricing/`),
    glacierInstant: cny(0.038, "GB-month (Glacier Instant Retrieval)", `${CN}/s3/pricing/`),
    puts: cny(0.0405, "1,000 PUT requests (Standard)", `${CN}/s3/pricing/`),
    gets: cny(0.00135, "1,000 GET requests (Standard)", `${CN}/s3/pricing/`),
  },
  kms: {
    keyMonth: cny(6.88, "customer managed key-month", `${CN}/kms/pricing/`),
    requests: cny(0.21, "10,000 requests", `${CN}/kms/pricing/`),
  },
  cloudwatch: {
    logsIngested: cny(3.9, "GB ingested", `${CN}/cloudwatch/pricing/`),
    logsStored: cny(0.21, "GB-month stored", `${CN}/cloudwatch/pricing/`),
    alarmMonth: cny(0.69, "standard-resolution alarm-month", `${CN}/cloudwatch/pricing/`),
  },
  fargate: {
    armVcpuHour: cny(0.28, "vCPU-hour (Linux/Arm)", `${CN}/fargate/pricing/`),
    armGbHour: cny(0.031, "GB-hour (Linux/Arm)", `${CN}/fargate/pricing/`),
  },
  rds: {
    multiAzLargeHour: cny(4.1, "db.r6g.large PostgreSQL Multi-AZ hour", `${CN}/rds/postgresql/pricing/`),
    multiAz2xlargeHour: cny(16.4, "db.r6g.2xlarge PostgreSQL Multi-AZ hour", `${CN}/rds/postgresql/pricing/`),
    multiAzStorage: cny(2.0, "GB-month gp3 (Multi-AZ)", `${CN}/rds/postgresql/pricing/`),
  },
};

/** Ningxia (NWCD): priced as Beijing here until its own page is read (it is usually a little cheaper) */
const CN_NORTHWEST_1: RegionPrices = { ...CN_NORTH_1, region: "cn-northwest-1" };

export const PRICES: Record<string, RegionPrices> = {
  "cn-north-1": CN_NORTH_1,
  "cn-northwest-1": CN_NORTHWEST_1,
  "us-east-1": US_EAST_1,
};

/** Every price of a region, by its path ("lambda.requests"), for listing and checks */
export function pricesOf(region: RegionPrices): [string, Price][] {
  const out: [string, Price][] = [];
  for (const [service, group] of Object.entries(region))
    if (group && typeof group === "object")
      for (const [name, price] of Object.entries(group as Record<string, Price>)) out.push([`${service}.${name}`, price]);
  return out;
}
