/**
 * Client-facing texts sent from the staff side (issue 4): appointment notices
 * and a worker's messages. Spread into src/i18n/en.ts. Plain text. Discreet
 * texts name no agency, case or worker: someone else may see the phone.
 */
export const appointmentsEn = {
  appt_notice: {
    scheduled: 'Your appointment with {{name}} is on {{when}} ({{detail}}).',
    rescheduled: 'Your appointment with {{name}} has moved. It is now on {{when}} ({{detail}}).',
    cancelled: 'Your appointment with {{name}} on {{when}} has been cancelled. {{name}} will contact you about a new time.',
    cancelled_closed:
      'Your appointment with {{name}} on {{when}} is no longer needed: your case has been closed. If you need help again, write to us here at any time.',
    scheduled_discreet: 'Appointment: {{when}}.',
    rescheduled_discreet: 'New time: {{when}}.',
    cancelled_discreet: 'Cancelled: {{when}}.',
    cancelled_closed_discreet: 'Cancelled: {{when}}.',
    your_worker: 'your case worker',
  },
  worker_message: {
    text: 'Message from your worker {{name}}:\n{{value}}',
    discreet: 'New message:\n{{value}}',
  },
} as const;
