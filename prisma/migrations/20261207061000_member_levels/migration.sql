-- CreateTable
CREATE TABLE "MemberLevel" (
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "earned" INTEGER NOT NULL,
    "reachedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MemberLevel_pkey" PRIMARY KEY ("communityId","memberId")
);

-- CreateIndex
CREATE INDEX "MemberLevel_communityId_reachedAt_idx" ON "MemberLevel"("communityId", "reachedAt");

