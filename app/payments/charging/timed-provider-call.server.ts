import type { ProviderOperation } from "@prisma/client";
import type { Db } from "../../db.server";
import { logger } from "../../logger.server";
import { observeProviderCall } from "../../observability/metrics.server";
import { withTimeout } from "../../providers/provider-registry.server";
import { describeError } from "../../observability/describe-error";

interface CallSubject {
  shop: string;
  paymentSessionId: string;
  followUpGid?: string;
  operation: ProviderOperation;
  provider: string;
}

/**
 * One call to a payment provider, limited in time and noted for the session's
 * timeline (what was asked, how long it took, what came back). The note never
 * holds the buyer's input. A note that cannot be written is logged, not thrown:
 * the provider's answer matters more than its record.
 */
export async function callProvider<T extends { status: string; reference?: string | null }>(
  db: Db,
  subject: CallSubject,
  call: () => Promise<T>,
  timeoutMs: number,
  onTimeout: () => T,
): Promise<T> {
  const startedAt = new Date();
  let result: T | undefined;
  try {
    result = await withTimeout(call(), timeoutMs, onTimeout);
    return result;
  } finally {
    const durationMs = Date.now() - startedAt.getTime();
    // The result is the provider's status (approved, declined, pending …, or the
    // onTimeout answer), a closed set per operation; "error" when the call threw.
    observeProviderCall({ operation: subject.operation, result: result?.status ?? "error" }, durationMs / 1000);
    await db.providerCall
      .create({
        data: {
          ...subject,
          followUpGid: subject.followUpGid ?? null,
          startedAt,
          durationMs,
          result: result?.status ?? "error",
          reference: result?.reference ?? null,
        },
      })
      .catch((error: unknown) => logger.warn({ err: describeError(error) }, "could not note a provider call"));
  }
}
