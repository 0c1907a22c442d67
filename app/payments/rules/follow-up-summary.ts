import type { FollowUpStatus } from "@prisma/client";

/**
 * What a payment's refunds, captures and voids amount to, in a few words for a
 * list: only those that went through count as done; the ones still with the
 * provider or staff, and the rejected ones, are named apart. A rejected capture
 * captured nothing, and a rejected void voided nothing.
 */
export type FollowUpKindName = "refund" | "capture" | "void";

export type FollowUpTally = Record<FollowUpKindName, Record<FollowUpStatus, number>>;

export interface FollowUpSummary {
  /** Resolved (the money moved). */
  done: Record<FollowUpKindName, number>;
  /** Received, not yet resolved or rejected. */
  underWay: Record<FollowUpKindName, number>;
  rejected: Record<FollowUpKindName, number>;
}

const KINDS: readonly FollowUpKindName[] = ["capture", "refund", "void"];

export function emptyFollowUpTally(): FollowUpTally {
  const none = (): Record<FollowUpStatus, number> => ({ RECEIVED: 0, RESOLVED: 0, REJECTED: 0 });
  return { refund: none(), capture: none(), void: none() };
}

export function summarizeFollowUps(tally: FollowUpTally): FollowUpSummary {
  const per = (status: FollowUpStatus) => Object.fromEntries(KINDS.map((kind) => [kind, tally[kind][status]])) as Record<FollowUpKindName, number>;
  return { done: per("RESOLVED"), underWay: per("RECEIVED"), rejected: per("REJECTED") };
}

const count = (n: number, kind: FollowUpKindName) => `${n} ${kind}${n === 1 ? "" : "s"}`;

/**
 * E.g. "1 capture, 1 refund", "voided", "1 refund in progress",
 * "voided; 1 capture rejected"; "—" when there is none.
 */
export function describeFollowUps(summary: FollowUpSummary): string {
  const done = KINDS.filter((kind) => summary.done[kind] > 0).map((kind) => (kind === "void" ? "voided" : count(summary.done[kind], kind)));
  const underWay = KINDS.filter((kind) => summary.underWay[kind] > 0).map((kind) => `${count(summary.underWay[kind], kind)} in progress`);
  const rejected = KINDS.filter((kind) => summary.rejected[kind] > 0).map((kind) => `${count(summary.rejected[kind], kind)} rejected`);
  return [done, underWay, rejected].filter((part) => part.length > 0).map((part) => part.join(", ")).join("; ") || "—";
}
