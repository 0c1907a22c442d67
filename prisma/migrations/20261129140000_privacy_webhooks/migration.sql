-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "uninstalledAt" DATETIME;

-- AlterTable
ALTER TABLE "PaymentSession" ADD COLUMN "customerEmailLookup" TEXT;
ALTER TABLE "PaymentSession" ADD COLUMN "customerPhoneLookup" TEXT;
ALTER TABLE "PaymentSession" ADD COLUMN "customerRedactedAt" DATETIME;

-- CreateTable
CREATE TABLE "ProcessedWebhook" (
    "shop" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shop", "webhookId")
);

-- CreateTable
CREATE TABLE "CustomerDataExport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "dataRequestId" TEXT,
    "shopifyCustomerId" TEXT,
    "emailLookup" TEXT,
    "phoneLookup" TEXT,
    "paymentCount" INTEGER NOT NULL,
    "document" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL
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

