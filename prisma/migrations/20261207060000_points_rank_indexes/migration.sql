-- DropIndex
DROP INDEX "PointBalance_communityId_balance_idx";

-- DropIndex
DROP INDEX "PointCategoryTotal_communityId_category_total_idx";

-- DropIndex
DROP INDEX "PointPeriodTotal_communityId_period_category_total_idx";

-- CreateIndex
CREATE INDEX "Member_communityId_mergedIntoId_idx" ON "Member"("communityId", "mergedIntoId");

-- CreateIndex
CREATE INDEX "PointBalance_communityId_balance_memberId_idx" ON "PointBalance"("communityId", "balance", "memberId");

-- CreateIndex
CREATE INDEX "PointCategoryTotal_communityId_category_total_memberId_idx" ON "PointCategoryTotal"("communityId", "category", "total", "memberId");

-- CreateIndex
CREATE INDEX "PointPeriodTotal_communityId_period_category_total_memberId_idx" ON "PointPeriodTotal"("communityId", "period", "category", "total", "memberId");

