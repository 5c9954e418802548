CREATE TABLE "caseload_overrides" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"worker_id" uuid NOT NULL,
	"assigned_by" uuid,
	"open_cases" integer NOT NULL,
	"caseload_limit" integer NOT NULL,
	"reason_enc" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "caseload_overrides" ADD CONSTRAINT "caseload_overrides_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caseload_overrides" ADD CONSTRAINT "caseload_overrides_worker_id_staff_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caseload_overrides" ADD CONSTRAINT "caseload_overrides_assigned_by_staff_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "caseload_overrides_case_idx" ON "caseload_overrides" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "caseload_overrides_worker_idx" ON "caseload_overrides" USING btree ("worker_id","created_at");--> statement-breakpoint
CREATE INDEX "cases_worker_status_idx" ON "cases" USING btree ("assigned_worker_id","status");--> statement-breakpoint
-- custom SQL (keep when regenerating)
-- Reports' note timeliness reads (kind, contact_at, created_at) of a team's notes: covered by the index, no visit to the 2-million-row heap (bench B9).
CREATE INDEX "notes_case_contact_cover_idx" ON "notes" USING btree ("case_id","contact_at") INCLUDE ("kind","created_at");
