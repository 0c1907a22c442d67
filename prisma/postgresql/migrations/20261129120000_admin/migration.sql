-- CreateEnum
CREATE TYPE "StaffAction" AS ENUM ('PAYMENT_RESOLVE', 'PAYMENT_REJECT', 'PAYMENT_PEND', 'REFUND_RESOLVE', 'REFUND_REJECT', 'CAPTURE_RESOLVE', 'CAPTURE_REJECT', 'VOID_RESOLVE', 'VOID_REJECT', 'DELIVERY_RETRY', 'PII_REVEAL', 'SETTINGS_UPDATE');

-- CreateEnum
CREATE TYPE "SessionKind" AS ENUM ('PAYMENT', 'REFUND', 'CAPTURE', 'VOID');

-- CreateEnum
CREATE TYPE "ProviderOperation" AS ENUM ('CHARGE', 'CHARGE_STATUS', 'CAPTURE', 'REFUND', 'VOID');

-- DropIndex
DROP INDEX "PaymentSession_shop_receivedAt_idx";

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "configuredAt" TIMESTAMPTZ(3),
ADD COLUMN     "externalHandle" TEXT,
ADD COLUMN     "ready" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "staffUserId" TEXT NOT NULL,
    "action" "StaffAction" NOT NULL,
    "paymentSessionId" TEXT,
    "subject" TEXT,
    "beforeState" TEXT,
    "afterState" TEXT,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SessionReplay" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" "SessionKind" NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "shopifyRequestId" TEXT NOT NULL,
    "conflict" BOOLEAN NOT NULL DEFAULT false,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SessionReplay_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProviderCall" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "paymentSessionId" TEXT NOT NULL,
    "followUpGid" TEXT,
    "operation" "ProviderOperation" NOT NULL,
    "provider" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "result" TEXT NOT NULL,
    "reference" TEXT,

    CONSTRAINT "ProviderCall_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEntry_shop_createdAt_idx" ON "AuditEntry"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEntry_paymentSessionId_createdAt_idx" ON "AuditEntry"("paymentSessionId", "createdAt");

-- CreateIndex
CREATE INDEX "SessionReplay_shop_kind_shopifyId_idx" ON "SessionReplay"("shop", "kind", "shopifyId");

-- CreateIndex
CREATE INDEX "ProviderCall_paymentSessionId_startedAt_idx" ON "ProviderCall"("paymentSessionId", "startedAt");

-- CreateIndex
CREATE INDEX "PaymentSession_shop_receivedAt_id_idx" ON "PaymentSession"("shop", "receivedAt", "id");

-- CreateIndex
CREATE INDEX "PaymentSession_shop_status_receivedAt_id_idx" ON "PaymentSession"("shop", "status", "receivedAt", "id");

-- CreateIndex
CREATE INDEX "PaymentSession_shop_gid_idx" ON "PaymentSession"("shop", "gid");

-- CreateIndex
CREATE INDEX "PaymentSession_shop_shopifyRequestId_idx" ON "PaymentSession"("shop", "shopifyRequestId");

-- CreateIndex
CREATE INDEX "RefundSession_shop_gid_idx" ON "RefundSession"("shop", "gid");

-- CreateIndex
CREATE INDEX "RefundSession_shop_shopifyRequestId_idx" ON "RefundSession"("shop", "shopifyRequestId");

-- CreateIndex
CREATE INDEX "CaptureSession_shop_gid_idx" ON "CaptureSession"("shop", "gid");

-- CreateIndex
CREATE INDEX "CaptureSession_shop_shopifyRequestId_idx" ON "CaptureSession"("shop", "shopifyRequestId");

-- CreateIndex
CREATE INDEX "VoidSession_shop_gid_idx" ON "VoidSession"("shop", "gid");

-- CreateIndex
CREATE INDEX "VoidSession_shop_shopifyRequestId_idx" ON "VoidSession"("shop", "shopifyRequestId");

-- AddForeignKey
ALTER TABLE "AuditEntry" ADD CONSTRAINT "AuditEntry_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEntry" ADD CONSTRAINT "AuditEntry_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProviderCall" ADD CONSTRAINT "ProviderCall_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

