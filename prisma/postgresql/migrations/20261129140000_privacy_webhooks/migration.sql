-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "uninstalledAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "PaymentSession" ADD COLUMN     "customerEmailLookup" TEXT,
ADD COLUMN     "customerPhoneLookup" TEXT,
ADD COLUMN     "customerRedactedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "ProcessedWebhook" (
    "shop" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedWebhook_pkey" PRIMARY KEY ("shop","webhookId")
);

-- CreateTable
CREATE TABLE "CustomerDataExport" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "dataRequestId" TEXT,
    "shopifyCustomerId" TEXT,
    "emailLookup" TEXT,
    "phoneLookup" TEXT,
    "paymentCount" INTEGER NOT NULL,
    "document" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CustomerDataExport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProcessedWebhook_receivedAt_idx" ON "ProcessedWebhook"("receivedAt");

-- CreateIndex
CREATE INDEX "CustomerDataExport_shop_createdAt_idx" ON "CustomerDataExport"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "CustomerDataExport_expiresAt_idx" ON "CustomerDataExport"("expiresAt");

-- CreateIndex
CREATE INDEX "PaymentSession_shop_customerEmailLookup_idx" ON "PaymentSession"("shop", "customerEmailLookup");

-- CreateIndex
CREATE INDEX "PaymentSession_shop_customerPhoneLookup_idx" ON "PaymentSession"("shop", "customerPhoneLookup");

