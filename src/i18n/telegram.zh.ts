/** 客户在 Telegram 上看到的文字（见 telegram.en.ts），展开到 zh.ts 的 `tg` 下。 */
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
