import type { PaymentKind, PaymentStatus } from "@prisma/client";
import type { Db } from "../db.server";
import { formatAmount, formatMoney } from "../payments/money";

export interface PaymentListRow {
  id: string;
  shopifyId: string;
  gid: string;
  amount: string;
  formattedAmount: string;
  currency: string;
  kind: PaymentKind;
  test: boolean;
  status: PaymentStatus;
  receivedAt: string;
  followUps: { refunds: number; captures: number; voids: number };
}

/** The shop's most recent payment sessions, newest first. */
export async function listRecentPayments(db: Db, shop: string, { locale, limit = 50 }: { locale: string; limit?: number }): Promise<PaymentListRow[]> {
  const payments = await db.paymentSession.findMany({
    where: { shop },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      shopifyId: true,
      gid: true,
      amountMinor: true,
      currency: true,
      kind: true,
      test: true,
      status: true,
      receivedAt: true,
      _count: { select: { refundSessions: true, captureSessions: true, voidSessions: true } },
    },
  });
  return payments.map((payment) => {
    const amount = formatAmount({ minor: payment.amountMinor, currency: payment.currency });
    return {
      id: payment.id,
      shopifyId: payment.shopifyId,
      gid: payment.gid,
      amount,
      formattedAmount: formatMoney(amount, payment.currency, locale),
      currency: payment.currency,
      kind: payment.kind,
      test: payment.test,
      status: payment.status,
      receivedAt: payment.receivedAt.toISOString(),
      followUps: { refunds: payment._count.refundSessions, captures: payment._count.captureSessions, voids: payment._count.voidSessions },
    };
  });
}
