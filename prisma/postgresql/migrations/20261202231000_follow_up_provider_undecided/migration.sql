-- AlterTable
ALTER TABLE "RefundSession" ADD COLUMN     "providerUndecidedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "CaptureSession" ADD COLUMN     "providerUndecidedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "VoidSession" ADD COLUMN     "providerUndecidedAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "RefundSession_shop_status_providerUndecidedAt_idx" ON "RefundSession"("shop", "status", "providerUndecidedAt");

-- CreateIndex
CREATE INDEX "CaptureSession_shop_status_providerUndecidedAt_idx" ON "CaptureSession"("shop", "status", "providerUndecidedAt");

-- CreateIndex
CREATE INDEX "VoidSession_shop_status_providerUndecidedAt_idx" ON "VoidSession"("shop", "status", "providerUndecidedAt");

