-- CreateTable
CREATE TABLE "AccessProblem" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "spaceId" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "targetName" TEXT,
    "action" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "fix" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "notifiedAt" TIMESTAMP(3),
    "notifiedKind" TEXT,
    "resolvedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AccessProblem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AccessProblem_resolvedAt_nextAttemptAt_idx" ON "AccessProblem"("resolvedAt", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "AccessProblem_platform_spaceId_resolvedAt_idx" ON "AccessProblem"("platform", "spaceId", "resolvedAt");

-- CreateIndex
CREATE UNIQUE INDEX "AccessProblem_memberId_platform_target_action_key" ON "AccessProblem"("memberId", "platform", "target", "action");

