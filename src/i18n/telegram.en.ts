/**
 * Client-facing texts of the Telegram front end (the Chinese in telegram.zh.ts).
 * Spread into src/i18n/en.ts and zh.ts under `tg`, so every key
 * goes through the same i18next instance (and the same key-parity checks).
 * Plain text, short sentences: the reader may be stressed or reading in a second language.
 */
export const telegramEn = {
  tg: {
    client_message: {
      ack: "Thanks — I've passed this to your worker.",
      ack_unassigned: "Thanks — I've passed this on. A worker will read it soon.",
      ack_discreet: 'Thanks, received.',
      unsupported: 'I can only pass on text messages. Please write it in words.',
      edited: "Thanks — I've passed on the edited version too.",
    },
    buttons: {
      expired: "That button doesn't work any more.",
      ok: 'OK',
    },
    edited: {
      intake: "I see you edited a message. Edits don't change answers I already have. " + 'You can change any answer on the summary before you send it.',
    },
    status: {
      worker: 'Your worker: {{name}}',
      no_worker: "A worker hasn't been assigned yet.",
    },
    withdraw: {
      none: "You don't have an open request to withdraw from.",
    },
    reminders: {
      none: 'OK. There are no reminders to send you at the moment.',
    },
    mydata: {
      name: 'Name: {{value}}',
      language: 'Language: {{value}}',
      timezone: 'Time zone: {{value}}',
      reminders_on: 'Reminders: on',
      reminders_off: 'Reminders: off',
      agreement_given: 'Service agreement (version {{version}}): agreed on {{when}}',
      agreement_declined: 'Service agreement (version {{version}}): you said “not now” on {{when}}',
      agreement_revoked: 'Service agreement (version {{version}}): ended on {{when}}',
      case: 'Request {{reference}}: {{phase}}, opened on {{when}}',
      answers_title: 'What you told us in request {{reference}}:',
      messages_title: 'Messages you sent us ({{value}}):',
      message_line: '{{when}}: {{value}}',
      draft_title: 'Your unfinished request (not sent yet):',
      draft_notes: 'Kept as notes for your case worker (sent with your request):',
      erasure_requested: 'You asked us to delete your information on {{when}}.',
    },
  },
} as const;
