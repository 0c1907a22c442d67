-- CreateIndex
CREATE INDEX "PaymentSession_shop_status_kind_authorizationExpiresAt_idx" ON "PaymentSession"("shop", "status", "kind", "authorizationExpiresAt");

