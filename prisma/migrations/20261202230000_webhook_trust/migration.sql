-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "installedAt" DATETIME;

