/**
 * Client-facing texts of appointment reminders and answers (issue 5), spread
 * into src/i18n/en.ts under `appt`. Plain text; short, warm sentences.
 * Discreet mode texts name no agency, case or worker: someone else may see
 * the client's phone.
 */
export const remindersEn = {
  appt: {
    reminder: 'Reminder: you have an appointment with your case worker on {{when}} ({{detail}}).\n' + 'Please tell us if you can come.',
    reminder_discreet: 'Reminder: {{when}}.',
    /** After the client confirmed: remind, do not ask again. */
    reminder_confirmed: 'Reminder: you have an appointment with your case worker on {{when}} ({{detail}}). See you then.',
    /** Luxon format of the appointment time, in the client's zone and language. */
    date_format: "cccc d LLLL 'at' HH:mm",
    mode: {
      in_person: 'in person',
      phone: 'by phone',
      video: 'by video call',
    },
    /** The detail of an in-person appointment with its place. */
    at_place: '{{mode}}, at {{place}}',
    confirm: 'Confirm',
    other_time: 'I need another time',
    cant_come: "I can't come",
    reply: {
      confirmed: 'Thank you. See you then.',
      needs_other_time:
        'Thank you for telling us. Which days and times would suit you? Please write them here in one message, ' +
        'for example "weekday mornings" or "Thursday after 3 pm".',
      cant_come: 'Thank you for telling us. Your worker will get in touch with you.',
    },
    answered: {
      confirmed: 'You confirmed this appointment.',
      needs_other_time: 'You asked for another time.',
      cant_come: "You said you can't come.",
    },
    outdated: 'This appointment has changed since this message was sent. Please look at our latest message.',
    /** A button on an older message, answered with what is true now. */
    stale: {
      passed: 'This appointment has already passed, so this button no longer does anything.',
      moved: 'This appointment was moved: it is now on {{when}}.',
      cancelled: 'This appointment was cancelled. Your worker will contact you about what happens next.',
    },
    /** The client's answer to "which days and times suit you?" was passed on. */
    times_received: 'Thank you. I have passed this on to your worker, who will confirm a new time with you.',
    not_found: "Sorry, I can't find this appointment any more.",
  },
} as const;
