-- CreateTable
CREATE TABLE "PointEntry" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "actorId" TEXT,
    "reversesId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PointEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PointBalance" (
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "balance" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PointBalance_pkey" PRIMARY KEY ("communityId","memberId")
);

-- CreateTable
CREATE TABLE "PointCategoryTotal" (
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "earned" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "PointCategoryTotal_pkey" PRIMARY KEY ("communityId","memberId","category")
);

-- CreateTable
CREATE TABLE "PointPeriodTotal" (
    "communityId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "PointPeriodTotal_pkey" PRIMARY KEY ("communityId","period","category","memberId")
);

-- CreateTable
CREATE TABLE "BadgeAward" (
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "badge" TEXT NOT NULL,
    "awardedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BadgeAward_pkey" PRIMARY KEY ("communityId","memberId","badge")
);

-- CreateTable
CREATE TABLE "Reward" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "cost" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "catalogItemId" TEXT,
    "percentOff" INTEGER,
    "amountOff" INTEGER,
    "stock" INTEGER,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Reward_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Redemption" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "rewardId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "cost" INTEGER NOT NULL,
    "entryId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "promotionCode" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fulfilledAt" TIMESTAMP(3),
    "fulfilledById" TEXT,
    "note" TEXT,

    CONSTRAINT "Redemption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Question" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "askerId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "details" TEXT NOT NULL,
    "tags" TEXT[],
    "platform" TEXT NOT NULL,
    "spaceId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "url" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "bounty" INTEGER NOT NULL DEFAULT 0,
    "acceptedReplyId" TEXT,
    "acceptedText" TEXT,
    "replyCount" INTEGER NOT NULL DEFAULT 0,
    "firstReplyAt" TIMESTAMP(3),
    "lastReplyAt" TIMESTAMP(3),
    "helpersPingedAt" TIMESTAMP(3),
    "askerRemindedAt" TIMESTAMP(3),
    "bountySettledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "solvedAt" TIMESTAMP(3),

    CONSTRAINT "Question_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuestionReply" (
    "id" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "messages" INTEGER NOT NULL DEFAULT 1,
    "thanks" INTEGER NOT NULL DEFAULT 0,
    "acceptedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QuestionReply_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reviewer" (
    "communityId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "languages" TEXT[],
    "awayUntil" TIMESTAMP(3),
    "leftAt" TIMESTAMP(3),
    "lastAssignedAt" TIMESTAMP(3),
    "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Reviewer_pkey" PRIMARY KEY ("communityId","memberId")
);

-- CreateTable
CREATE TABLE "ReviewRequest" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "requesterId" TEXT NOT NULL,
    "link" TEXT NOT NULL,
    "language" TEXT,
    "notes" TEXT NOT NULL DEFAULT '',
    "platform" TEXT NOT NULL,
    "spaceId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "threadId" TEXT,
    "url" TEXT,
    "status" TEXT NOT NULL,
    "assigneeId" TEXT,
    "assignedAt" TIMESTAMP(3),
    "claimedAt" TIMESTAMP(3),
    "remindedAt" TIMESTAMP(3),
    "passedBy" TEXT[],
    "priority" BOOLEAN NOT NULL DEFAULT false,
    "priorityRedemptionId" TEXT,
    "practicality" INTEGER,
    "coverage" INTEGER,
    "clarity" INTEGER,
    "summary" TEXT,
    "doneAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScheduledWork" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "runAt" TIMESTAMP(3) NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "doneAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScheduledWork_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LiveEvent" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "startsAt" TIMESTAMP(3) NOT NULL,
    "durationMin" INTEGER NOT NULL,
    "link" TEXT,
    "tierItemId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "createdById" TEXT NOT NULL,
    "cancelledAt" TIMESTAMP(3),
    "wentLiveAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LiveEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LiveRsvp" (
    "eventId" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LiveRsvp_pkey" PRIMARY KEY ("eventId","memberId")
);

-- CreateTable
CREATE TABLE "PostedMessage" (
    "id" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "spaceId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PostedMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delivery" (
    "key" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "DirectChannel" (
    "platform" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DirectChannel_pkey" PRIMARY KEY ("platform","userId")
);

-- CreateTable
CREATE TABLE "Announcement" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "postAt" TIMESTAMP(3) NOT NULL,
    "postedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Announcement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DigestSettings" (
    "communityId" TEXT NOT NULL,
    "cadence" TEXT NOT NULL,
    "weekday" INTEGER NOT NULL,
    "hour" INTEGER NOT NULL,
    "sections" TEXT[],
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DigestSettings_pkey" PRIMARY KEY ("communityId")
);

-- CreateTable
CREATE TABLE "DigestRun" (
    "key" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "slot" TIMESTAMP(3) NOT NULL,
    "outcome" TEXT NOT NULL,
    "posts" INTEGER NOT NULL DEFAULT 0,
    "holder" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "DigestRun_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "PointEntry_reversesId_key" ON "PointEntry"("reversesId");

-- CreateIndex
CREATE INDEX "PointEntry_communityId_memberId_createdAt_idx" ON "PointEntry"("communityId", "memberId", "createdAt");

-- CreateIndex
CREATE INDEX "PointEntry_communityId_createdAt_idx" ON "PointEntry"("communityId", "createdAt");

-- CreateIndex
CREATE INDEX "PointEntry_communityId_actorId_category_createdAt_idx" ON "PointEntry"("communityId", "actorId", "category", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PointEntry_communityId_idempotencyKey_key" ON "PointEntry"("communityId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "PointBalance_communityId_balance_idx" ON "PointBalance"("communityId", "balance");

-- CreateIndex
CREATE INDEX "PointCategoryTotal_communityId_category_total_idx" ON "PointCategoryTotal"("communityId", "category", "total");

-- CreateIndex
CREATE INDEX "PointPeriodTotal_communityId_period_category_total_idx" ON "PointPeriodTotal"("communityId", "period", "category", "total");

-- CreateIndex
CREATE UNIQUE INDEX "Reward_communityId_name_key" ON "Reward"("communityId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_entryId_key" ON "Redemption"("entryId");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_idempotencyKey_key" ON "Redemption"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Redemption_communityId_status_idx" ON "Redemption"("communityId", "status");

-- CreateIndex
CREATE INDEX "Redemption_memberId_idx" ON "Redemption"("memberId");

-- CreateIndex
CREATE INDEX "Question_communityId_status_createdAt_idx" ON "Question"("communityId", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Question_communityId_number_key" ON "Question"("communityId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Question_platform_spaceId_threadId_key" ON "Question"("platform", "spaceId", "threadId");

-- CreateIndex
CREATE UNIQUE INDEX "QuestionReply_questionId_authorId_key" ON "QuestionReply"("questionId", "authorId");

-- CreateIndex
CREATE INDEX "ReviewRequest_communityId_status_idx" ON "ReviewRequest"("communityId", "status");

-- CreateIndex
CREATE INDEX "ReviewRequest_assigneeId_status_idx" ON "ReviewRequest"("assigneeId", "status");

-- CreateIndex
CREATE INDEX "ReviewRequest_requesterId_createdAt_idx" ON "ReviewRequest"("requesterId", "createdAt");

-- CreateIndex
CREATE INDEX "ReviewRequest_platform_threadId_idx" ON "ReviewRequest"("platform", "threadId");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewRequest_communityId_number_key" ON "ReviewRequest"("communityId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "ScheduledWork_key_key" ON "ScheduledWork"("key");

-- CreateIndex
CREATE INDEX "ScheduledWork_status_runAt_idx" ON "ScheduledWork"("status", "runAt");

-- CreateIndex
CREATE INDEX "LiveEvent_communityId_startsAt_idx" ON "LiveEvent"("communityId", "startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "LiveEvent_communityId_number_key" ON "LiveEvent"("communityId", "number");

-- CreateIndex
CREATE INDEX "PostedMessage_subject_idx" ON "PostedMessage"("subject");

-- CreateIndex
CREATE INDEX "Announcement_communityId_postAt_idx" ON "Announcement"("communityId", "postAt");

-- CreateIndex
CREATE INDEX "DigestRun_communityId_slot_idx" ON "DigestRun"("communityId", "slot");


-- Full-text search over questions and their accepted answers (Prisma cannot express expression indexes).
CREATE INDEX "Question_search_idx" ON "Question" USING GIN (to_tsvector('english', "title" || ' ' || "details" || ' ' || coalesce("acceptedText", '')));
