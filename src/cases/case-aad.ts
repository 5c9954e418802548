/** AAD strings for the encrypted case-work columns: a value sealed for one column never opens in another. */
export const AAD = {
  noteBody: 'notes.body',
  goalDescription: 'goals.description',
  goalAssessment: 'goals.assessment',
  goalOutcome: 'goals.outcome',
  plan: 'cases.plan',
  selfHelp: 'cases.self_help_focus',
  evaluation: 'cases.evaluation',
  preferredName: 'clients.preferred_name',
  appointmentLocation: 'appointments.location',
} as const;
