CREATE TABLE "appointments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"worker_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"duration_min" integer NOT NULL,
	"mode" text NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"client_response" text,
	"client_responded_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"outcome_at" timestamp with time zone,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appointments_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "appointments_duration_check" CHECK (duration_min between 5 and 480),
	CONSTRAINT "appointments_mode_check" CHECK (mode in ('in_person', 'phone', 'video')),
	CONSTRAINT "appointments_status_check" CHECK (status in ('scheduled', 'cancelled', 'attended', 'no_show')),
	CONSTRAINT "appointments_response_check" CHECK (client_response is null or client_response in ('confirmed', 'needs_other_time', 'cant_come'))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text,
	"action" text NOT NULL,
	"case_id" uuid,
	"subject_type" text,
	"subject_id" text,
	"details" jsonb,
	"request_id" text,
	CONSTRAINT "audit_actor_check" CHECK (actor_type in ('client', 'staff', 'system'))
);
--> statement-breakpoint
CREATE TABLE "callback_tokens" (
	"token" text PRIMARY KEY NOT NULL,
	"chat_id" bigint NOT NULL,
	"action" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_reference_counters" (
	"year" integer PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"client_id" uuid NOT NULL,
	"type" text,
	"phase" text DEFAULT 'intake' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"priority" text DEFAULT 'normal' NOT NULL,
	"category" text NOT NULL,
	"urgency" text,
	"crisis" boolean DEFAULT false NOT NULL,
	"assigned_worker_id" uuid,
	"assigned_at" timestamp with time zone,
	"intake_enc" text,
	"plan_enc" text,
	"self_help_focus_enc" text,
	"evaluation_enc" text,
	"closure_reason" text,
	"last_note_at" timestamp with time zone,
	"next_follow_up_at" timestamp with time zone,
	"follow_up_set_at" timestamp with time zone,
	"consecutive_no_shows" integer DEFAULT 0 NOT NULL,
	"slack_channel" text,
	"slack_thread_ts" text,
	"intake_card_channel" text,
	"intake_card_ts" text,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_reference_unique" UNIQUE("reference"),
	CONSTRAINT "cases_reference_format" CHECK (reference ~ '^C-[0-9]{4}-[0-9]{4,}$'),
	CONSTRAINT "cases_type_check" CHECK (type is null or type in ('therapeutic', 'developmental')),
	CONSTRAINT "cases_phase_check" CHECK (phase in ('intake', 'assessment', 'planning', 'implementation', 'evaluation', 'closed')),
	CONSTRAINT "cases_status_check" CHECK (status in ('open', 'closed', 'withdrawn')),
	CONSTRAINT "cases_priority_check" CHECK (priority in ('crisis', 'high', 'normal', 'low')),
	CONSTRAINT "cases_category_check" CHECK (category in ('family', 'emotions', 'elderly', 'disability', 'children', 'housing', 'work_money', 'health', 'legal', 'other')),
	CONSTRAINT "cases_closed_consistent" CHECK ((status = 'open') = (closed_at is null)),
	CONSTRAINT "cases_closed_needs_evaluation" CHECK (status <> 'closed' or evaluation_enc is not null)
);
--> statement-breakpoint
CREATE TABLE "clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"telegram_user_id" bigint,
	"telegram_chat_id" bigint,
	"preferred_name_enc" text,
	"language" text DEFAULT 'en' NOT NULL,
	"time_zone" text NOT NULL,
	"quiet_hours_start" text DEFAULT '21:00' NOT NULL,
	"quiet_hours_end" text DEFAULT '08:00' NOT NULL,
	"reminders_off" boolean DEFAULT false NOT NULL,
	"bot_blocked_at" timestamp with time zone,
	"erasure_requested_at" timestamp with time zone,
	"erased_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clients_telegram_user_id_unique" UNIQUE("telegram_user_id"),
	CONSTRAINT "clients_language_check" CHECK (language in ('en', 'zh')),
	CONSTRAINT "clients_quiet_hours_check" CHECK (quiet_hours_start ~ '^[0-2][0-9]:[0-5][0-9]$' and quiet_hours_end ~ '^[0-2][0-9]:[0-5][0-9]$')
);
--> statement-breakpoint
CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid,
	"agreement_version" text NOT NULL,
	"language" text NOT NULL,
	"given_at" timestamp with time zone,
	"declined_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consents_language_check" CHECK (language in ('en', 'zh')),
	CONSTRAINT "consents_given_or_declined" CHECK ((given_at is not null) <> (declined_at is not null)),
	CONSTRAINT "consents_given_has_client" CHECK (given_at is null or client_id is not null)
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"recipient" text NOT NULL,
	"channel" text NOT NULL,
	"case_id" uuid,
	"due_at" timestamp with time zone NOT NULL,
	"not_before" timestamp with time zone,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"claimed_at" timestamp with time zone,
	"claim_token" text,
	"sent_at" timestamp with time zone,
	"external_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deliveries_status_check" CHECK (status in ('pending', 'sent', 'skipped', 'failed')),
	CONSTRAINT "deliveries_channel_check" CHECK (channel in ('telegram', 'slack')),
	CONSTRAINT "deliveries_recipient_format" CHECK (recipient ~ '^(client|staff|channel):.+$'),
	CONSTRAINT "deliveries_outcome_has_reason" CHECK (status in ('pending', 'sent') or reason is not null),
	CONSTRAINT "deliveries_sent_has_time" CHECK ((status = 'sent') = (sent_at is not null))
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"level" integer DEFAULT 0 NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"last_notified_at" timestamp with time zone,
	"next_at" timestamp with time zone,
	"notifications" integer DEFAULT 0 NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"snoozed_until" timestamp with time zone,
	"snooze_reason" text,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	"resolution" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "escalations_reason_check" CHECK (reason in ('follow_up_overdue', 'quiet_case', 'unassigned_intake', 'crisis', 'no_show_repeat')),
	CONSTRAINT "escalations_level_check" CHECK (level between 0 and 10),
	CONSTRAINT "escalations_snooze_has_reason" CHECK (snoozed_until is null or snooze_reason is not null)
);
--> statement-breakpoint
CREATE TABLE "goals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"description_enc" text NOT NULL,
	"assessment_enc" text,
	"target_date" date,
	"status" text DEFAULT 'active' NOT NULL,
	"outcome_enc" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goals_status_check" CHECK (status in ('active', 'achieved', 'partly_achieved', 'not_achieved', 'dropped'))
);
--> statement-breakpoint
CREATE TABLE "inbound_dedupe" (
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbound_dedupe_source_external_id_pk" PRIMARY KEY("source","external_id")
);
--> statement-breakpoint
CREATE TABLE "intake_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"telegram_user_id" bigint NOT NULL,
	"telegram_chat_id" bigint NOT NULL,
	"step" text NOT NULL,
	"language" text NOT NULL,
	"state_enc" text NOT NULL,
	"nudged_at" timestamp with time zone,
	"last_activity_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "intake_sessions_telegram_user_id_unique" UNIQUE("telegram_user_id")
);
--> statement-breakpoint
CREATE TABLE "notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"author_staff_id" uuid,
	"kind" text NOT NULL,
	"direction" text,
	"body_enc" text NOT NULL,
	"contact_at" timestamp with time zone NOT NULL,
	"next_follow_up_at" timestamp with time zone,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notes_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "notes_kind_check" CHECK (kind in ('interview', 'phone', 'home_visit', 'collateral', 'supervision', 'message', 'system')),
	CONSTRAINT "notes_direction_check" CHECK ((kind = 'message') = (direction is not null))
);
--> statement-breakpoint
CREATE TABLE "staff" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slack_user_id" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL,
	"supervisor_id" uuid,
	"time_zone" text NOT NULL,
	"working_hours" jsonb DEFAULT '{"days":[1,2,3,4,5],"start":"09:00","end":"17:00"}'::jsonb NOT NULL,
	"on_call" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_slack_user_id_unique" UNIQUE("slack_user_id"),
	CONSTRAINT "staff_role_check" CHECK (role in ('worker', 'supervisor', 'admin')),
	CONSTRAINT "staff_not_own_supervisor" CHECK ("staff"."supervisor_id" is null or "staff"."supervisor_id" <> "staff"."id")
);
--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_worker_id_staff_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."staff"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_assigned_worker_id_staff_id_fk" FOREIGN KEY ("assigned_worker_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_acknowledged_by_staff_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_resolved_by_staff_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_author_staff_id_staff_id_fk" FOREIGN KEY ("author_staff_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_supervisor_id_staff_id_fk" FOREIGN KEY ("supervisor_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "appointments_case_idx" ON "appointments" USING btree ("case_id","starts_at");--> statement-breakpoint
CREATE INDEX "appointments_upcoming_idx" ON "appointments" USING btree ("starts_at") WHERE status = 'scheduled';--> statement-breakpoint
CREATE INDEX "audit_case_idx" ON "audit_log" USING btree ("case_id","at");--> statement-breakpoint
CREATE INDEX "audit_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "callback_tokens_expires_idx" ON "callback_tokens" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "cases_client_idx" ON "cases" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "cases_worker_open_idx" ON "cases" USING btree ("assigned_worker_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "cases_follow_up_due_idx" ON "cases" USING btree ("next_follow_up_at") WHERE status = 'open' and next_follow_up_at is not null;--> statement-breakpoint
CREATE INDEX "cases_quiet_idx" ON "cases" USING btree ("priority","last_note_at") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "cases_unassigned_idx" ON "cases" USING btree ("created_at") WHERE status = 'open' and assigned_worker_id is null;--> statement-breakpoint
CREATE INDEX "consents_client_idx" ON "consents" USING btree ("client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_once_uq" ON "deliveries" USING btree ("kind","subject_id","version","recipient");--> statement-breakpoint
CREATE INDEX "deliveries_pending_due_idx" ON "deliveries" USING btree ("due_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "deliveries_case_idx" ON "deliveries" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "escalations_open_uq" ON "escalations" USING btree ("case_id","reason") WHERE resolved_at is null;--> statement-breakpoint
CREATE INDEX "escalations_next_idx" ON "escalations" USING btree ("next_at") WHERE resolved_at is null;--> statement-breakpoint
CREATE INDEX "goals_case_idx" ON "goals" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "inbound_dedupe_received_idx" ON "inbound_dedupe" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "intake_sessions_activity_idx" ON "intake_sessions" USING btree ("last_activity_at");--> statement-breakpoint
CREATE INDEX "notes_case_idx" ON "notes" USING btree ("case_id","contact_at");--> statement-breakpoint
CREATE INDEX "staff_supervisor_idx" ON "staff" USING btree ("supervisor_id");