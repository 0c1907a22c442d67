-- CreateTable
CREATE TABLE "ProviderAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "externalAccountId" TEXT NOT NULL,
    "apiKeyEncrypted" TEXT NOT NULL,
    "apiKeyLast4" TEXT NOT NULL,
    "keyKind" TEXT NOT NULL,
    "webhookEndpointId" TEXT,
    "webhookSecretEncrypted" TEXT,
    "verifiedAt" DATETIME NOT NULL,
    "connectedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "removalRequestedAt" DATETIME,
    CONSTRAINT "ProviderAccount_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop" ("domain") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ProviderAccount_removalRequestedAt_idx" ON "ProviderAccount"("removalRequestedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ProviderAccount_shop_provider_mode_key" ON "ProviderAccount"("shop", "provider", "mode");

