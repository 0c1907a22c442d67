-- CreateEnum
CREATE TYPE "PaymentRejectionCode" AS ENUM ('AUTHENTICATION_FAILED', 'CARD_DECLINED', 'CONFIRMATION_REJECTED', 'EXPIRED_CARD', 'INCORRECT_ADDRESS', 'INCORRECT_CVC', 'INCORRECT_NUMBER', 'INCORRECT_PIN', 'INCORRECT_ZIP', 'INVALID_CVC', 'INVALID_EXPIRY_DATE', 'INVALID_NUMBER', 'PROCESSING_ERROR', 'RISKY', 'AMOUNT_TOO_LARGE', 'AMOUNT_TOO_SMALL', 'AUTHENTICATION_REQUIRED', 'CALL_ISSUER', 'CANCELLED_PAYMENT', 'CARD_TESTING', 'DO_NOT_HONOR', 'FRAUD_SUSPECTED', 'HIGH_RISK_FRAUD_SUSPECTED', 'INSTRUMENT_DECLINED', 'INSUFFICIENT_FUNDS', 'INVALID_AMOUNT', 'INVALID_CURRENCY', 'INVALID_PAYMENT_METHOD', 'INVALID_PURCHASE_TYPE', 'INVALID_REQUEST', 'MERCHANT_ACCOUNT_ERROR', 'MERCHANT_RULE', 'PAYMENT_METHOD_UNSUPPORTED', 'PICK_UP_CARD', 'RETRY_DECLINED', 'TRANSACTION_LIMIT_EXCEEDED');

-- CreateEnum
CREATE TYPE "PendingReason" AS ENUM ('BUYER_ACTION_REQUIRED', 'MERCHANT_ACTION_REQUIRED', 'NETWORK_ACTION_REQUIRED', 'PARTNER_ACTION_REQUIRED');

-- CreateEnum
CREATE TYPE "DeliveryOperation" AS ENUM ('PAYMENT_RESOLVE', 'PAYMENT_REJECT', 'PAYMENT_PENDING', 'REFUND_RESOLVE', 'REFUND_REJECT', 'CAPTURE_RESOLVE', 'CAPTURE_REJECT', 'VOID_RESOLVE', 'VOID_REJECT');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED', 'DEAD');

-- CreateEnum
CREATE TYPE "AttemptOutcome" AS ENUM ('SUCCESS', 'USER_ERRORS', 'RETRYABLE', 'AUTH_FAILURE', 'FAILED');

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "needsReinstallAt" TIMESTAMPTZ(3),
ADD COLUMN     "paymentsApiVersion" TEXT;

-- AlterTable
ALTER TABLE "PaymentSession" ADD COLUMN     "nextActionUrl" TEXT,
ADD COLUMN     "pendingReason" "PendingReason",
ADD COLUMN     "providerCheckAt" TIMESTAMPTZ(3),
ADD COLUMN     "providerName" TEXT,
ADD COLUMN     "providerReference" TEXT,
DROP COLUMN "rejectionCode",
ADD COLUMN     "rejectionCode" "PaymentRejectionCode";

-- AlterTable
ALTER TABLE "RefundSession" ADD COLUMN     "processAfter" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "providerReference" TEXT;

-- AlterTable
ALTER TABLE "CaptureSession" ADD COLUMN     "processAfter" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "providerReference" TEXT;

-- AlterTable
ALTER TABLE "VoidSession" ADD COLUMN     "processAfter" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "providerReference" TEXT;

-- CreateTable
CREATE TABLE "Delivery" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "operation" "DeliveryOperation" NOT NULL,
    "sessionGid" TEXT NOT NULL,
    "paymentSessionId" TEXT,
    "refundSessionId" TEXT,
    "captureSessionId" TEXT,
    "voidSessionId" TEXT,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseExpiresAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "resultStateCode" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "succeededAt" TIMESTAMPTZ(3),
    "failedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeliveryAttempt" (
    "id" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "outcome" "AttemptOutcome" NOT NULL,
    "httpStatus" INTEGER,
    "detail" TEXT,

    CONSTRAINT "DeliveryAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SandboxCharge" (
    "paymentId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "scenario" TEXT NOT NULL,
    "declineCode" TEXT,
    "settlesAt" TIMESTAMPTZ(3) NOT NULL,
    "result" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SandboxCharge_pkey" PRIMARY KEY ("paymentId")
);

-- CreateTable
CREATE TABLE "SandboxOperation" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "paymentId" TEXT NOT NULL,
    "amountMinor" BIGINT,
    "result" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SandboxOperation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Delivery_status_nextAttemptAt_idx" ON "Delivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Delivery_shop_status_idx" ON "Delivery"("shop", "status");

-- CreateIndex
CREATE INDEX "Delivery_paymentSessionId_idx" ON "Delivery"("paymentSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_sessionGid_operation_key" ON "Delivery"("sessionGid", "operation");

-- CreateIndex
CREATE INDEX "DeliveryAttempt_deliveryId_number_idx" ON "DeliveryAttempt"("deliveryId", "number");

-- CreateIndex
CREATE INDEX "PaymentSession_shop_group_idx" ON "PaymentSession"("shop", "group");

-- CreateIndex
CREATE INDEX "PaymentSession_status_providerCheckAt_idx" ON "PaymentSession"("status", "providerCheckAt");

-- CreateIndex
CREATE INDEX "RefundSession_status_processAfter_idx" ON "RefundSession"("status", "processAfter");

-- CreateIndex
CREATE INDEX "CaptureSession_status_processAfter_idx" ON "CaptureSession"("status", "processAfter");

-- CreateIndex
CREATE INDEX "VoidSession_status_processAfter_idx" ON "VoidSession"("status", "processAfter");

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_refundSessionId_fkey" FOREIGN KEY ("refundSessionId") REFERENCES "RefundSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_captureSessionId_fkey" FOREIGN KEY ("captureSessionId") REFERENCES "CaptureSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_voidSessionId_fkey" FOREIGN KEY ("voidSessionId") REFERENCES "VoidSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryAttempt" ADD CONSTRAINT "DeliveryAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "Delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

