-- AlterEnum
ALTER TYPE "StaffAction" ADD VALUE 'CUSTOMER_DATA_EXPORT_DOWNLOAD';

-- CreateIndex
CREATE INDEX "PaymentSession_shop_currency_receivedAt_idx" ON "PaymentSession"("shop", "currency", "receivedAt");

