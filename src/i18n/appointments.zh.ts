import type { Shape } from './shape.js';
import type { appointmentsEn } from './appointments.en.js';

/** 中文：员工端发送给服务对象的预约通知和社工消息（与 appointments.en.ts 相同的键）。 */
export const appointmentsZh: Shape<typeof appointmentsEn> = {
  appt_notice: {
    scheduled: '您与{{name}}的预约时间是{{when}}（{{detail}}）。',
    rescheduled: '您与{{name}}的预约时间已更改，新的时间是{{when}}（{{detail}}）。',
    cancelled: '您与{{name}}在{{when}}的预约已取消。{{name}}会与您联系另约时间。',
    cancelled_closed: '您的个案已结案，您与{{name}}在{{when}}的预约已取消。如果您以后还需要帮助，随时可以在这里给我们留言。',
    scheduled_discreet: '预约：{{when}}。',
    rescheduled_discreet: '新时间：{{when}}。',
    cancelled_discreet: '已取消：{{when}}。',
    cancelled_closed_discreet: '已取消：{{when}}。',
    your_worker: '您的社工',
  },
  worker_message: {
    text: '您的社工{{name}}给您留言：\n{{value}}',
    discreet: '新消息：\n{{value}}',
  },
};
