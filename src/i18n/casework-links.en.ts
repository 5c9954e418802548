/**
 * Client-facing texts of issue 17: a new contact during leave cover, and the
 * separate consent to share details with a referral's organisation. Spread
 * into src/i18n/en.ts. Plain text. Discreet texts name no agency, worker or
 * organisation: someone else may see the phone.
 */
export const caseworkLinksEn = {
  handover: {
    new_contact: 'Hello. From now on, your contact here is {{name}}. You can write here as before, and {{name}} will read it.',
    new_contact_until:
      'Hello. While {{previous}} is away, your contact here is {{name}}, until {{date}}. You can write here as before, and {{name}} will read it.',
    back: 'Hello. {{name}} is back and is your contact here again. You can write here as before.',
    discreet: 'Your contact person has changed. You can write here as before.',
    date_format: 'd LLLL',
  },
  referral_consent: {
    text:
      '{{name}} would like to put you in touch with {{resource}}, who may be able to help.\n\n' +
      'To do that, we would share with {{resource}} only: your name, how to contact you, and a short summary of why. ' +
      'You can say no, and you can still contact them yourself. (Sharing agreement {{version}})\n\n' +
      'Is it OK to share these details?',
    text_discreet: 'May we pass your name and contact details to the service we talked about, so they can contact you? (Agreement {{version}})',
    yes: 'Yes, share them',
    no: 'No, do not share',
    given: 'Thank you. Your details will be shared only for this.',
    declined: "That's fine. Nothing will be shared. You can still contact them yourself.",
    already: 'You have already answered this question. Thank you.',
    not_found: 'This question is no longer open.',
    mydata_given: 'You agreed on {{when}} that your details may be shared with {{resource}} (sharing agreement {{version}}).',
    mydata_declined: 'You said no on {{when}} to sharing your details with {{resource}} (sharing agreement {{version}}).',
  },
} as const;
