import type { Shape } from './shape.js';
import type { remindersEn } from './reminders.en.js';

/** 预约提醒与回复的客户文字（见 reminders.en.ts），展开到 zh.ts 的 `appt` 下。 */
export const remindersZh: Shape<typeof remindersEn> = {
  appt: {
    reminder: '提醒：您在 {{when}} 与您的社工有一次约见（{{detail}}）。\n' + '请告诉我们您能不能来。',
    reminder_discreet: '提醒：{{when}}。',
    reminder_confirmed: '提醒：您在 {{when}} 与您的社工有一次约见（{{detail}}）。到时见。',
    date_format: 'M月d日 cccc HH:mm',
    mode: {
      in_person: '当面',
      phone: '电话',
      video: '视频通话',
    },
    at_place: '{{mode}}，地点：{{place}}',
    confirm: '确认',
    other_time: '我需要改时间',
    cant_come: '我来不了',
    reply: {
      confirmed: '谢谢，到时见。',
      needs_other_time: '谢谢您告诉我们。哪些日子、什么时间对您合适？请在这里用一条消息写下来，例如"工作日上午"或"星期四下午三点以后"。',
      cant_come: '谢谢您告诉我们。您的社工会和您联系。',
    },
    answered: {
      confirmed: '您已确认这次约见。',
      needs_other_time: '您希望改时间。',
      cant_come: '您说来不了。',
    },
    outdated: '这条消息发出后，约见有了变动。请看我们最新的消息。',
    stale: {
      passed: '这次约见已经过去了，这个按钮不再有作用。',
      moved: '这次约见改了时间：现在是 {{when}}。',
      cancelled: '这次约见已取消。您的社工会和您联系，商量接下来怎么做。',
    },
    times_received: '谢谢。我已经转告您的社工，社工会和您确认新的时间。',
    not_found: '抱歉，找不到这次约见了。',
  },
};
