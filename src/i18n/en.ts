import type { Shape } from './shape.js';
import { appointmentsEn } from './appointments.en.js';
import { caseworkLinksEn } from './casework-links.en.js';
import { remindersEn } from './reminders.en.js';
import { telegramEn } from './telegram.en.js';
/**
 * Every client-facing string, in English. Plain text (no HTML/Markdown): the bot
 * sends without parse_mode. Short, warm, plain sentences: the reader may be
 * stressed, in danger, or reading in a second language.
 * zh.ts must have exactly the same keys (checked by the type and a test).
 */
export const en = {
  language: {
    prompt: 'Which language would you like to use?\n请选择您想使用的语言：',
    en: 'English',
    zh: '中文',
    changed: "OK, we'll continue in English.",
  },
  agreement: {
    text:
      'Before we start, here is how we will work together (agreement {{version}}):\n\n' +
      '• What you tell us stays private. Only the people helping you will see it. ' +
      'There are limits: we must tell others if there is a risk of serious harm to you or to someone else, ' +
      'if a child may be at risk, or if a court orders us to.\n' +
      '• We set your goals together. You take part in reaching them: we will help, but we will not take over.\n' +
      "• Please keep your appointments, or tell us if you can't come.\n" +
      '• You can stop using our service at any time. Just send /withdraw.\n\n' +
      'Are you happy to go ahead on this basis?',
    agree: 'I agree',
    decline: 'Not now',
    given: 'Thank you.',
    declined:
      "That's completely fine. I haven't kept any of your details, only that you said “not now”. " +
      'If you change your mind, send /start at any time. Take care.',
  },
  safety: {
    prompt: 'Before we go on, one important question: are you safe right now?',
    yes: "Yes, I'm safe",
    no: 'No',
    unsure: "I'm not sure",
    unsure_reply:
      'Thank you for telling me. If you feel unsafe at any point, you can contact:\n{{contacts}}\n\n' +
      "We'll carry on now, and your request will be looked at sooner.",
  },
  steps: {
    name: "What would you like us to call you? Any name is fine; it doesn't have to be your full name.",
    category: 'Thank you, {{name}}. What is the difficulty mostly about? Choose the closest one.',
    story: 'In your own words, what is happening? Write as much or as little as you like.',
    change: 'What would you like to be different? It can be something small.',
    support: 'Who in your life can support you? Family, friends, neighbours, anyone.',
    support_none: 'No one right now',
    strengths: 'What has helped you before, or what are you good at? This helps us build on what already works.',
    skip: 'Skip',
    urgency: 'How soon do you need help?',
    availability: 'When can you usually talk? Choose one, or write it in your own words (for example “weekdays after 6pm”).',
    timezone: 'Last question: which time zone are you in? Tap one, or type your city (for example London or 北京) ' + 'or a time zone such as Europe/London.',
  },
  categories: {
    family: 'Family',
    emotions: 'Emotions & mental health',
    elderly: 'Elderly care',
    disability: 'Disability',
    children: 'Children & youth',
    housing: 'Housing',
    work_money: 'Work & money',
    health: 'Health',
    legal: 'Legal',
    other: 'Something else',
  },
  urgency: {
    today: 'Today',
    week: 'This week',
    month: 'This month',
    no_rush: 'No rush',
  },
  availability: {
    mornings: 'Mornings',
    afternoons: 'Afternoons',
    evenings: 'Evenings',
    anytime: 'Any time',
  },
  zones: {
    'Europe/London': 'London',
    'Asia/Shanghai': 'Beijing / Shanghai',
    'Asia/Hong_Kong': 'Hong Kong',
    'Asia/Taipei': 'Taipei',
    'Asia/Singapore': 'Singapore',
    'America/New_York': 'New York',
    'America/Los_Angeles': 'Los Angeles',
    'America/Toronto': 'Toronto',
    'Australia/Sydney': 'Sydney',
    UTC: 'UTC',
  },
  review: {
    line: '{{label}}:\n{{value}}',
    zone: '{{label}} ({{zone}})',
    title: 'Here is what you told me. Please check it. You can change anything before you send it.',
    footer: 'When everything looks right, tap “Send my request”.',
    name: 'Name',
    category: 'What it is about',
    story: 'What is happening',
    change: 'What you would like to be different',
    support: 'Who can support you',
    strengths: 'What has helped, what you are good at',
    urgency: 'How soon',
    availability: 'When to reach you',
    timezone: 'Time zone',
    skipped: '(skipped)',
    submit: 'Send my request',
    edit: {
      name: 'Edit name',
      category: 'Edit topic',
      story: 'Edit what is happening',
      change: 'Edit what should change',
      support: 'Edit support',
      strengths: 'Edit what helps',
      urgency: 'Edit how soon',
      availability: 'Edit when to reach you',
      timezone: 'Edit time zone',
    },
  },
  invalid: {
    invisible: "I couldn't see any letters or numbers in that. Please type your answer in words (for a name, what you would like us to call you).",
    empty: "I didn't catch anything there. Please type your answer, or use the buttons.",
    too_long: 'That is a bit long. Please keep it under {{limit, number}} characters. Your earlier answers are saved.',
    unsupported_type:
      'I can only read typed text here: a person will not see photos, voice messages or stickers. Please answer in text or use the buttons. Your earlier answers are saved.',
    use_buttons: 'Please tap one of the buttons below to answer.',
    unknown_choice: "That button is from an earlier message, so it doesn't work any more. Here is where we are now:",
    unknown_timezone:
      "Sorry, I don't know that place. Please type a large city near you (for example London or 上海), " +
      'a time zone such as Europe/London, or tap a button.',
    finished_submitted: 'Your request has already been sent. Send /status to see where it is, or /help for other options.',
    finished_declined: 'This conversation has ended. Send /start whenever you would like to begin again.',
  },
  concern: {
    ask:
      "I want to check that you're OK. Are you safe right now?\n\n" +
      'If you are in danger, or might hurt yourself, please contact emergency help now:\n{{contacts}}',
    safe: "Yes, I'm safe",
    unsafe: "No, I'm not safe",
    safe_ack: "Thank you for telling me. If that changes, write to me at any time and I'll show you who to contact straight away.",
  },
  crisis: {
    reply:
      "I'm really glad you told me. Your safety matters most right now.\n\n" +
      'If you are in danger, please contact emergency help now:\n{{contacts}}\n\n' +
      'I have told our duty team straight away, and a person will read what you wrote.',
    pause: "There's no rush. When you're ready, tap Continue my request. If you'd rather stop for now, tap Not now: everything you've told me is kept.",
    continue: 'Continue my request',
    not_now: 'Not now',
    later: "That's fine. Everything is kept. Send /start whenever you want to carry on.\n\nIf you are in danger, please contact:\n{{contacts}}",
    held: "I've kept your message for the person who reads your case.",
    checkin:
      'Hello, we wanted to check in with you after yesterday. How are you today? You can reply here whenever you like, and a person will read it.\n\n' +
      'If you are in danger, please contact:\n{{contacts}}',
    checkin_discreet: 'Hello, just checking in. How are you today? You can reply here.\n\n{{contacts}}',
    start_request: 'Start my request',
    begin_offer:
      'When you feel ready, I can ask you a few questions so a case worker can help with what is going on. Tap Start my request whenever you like, or just write here: a person will read it.',
    non_text: 'I can only read typed text here, so a person will not see photos, voice messages or stickers. Please type what you want us to know.',
  },
  submitted: {
    next:
      'Thank you, {{name}}. Your request has been sent. Your reference is {{reference}}.\n\n' +
      'What happens next:\n' +
      '• A case worker will read your request and get in touch with you here.\n' +
      '• Together you will agree on goals and a plan.\n' +
      '• Send /status at any time to see where things are.\n\n' +
      'If you feel unsafe at any point, tell me straight away.',
  },
  help: {
    text:
      'Here is what you can send me:\n' +
      '/start – start or continue your request\n' +
      '/status – see where your request is\n' +
      '/language – change language (English / 中文)\n' +
      '/help – show this list\n' +
      '/cancel – stop filling in the form (your draft is deleted)\n' +
      '/stop – stop reminder messages\n' +
      '/withdraw – withdraw from our service\n' +
      '/mydata – get a copy of the information we hold about you\n' +
      '/forget – ask us to delete your information\n' +
      '/exit – leave quickly: I stop and stay quiet\n\n' +
      'If you are in danger, get help straight away:\n{{contacts}}',
    unknown_command: "I don't know that command.",
  },
  commands: {
    start: 'Start or continue your request',
    help: 'What I can do',
    status: 'See where your request is',
    language: 'Change language (English / 中文)',
    cancel: 'Stop filling in the form',
    stop: 'Stop reminder messages',
    withdraw: 'Withdraw from the service',
    mydata: 'Get a copy of your information',
    forget: 'Ask us to delete your information',
    exit: 'Leave quickly',
  },
  status: {
    none: "You don't have a request with us yet. Send /start to begin.",
    draft: "You're part-way through your request. Send /start to carry on where you left off.",
    case: 'Your request {{reference}}\nStage: {{phase}}\n{{detail}}',
    next_appointment: 'Next appointment: {{when}}',
    phases: {
      intake: 'Received',
      assessment: 'Getting to know your situation',
      planning: 'Setting goals and a plan',
      implementation: 'Working on the plan',
      evaluation: 'Looking back at what has changed',
      closed: 'Closed',
      withdrawn: 'Withdrawn',
    },
    details: {
      intake: "We're reading your request and finding the right worker for you.",
      assessment: 'Your worker is getting to know you and your situation.',
      planning: 'You and your worker are agreeing on goals and a plan.',
      implementation: 'You and your worker are working on your plan together.',
      evaluation: 'You and your worker are looking at what has changed and what comes next.',
      closed: 'This case is closed. If you need help again, send /start.',
      withdrawn: 'You withdrew from the service. You are welcome back at any time: send /start.',
    },
  },
  nudge: {
    text: "Hello again. Your request isn't finished yet, and everything you wrote is saved. " + "Send /start to carry on whenever you're ready.",
    /** Discreet mode: names nothing (someone else may see the phone). */
    discreet: "Hello again. Send /start whenever you're ready.",
  },
  expired: {
    text: "It's been a while, so I've deleted your unfinished request to keep your information safe. " + "Send /start whenever you'd like to begin again.",
    discreet: "It's been a while, so what you started here was deleted. Send /start to begin again.",
  },
  cancel: {
    done: "OK, I've stopped and deleted your unfinished request. Send /start whenever you'd like to begin again.",
    nothing: 'There is nothing to cancel right now.',
  },
  withdraw: {
    confirm: 'Do you want to withdraw from our service? Your case will be closed. You can come back at any time.',
    yes: 'Yes, withdraw',
    no: 'No, keep going',
    done: 'You have withdrawn from the service. Thank you for letting us know. If you need help again, send /start.',
    kept: 'OK, nothing has changed.',
  },
  erasure: {
    confirm: 'Do you want us to delete your information? This cannot be undone.',
    yes: 'Yes, delete it',
    no: 'No, keep it',
    ack:
      "I've received your request to delete your information. We will do it and let you know. " +
      'If the law says we must keep some records for a while, we will tell you which ones.',
    done: 'Your information has been deleted, as you asked. We keep only anonymous records that the law requires (dates and the type of help, never your words). This chat will not hear from us again; send /start if you ever need help.',
  },
  mydata: {
    intro: 'Here is a copy of the information we hold about you:',
    none: "We don't hold any information about you.",
  },
  reminders: {
    off: "Reminders are off. I won't send you reminder messages.",
    on: 'Reminders are back on.',
  },
  exit: {
    done: "Done. I'll stay quiet. You can also delete this chat in Telegram. Send /start when you want to come back.",
  },
  throttle: {
    text: "You're sending messages very quickly. Every text you send is saved: as your answer, added to it, or as a note for your case worker (photos and voice messages are not). I'll show you where we are in a moment.",
    gathered: 'I added that to your answer to “{{label}}”.',
    kept_note: "That isn't an answer to this question, so I've kept it as a note for your case worker: it will reach them with your request.",
    notes_full:
      "I couldn't keep that message: I already have many notes for your case worker. Please answer the question, and you can tell your worker the rest once your request is sent.",
  },
  discreet: {
    new_message: 'You have a new message.',
  },
  error: {
    generic: 'Sorry, something went wrong on our side. Your answers are saved. Please try again in a moment.',
  },
  ...telegramEn,
  ...remindersEn,
  ...appointmentsEn,
  ...caseworkLinksEn,
} as const;

/** The shape every locale must have: the same keys as English, any strings. */
export type Locale = Shape<typeof en>;
