DROP INDEX "cases_quiet_idx";--> statement-breakpoint
CREATE INDEX "cases_crisis_idx" ON "cases" USING btree ("created_at") WHERE status = 'open' and crisis;--> statement-breakpoint
CREATE INDEX "deliveries_pending_recipient_idx" ON "deliveries" USING btree ("recipient","due_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "cases_quiet_idx" ON "cases" USING btree (coalesce(last_note_at, opened_at)) WHERE status = 'open' and assigned_worker_id is not null;