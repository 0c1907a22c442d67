// `npm run audit`: npm audit for the production dependencies and for everything,
// failing on any high or critical advisory that is not accepted below with a reason.
// When the registry's audit service cannot be reached (some mirrors answer 405),
// the check says so and, unless AUDIT_REQUIRED=1, does not fail: "not checked" is
// printed loudly rather than passed off as "no findings".
import { spawnSync } from "node:child_process";

/** Advisories accepted on purpose: package name → why (see docs/security.md). None today. */
const ACCEPTED: Record<string, string> = {};

interface AuditReport {
  vulnerabilities?: Record<string, { severity: string; via: unknown[]; isDirect: boolean }>;
  metadata?: { vulnerabilities?: Record<string, number> };
  statusCode?: number;
  message?: string;
}

let failed = false;
for (const scope of [["--omit=dev"], []]) {
  const label = scope.length ? "production dependencies" : "all dependencies";
  const run = spawnSync("npm", ["audit", "--json", ...scope], { encoding: "utf8" });
  let report: AuditReport;
  try {
    report = JSON.parse(run.stdout || "{}") as AuditReport;
  } catch {
    report = { message: run.stderr.trim().split("\n").at(-1) ?? "no output" };
  }
  if (!report.vulnerabilities) {
    const reason = report.statusCode ? `the audit service answered ${report.statusCode}` : (report.message ?? "no report");
    console.warn(`npm audit (${label}): NOT CHECKED — ${reason}.`);
    if (process.env.AUDIT_REQUIRED === "1") failed = true;
    continue;
  }
  const serious = Object.entries(report.vulnerabilities).filter(([, v]) => v.severity === "high" || v.severity === "critical");
  const unexplained = serious.filter(([name]) => !ACCEPTED[name]);
  console.log(`npm audit (${label}): ${JSON.stringify(report.metadata?.vulnerabilities ?? {})}`);
  for (const [name, v] of serious) console.log(`  ${v.severity} ${name}${ACCEPTED[name] ? ` (accepted: ${ACCEPTED[name]})` : ""}`);
  if (unexplained.length > 0) failed = true;
}
process.exit(failed ? 1 : 0);
