CREATE TABLE "case_anonymisations" (
	"case_id" uuid PRIMARY KEY NOT NULL,
	"anonymised_at" timestamp with time zone NOT NULL,
	"cause" text NOT NULL,
	CONSTRAINT "case_anonymisations_cause_check" CHECK (cause in ('erasure', 'retention_closed', 'retention_withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "erasure_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"requested_by" text NOT NULL,
	"requested_by_staff_id" uuid,
	"due_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"level" integer DEFAULT 0 NOT NULL,
	"notice_version" integer DEFAULT 1 NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"hold_reason_enc" text,
	"hold_review_at" timestamp with time zone,
	"step" text,
	"confirmation_delivery_id" uuid,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "erasure_status_check" CHECK (status in ('pending', 'held', 'approved', 'erasing', 'done')),
	CONSTRAINT "erasure_requested_by_check" CHECK (requested_by in ('client', 'staff')),
	CONSTRAINT "erasure_held_has_reason" CHECK (status <> 'held' or (hold_reason_enc is not null and hold_review_at is not null))
);
--> statement-breakpoint
CREATE TABLE "note_redactions" (
	"note_id" uuid PRIMARY KEY NOT NULL,
	"redacted_by" uuid,
	"redacted_at" timestamp with time zone NOT NULL,
	"reason_enc" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_anonymisations" ADD CONSTRAINT "case_anonymisations_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erasure_requests" ADD CONSTRAINT "erasure_requests_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erasure_requests" ADD CONSTRAINT "erasure_requests_requested_by_staff_id_staff_id_fk" FOREIGN KEY ("requested_by_staff_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erasure_requests" ADD CONSTRAINT "erasure_requests_decided_by_staff_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "note_redactions" ADD CONSTRAINT "note_redactions_note_id_notes_id_fk" FOREIGN KEY ("note_id") REFERENCES "public"."notes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "note_redactions" ADD CONSTRAINT "note_redactions_redacted_by_staff_id_fk" FOREIGN KEY ("redacted_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "erasure_open_uq" ON "erasure_requests" USING btree ("client_id") WHERE status <> 'done';--> statement-breakpoint
CREATE INDEX "erasure_status_idx" ON "erasure_requests" USING btree ("status","due_at");--> statement-breakpoint
-- custom SQL (keep when regenerating)
-- Retention finders (src/retention/retention.service.ts) run batch after batch: without these
-- each batch of finished ledger rows or old closed cases would scan the whole table again.
CREATE INDEX IF NOT EXISTS "deliveries_finished_updated_idx" ON "deliveries" USING btree ("updated_at") WHERE status <> 'pending';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "cases_ended_closed_at_idx" ON "cases" USING btree ("closed_at") WHERE status <> 'open';
