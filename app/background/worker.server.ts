import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Db } from "../db.server";
import { claimDueDeliveries } from "../delivery/claims.server";
import type { RetryPolicy } from "../delivery/retry-schedule";
import { loadDeliveryVariables } from "../delivery/delivery-variables.server";
import { attemptDelivery, settleAttempts, type Settlement } from "../delivery/send-delivery.server";
import type { ChannelLoader } from "../delivery/shopify-channel.server";
import { logger } from "../logger.server";
import { rejectRefusedRedirect, rejectStrandedRefusedRedirects, rejectUnclaimedCardPayments } from "../payments/charging/card-payments.server";
import { checkDuePayments, processDueFollowUps, type ProcessingPolicy } from "../payments/charging/payment-charging.server";
import type { ProviderRegistry } from "../providers/provider-registry.server";
import { describeError } from "../observability/describe-error";

export interface WorkerConfig {
  pollMs: number;
  batchSize: number;
  concurrency: number;
  leaseMs: number;
  retry: RetryPolicy;
  processing: ProcessingPolicy;
}

export interface Worker {
  readonly owner: string;
  /** One pass over everything due; resolves with how much it handled. */
  tick(): Promise<number>;
  /** Runs passes until stop(): without pause while there is work, every pollMs when idle. */
  start(): void;
  stop(): Promise<void>;
}

/**
 * The app's background work, in every app process: send due deliveries to
 * Shopify, process accepted refunds/captures/voids with the provider, and ask the
 * provider about pending or unanswered charges. It loops without pause while
 * there is work and polls when idle. All state is in the database; claims carry
 * leases, so several processes can run this at once and a killed one's claims
 * are taken over when they expire.
 */
export function createWorker(db: Db, loadChannels: ChannelLoader, providers: ProviderRegistry, config: WorkerConfig): Worker {
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

  async function sendDue(): Promise<number> {
    const deliveries = await claimDueDeliveries(db, owner, config.batchSize, config.leaseMs);
    if (deliveries.length === 0) return 0;
    // Tokens, clients and sessions for the whole batch, a few queries in all.
    const [channelFor, prepareFor] = await Promise.all([
      loadChannels(deliveries.map((delivery) => delivery.shop)),
      loadDeliveryVariables(db, deliveries),
    ]);
    // A batch can outlast one lease (slow answers, many deliveries per lane):
    // renew the leases while it runs, so that only a dead worker's claims expire.
    const heartbeat = setInterval(() => {
      db.delivery
        .updateMany({ where: { id: { in: deliveries.map((d) => d.id) }, leaseOwner: owner, status: "PENDING" }, data: { leaseExpiresAt: new Date(Date.now() + config.leaseMs) } })
        .catch(() => undefined);
    }, Math.max(50, config.leaseMs / 3));
    const settlements: Settlement[] = [];
    let next = 0;
    const lane = async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++];
        if (!delivery) break;
        try {
          settlements.push(await attemptDelivery(delivery, channelFor, prepareFor, config.retry));
        } catch (error) {
          logger.error({ deliveryId: delivery.id, err: describeError(error) }, "delivery attempt crashed; releasing it for a retry");
          await db.delivery.updateMany({
            where: { id: delivery.id, leaseOwner: owner },
            data: { leaseOwner: null, leaseExpiresAt: null, nextAttemptAt: new Date(Date.now() + 5000), lastError: "internal error while sending" },
          });
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(config.concurrency, deliveries.length) }, lane));
      await settleAttempts(db, owner, settlements);
      await rejectRefusedRedirects(settlements);
    } finally {
      clearInterval(heartbeat);
    }
    return deliveries.length;
  }

  /** A card payment whose 3-D Secure redirect Shopify refused for good cannot go on: reject it. */
  async function rejectRefusedRedirects(settlements: readonly Settlement[]): Promise<void> {
    for (const s of settlements) {
      if (s.delivery.operation !== "PAYMENT_REDIRECT" || s.status !== "FAILED" || !s.delivery.paymentSessionId) continue;
      await rejectRefusedRedirect(db, s.delivery.paymentSessionId, s.detail).catch((error: unknown) =>
        logger.error({ paymentId: s.delivery.paymentSessionId, err: describeError(error) }, "could not reject a card payment whose 3-D Secure redirect Shopify refused"),
      );
    }
  }

  let lastUnclaimedSweep = 0;
  async function tick(): Promise<number> {
    const sent = await sendDue();
    const processed = await processDueFollowUps(db, providers, config.processing, config.batchSize);
    const checked = await checkDuePayments(db, providers, config.processing, config.batchSize);
    // Unclaimed card payments and stranded refused redirects are rare: looked for twice a minute at most.
    let abandoned = 0;
    if (Date.now() - lastUnclaimedSweep >= 30_000) {
      lastUnclaimedSweep = Date.now();
      abandoned = await rejectUnclaimedCardPayments(db, config.batchSize);
      // A refused redirect whose process died before rejecting the payment.
      abandoned += await rejectStrandedRefusedRedirects(db, config.batchSize);
    }
    return sent + processed + checked + abandoned;
  }

  let running = false;
  let wake: (() => void) | null = null;
  let loop: Promise<void> = Promise.resolve();
  const run = async () => {
    while (running) {
      let handled = 0;
      try {
        handled = await tick();
      } catch (error) {
        // Type and code only: database messages can quote the values of a failed query.
        logger.error({ err: describeError(error) }, "worker pass failed; the claims of this pass expire and are taken again");
      }
      if (handled === 0 && running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, config.pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    }
  };

  return {
    owner,
    tick,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
