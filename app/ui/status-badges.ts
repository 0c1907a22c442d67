import type { FollowUpStatus, PaymentStatus } from "@prisma/client";

type Tone = "info" | "attention" | "success" | "critical";

export const PAYMENT_STATUS_TONE: Record<PaymentStatus, Tone> = {
  OPEN: "info",
  PENDING: "attention",
  RESOLVED: "success",
  REJECTED: "critical",
};

export const FOLLOW_UP_STATUS_TONE: Record<FollowUpStatus, Tone> = {
  RECEIVED: "info",
  RESOLVED: "success",
  REJECTED: "critical",
};

/** "RESOLVED" → "Resolved"; "DELIVERY_RETRY" → "Delivery retry". */
export function statusLabel(status: string): string {
  const words = status.toLowerCase().replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
