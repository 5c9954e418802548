/**
 * Client-facing texts of the Telegram front end that the shared locale files do
 * not have yet. Spread into src/i18n/en.ts and zh.ts under `tg`, so every key
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

export const telegramZh = {
  tg: {
    client_message: {
      ack: '谢谢，我已经把您的消息转给您的社工了。',
      ack_unassigned: '谢谢，我已经转交了。社工很快会看到。',
      ack_discreet: '谢谢，已收到。',
      unsupported: '我只能转交文字消息，请用文字写下来。',
      edited: '谢谢，修改后的内容我也转交了。',
    },
    buttons: {
      expired: '这个按钮已经失效了。',
      ok: '好的',
    },
    edited: {
      intake: '我看到您修改了一条消息。修改不会改变我已经记下的回答。发送之前，您可以在汇总页面修改任何一项。',
    },
    status: {
      worker: '您的社工：{{name}}',
      no_worker: '目前还没有安排社工。',
    },
    withdraw: {
      none: '您目前没有可以退出的申请。',
    },
    reminders: {
      none: '好的。目前没有需要发给您的提醒。',
    },
    mydata: {
      name: '称呼：{{value}}',
      language: '语言：{{value}}',
      timezone: '时区：{{value}}',
      reminders_on: '提醒：开启',
      reminders_off: '提醒：关闭',
      agreement_given: '服务协议（版本 {{version}}）：您于 {{when}} 同意',
      agreement_declined: '服务协议（版本 {{version}}）：您于 {{when}} 选择了“暂时不”',
      agreement_revoked: '服务协议（版本 {{version}}）：于 {{when}} 结束',
      case: '申请 {{reference}}：{{phase}}，{{when}} 提交',
      answers_title: '您在申请 {{reference}} 中告诉我们的内容：',
      messages_title: '您发给我们的消息（{{value}} 条）：',
      message_line: '{{when}} 发来：{{value}}',
      draft_title: '您尚未提交的申请：',
      draft_notes: '作为留言保存、会随申请交给社工的内容：',
      erasure_requested: '您于 {{when}} 要求我们删除您的资料。',
    },
  },
} as const;
