CREATE TABLE "handover_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"handover_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"returned_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "handovers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"from_staff_id" uuid NOT NULL,
	"to_staff_id" uuid NOT NULL,
	"created_by" uuid,
	"until_on" date,
	"return_at" timestamp with time zone,
	"status" text DEFAULT 'active' NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "handovers_status_check" CHECK (status in ('active', 'returned', 'undone')),
	CONSTRAINT "handovers_not_self" CHECK ("handovers"."from_staff_id" <> "handovers"."to_staff_id"),
	CONSTRAINT "handovers_until_has_return" CHECK ((until_on is null) = (return_at is null))
);
--> statement-breakpoint
CREATE TABLE "referral_consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"consent_version" text NOT NULL,
	"language" text NOT NULL,
	"method" text NOT NULL,
	"given_at" timestamp with time zone,
	"declined_at" timestamp with time zone,
	"recorded_by" uuid,
	"verbal_reason_enc" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referral_consents_language_check" CHECK (language in ('en', 'zh')),
	CONSTRAINT "referral_consents_method_check" CHECK (method in ('client_button', 'verbal')),
	CONSTRAINT "referral_consents_given_or_declined" CHECK ((given_at is not null) <> (declined_at is not null)),
	CONSTRAINT "referral_consents_verbal_has_reason" CHECK (method <> 'verbal' or (verbal_reason_enc is not null and recorded_by is not null))
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"resource_id" uuid NOT NULL,
	"referred_by" uuid,
	"reason_enc" text NOT NULL,
	"share_details" boolean NOT NULL,
	"consent_state" text NOT NULL,
	"follow_up_at" timestamp with time zone NOT NULL,
	"outcome" text,
	"outcome_at" timestamp with time zone,
	"outcome_by" uuid,
	"follow_up_version" integer DEFAULT 1 NOT NULL,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "referrals_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "referrals_outcome_check" CHECK (outcome is null or outcome in ('reached', 'waiting', 'declined', 'not_suitable')),
	CONSTRAINT "referrals_consent_state_check" CHECK (consent_state in ('not_asked', 'asked', 'given', 'declined')),
	CONSTRAINT "referrals_share_needs_consent" CHECK (share_details or consent_state = 'not_asked')
);
--> statement-breakpoint
CREATE TABLE "resources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"categories" text[] NOT NULL,
	"languages" text[] NOT NULL,
	"phone" text,
	"email" text,
	"website" text,
	"address" text,
	"description" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "handover_cases" ADD CONSTRAINT "handover_cases_handover_id_handovers_id_fk" FOREIGN KEY ("handover_id") REFERENCES "public"."handovers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handover_cases" ADD CONSTRAINT "handover_cases_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handovers" ADD CONSTRAINT "handovers_from_staff_id_staff_id_fk" FOREIGN KEY ("from_staff_id") REFERENCES "public"."staff"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handovers" ADD CONSTRAINT "handovers_to_staff_id_staff_id_fk" FOREIGN KEY ("to_staff_id") REFERENCES "public"."staff"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handovers" ADD CONSTRAINT "handovers_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handovers" ADD CONSTRAINT "handovers_ended_by_staff_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_consents" ADD CONSTRAINT "referral_consents_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_consents" ADD CONSTRAINT "referral_consents_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_consents" ADD CONSTRAINT "referral_consents_recorded_by_staff_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_resource_id_resources_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resources"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_referred_by_staff_id_fk" FOREIGN KEY ("referred_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_outcome_by_staff_id_fk" FOREIGN KEY ("outcome_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "handover_cases_uq" ON "handover_cases" USING btree ("handover_id","case_id");--> statement-breakpoint
CREATE INDEX "handover_cases_case_idx" ON "handover_cases" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "handovers_return_due_idx" ON "handovers" USING btree ("return_at") WHERE status = 'active' and return_at is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "referral_consents_once_uq" ON "referral_consents" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "referrals_case_idx" ON "referrals" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "resources_name_uq" ON "resources" USING btree (lower("name")) WHERE active;