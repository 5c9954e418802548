CREATE TABLE "case_access_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"escalation_id" uuid,
	"granted_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "case_access_grants_reason_check" CHECK (reason in ('crisis_acknowledged'))
);
--> statement-breakpoint
CREATE TABLE "oncall_shifts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"created_by" uuid,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "oncall_shifts_kind_check" CHECK (kind in ('rota', 'override')),
	CONSTRAINT "oncall_shifts_order" CHECK ("oncall_shifts"."ends_at" > "oncall_shifts"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "notes" DROP CONSTRAINT "notes_kind_check";--> statement-breakpoint
ALTER TABLE "escalations" ADD COLUMN "safety_plan_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "escalations" ADD COLUMN "safety_plan_note_id" uuid;--> statement-breakpoint
ALTER TABLE "escalations" ADD COLUMN "outcome" text;--> statement-breakpoint
ALTER TABLE "case_access_grants" ADD CONSTRAINT "case_access_grants_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_access_grants" ADD CONSTRAINT "case_access_grants_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_access_grants" ADD CONSTRAINT "case_access_grants_escalation_id_escalations_id_fk" FOREIGN KEY ("escalation_id") REFERENCES "public"."escalations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oncall_shifts" ADD CONSTRAINT "oncall_shifts_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oncall_shifts" ADD CONSTRAINT "oncall_shifts_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "case_access_grants_open_uq" ON "case_access_grants" USING btree ("case_id","staff_id") WHERE revoked_at is null;--> statement-breakpoint
CREATE INDEX "oncall_shifts_time_idx" ON "oncall_shifts" USING btree ("starts_at","ends_at") WHERE cancelled_at is null;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_safety_plan_note_id_notes_id_fk" FOREIGN KEY ("safety_plan_note_id") REFERENCES "public"."notes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_kind_check" CHECK (kind in ('interview', 'phone', 'home_visit', 'collateral', 'supervision', 'message', 'system', 'safety_plan'));