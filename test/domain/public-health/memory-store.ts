/** An in-memory CaseReports store with the DynamoDB adapter's semantics (conditional claims and expectations) */
import type { CaseReportStore } from "#ports/public-health.ts";
import type { CaseExpectation, CaseReport } from "#schemas/public-health.ts";

export function memoryCaseReportStore(): CaseReportStore & { reports: Map<string, CaseReport> } {
  const reports = new Map<string, CaseReport>();
  const messages = new Map<string, string>();
  const recent: { empi: string; disease: string; diagnosedAt: string; reportId: string }[] = [];
  const unforwarded = new Set<string>();
  const reported = new Set<string>();
  const expectations = new Map<string, CaseExpectation>();
  const clone = <T>(v: T): T => structuredClone(v);
  return {
    reports,
    async claimMessage(hospitalId, messageId, reportId) {
      const key = `${hospitalId}#${messageId}`;
      const had = messages.get(key);
      if (had) return { claimed: false, reportId: had };
      messages.set(key, reportId);
      return { claimed: true };
    },
    async settleMessage(hospitalId, messageId, reportId) {
      messages.set(`${hospitalId}#${messageId}`, reportId);
    },
    async get(reportId) {
      const r = reports.get(reportId);
      return r && clone(r);
    },
    async put(report) {
      reports.set(report.reportId, clone(report));
    },
    async recent(empi, disease, since) {
      return recent
        .filter((r) => r.empi === empi && r.disease === disease && r.diagnosedAt >= since)
        .sort((a, b) => a.diagnosedAt.localeCompare(b.diagnosedAt))
        .map((r) => r.reportId);
    },
    async addRecent(r) {
      recent.push({ empi: r.empi, disease: r.disease, diagnosedAt: r.diagnosedAt, reportId: r.reportId });
    },
    async list(hospitalId) {
      return [...reports.values()].filter((r) => !hospitalId || r.hospitalId === hospitalId).map(clone);
    },
    async setUnforwarded(reportId, pending) {
      if (pending) unforwarded.add(reportId);
      else unforwarded.delete(reportId);
    },
    async unforwarded() {
      return [...unforwarded];
    },
    async markReported(encounterId, disease) {
      reported.add(`${encounterId}#${disease}`);
    },
    async isReported(encounterId, disease) {
      return reported.has(`${encounterId}#${disease}`);
    },
    async expect(e) {
      const key = `${e.encounterId}#${e.disease}`;
      if (!expectations.has(key)) expectations.set(key, clone(e));
    },
    async updateExpectation(e) {
      expectations.set(`${e.encounterId}#${e.disease}`, clone(e));
    },
    async removeExpectation(encounterId, disease) {
      expectations.delete(`${encounterId}#${disease}`);
    },
    async expectations() {
      return [...expectations.values()].map(clone);
    },
  };
}
