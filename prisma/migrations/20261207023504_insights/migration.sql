-- CreateTable
CREATE TABLE "InsightMoney" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "memberId" TEXT,
    "itemId" TEXT,
    "kind" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "subscriptionId" TEXT,
    "chargeId" TEXT,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InsightMoney_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InsightSubscription" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "interval" TEXT NOT NULL,
    "intervalCount" INTEGER NOT NULL DEFAULT 1,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "trialEndsAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "InsightSubscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InsightActivity" (
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "day" DATE NOT NULL,

    CONSTRAINT "InsightActivity_pkey" PRIMARY KEY ("communityId","day","memberId")
);

-- CreateTable
CREATE TABLE "InsightRollup" (
    "communityId" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "key" TEXT NOT NULL DEFAULT '',
    "value" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "InsightRollup_pkey" PRIMARY KEY ("communityId","metric","period","key")
);

-- CreateTable
CREATE TABLE "InsightRollupState" (
    "communityId" TEXT NOT NULL,
    "builtAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InsightRollupState_pkey" PRIMARY KEY ("communityId")
);

-- CreateTable
CREATE TABLE "DashboardLoginToken" (
    "tokenHash" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DashboardLoginToken_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateTable
CREATE TABLE "DashboardSession" (
    "idHash" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DashboardSession_pkey" PRIMARY KEY ("idHash")
);

-- CreateIndex
CREATE INDEX "InsightMoney_communityId_occurredAt_idx" ON "InsightMoney"("communityId", "occurredAt");

-- CreateIndex
CREATE INDEX "InsightSubscription_communityId_startedAt_idx" ON "InsightSubscription"("communityId", "startedAt");

-- CreateIndex
CREATE INDEX "InsightActivity_communityId_memberId_idx" ON "InsightActivity"("communityId", "memberId");

-- CreateIndex
CREATE INDEX "DashboardSession_communityId_idx" ON "DashboardSession"("communityId");

