-- CreateTable
CREATE TABLE "ItemRating" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "itemId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "stars" INTEGER NOT NULL,
    "comment" TEXT,
    "hiddenAt" TIMESTAMP(3),
    "hiddenById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ItemRating_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewRating" (
    "requestId" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "raterId" TEXT NOT NULL,
    "stars" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReviewRating_pkey" PRIMARY KEY ("requestId")
);

-- CreateIndex
CREATE INDEX "ItemRating_communityId_itemId_updatedAt_idx" ON "ItemRating"("communityId", "itemId", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ItemRating_communityId_itemId_memberId_key" ON "ItemRating"("communityId", "itemId", "memberId");

-- CreateIndex
CREATE UNIQUE INDEX "ItemRating_communityId_number_key" ON "ItemRating"("communityId", "number");

-- CreateIndex
CREATE INDEX "ReviewRating_communityId_reviewerId_idx" ON "ReviewRating"("communityId", "reviewerId");

