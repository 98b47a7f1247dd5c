-- Claims still "sending" past their deadline are counted for the metrics and the hourly check;
-- without an index that count reads every delivery ever made.
CREATE INDEX "Delivery_status_updatedAt_idx" ON "Delivery"("status", "updatedAt");
