import { appointmentsZh } from './appointments.zh.js';
import { caseworkLinksZh } from './casework-links.zh.js';
import { remindersZh } from './reminders.zh.js';
import { telegramZh } from './telegram.zh.js';
import type { Locale } from './en.js';

/**
 * 简体中文。面向客户的所有文字，纯文本发送。用词要温和、简短、口语化，
 * 不要逐字翻译英文。键必须与 en.ts 完全一致（类型和测试都会检查）。
 */
export const zh: Locale = {
  language: {
    prompt: 'Which language would you like to use?\n请选择您想使用的语言：',
    en: 'English',
    zh: '中文',
    changed: '好的，接下来我们用中文交流。',
  },
  agreement: {
    text:
      '开始之前，想先跟您说明我们会怎样一起合作（协议版本 {{version}}）：\n\n' +
      '• 您告诉我们的内容会保密，只有为您提供服务的工作人员能看到。不过保密也有限度：' +
      '如果您或他人可能受到严重伤害、有儿童可能受到伤害，或者法院要求我们提供资料，我们必须告知相关方面。\n' +
      '• 目标由我们和您一起商定。解决问题需要您亲自参与：我们会陪着您、帮助您，但不会替您包办。\n' +
      '• 请按约定的时间见面；如果来不了，请提前告诉我们。\n' +
      '• 您随时可以停止使用我们的服务，发送 /withdraw 就可以。\n\n' +
      '您愿意在这个基础上开始吗？',
    agree: '我同意',
    decline: '暂时不要',
    given: '谢谢您。',
    declined: '完全没关系。除了记下您选择了“暂时不要”，我们没有保留您的任何资料。' + '如果您改变主意，随时发送 /start 就可以重新开始。请多保重。',
  },
  safety: {
    prompt: '继续之前，想先问一个很重要的问题：您现在安全吗？',
    yes: '安全',
    no: '不安全',
    unsure: '我不确定',
    unsure_reply: '谢谢您如实告诉我。如果任何时候觉得不安全，可以联系：\n{{contacts}}\n\n' + '我们现在接着往下，您的申请会被优先处理。',
  },
  steps: {
    name: '我们该怎么称呼您？用什么名字都可以，不必是全名。',
    category: '谢谢您，{{name}}。您遇到的困难主要和哪方面有关？请选最接近的一项。',
    story: '请用您自己的话说说，发生了什么事？想写多少都可以。',
    change: '您希望哪些方面能有所改变？哪怕是一点小变化也可以。',
    support: '在您身边，有谁可以支持您？家人、朋友、邻居，谁都可以。',
    support_none: '目前没有',
    strengths: '以前有什么对您有帮助？或者您擅长做什么？这能帮我们从您已有的力量出发。',
    skip: '跳过',
    urgency: '您希望多快得到帮助？',
    availability: '您一般什么时候方便联系？可以选一项，也可以直接写下来（例如“工作日晚上 6 点以后”）。',
    timezone: '最后一个问题：您在哪个时区？请点选，或者直接输入您所在的城市（例如：上海、香港、London），' + '也可以输入时区名称，如 Asia/Shanghai。',
  },
  categories: {
    family: '家庭',
    emotions: '情绪与心理健康',
    elderly: '长者照顾',
    disability: '残障',
    children: '儿童与青少年',
    housing: '住房',
    work_money: '工作与经济',
    health: '身体健康',
    legal: '法律',
    other: '其他',
  },
  urgency: {
    today: '今天',
    week: '本周内',
    month: '本月内',
    no_rush: '不着急',
  },
  availability: {
    mornings: '上午',
    afternoons: '下午',
    evenings: '晚上',
    anytime: '什么时候都可以',
  },
  zones: {
    'Europe/London': '伦敦',
    'Asia/Shanghai': '北京 / 上海',
    'Asia/Hong_Kong': '香港',
    'Asia/Taipei': '台北',
    'Asia/Singapore': '新加坡',
    'America/New_York': '纽约',
    'America/Los_Angeles': '洛杉矶',
    'America/Toronto': '多伦多',
    'Australia/Sydney': '悉尼',
    UTC: '协调世界时（UTC）',
  },
  review: {
    line: '{{label}}：\n{{value}}',
    zone: '{{label}}（{{zone}}）',
    title: '以下是您告诉我的内容，请核对一下。发送之前，任何一项都可以修改。',
    footer: '确认无误后，请点“提交申请”。',
    name: '称呼',
    category: '困难类别',
    story: '发生了什么',
    change: '希望的改变',
    support: '可以支持您的人',
    strengths: '以往有帮助的事、您的长处',
    urgency: '紧急程度',
    availability: '方便联系的时间',
    timezone: '时区',
    skipped: '（已跳过）',
    submit: '提交申请',
    edit: {
      name: '修改称呼',
      category: '修改类别',
      story: '修改发生的事',
      change: '修改希望的改变',
      support: '修改支持的人',
      strengths: '修改长处',
      urgency: '修改紧急程度',
      availability: '修改联系时间',
      timezone: '修改时区',
    },
  },
  invalid: {
    invisible: '这段内容里看不到任何文字或数字。请用文字输入您的回答（如果是名字，请输入您希望我们怎么称呼您）。',
    empty: '好像没有收到内容。请输入您的回答，或点选下面的按钮。',
    too_long: '内容有点长，请控制在 {{limit}} 字以内。您之前的回答都已保存。',
    unsupported_type: '这里我只能读取打字输入的文字：工作人员看不到照片、语音或贴图。请用文字回答，或点选按钮。您之前的回答都已保存。',
    use_buttons: '请点选下面的一个按钮来回答。',
    unknown_choice: '这个按钮来自之前的消息，已经不能用了。我们现在进行到这一步：',
    unknown_timezone: '抱歉，我没有找到这个地方。请输入您附近的大城市（例如上海、London），或时区名称（如 Asia/Shanghai），也可以直接点选按钮。',
    finished_submitted: '您的申请已经提交了。发送 /status 可以查看进度，发送 /help 查看其他选项。',
    finished_declined: '这次对话已经结束。您想重新开始时，随时发送 /start。',
  },
  concern: {
    ask: '我想确认一下您的情况：您现在安全吗？\n\n如果您正处于危险之中，或者可能伤害自己，请马上联系紧急求助：\n{{contacts}}',
    safe: '是的，我现在安全',
    unsafe: '不，我不安全',
    safe_ack: '谢谢您告诉我。如果情况有变化，随时写信息给我，我会马上告诉您可以联系谁。',
  },
  crisis: {
    reply:
      '谢谢您告诉我，您的安全是现在最重要的。\n\n' +
      '如果您正处于危险之中，请马上联系紧急求助：\n{{contacts}}\n\n' +
      '我已经立即通知了我们的值班同事，会有工作人员阅读您写的内容。',
    pause: '不用着急。等您准备好了，请点“继续我的求助”。如果现在想先停下，请点“现在不要”：您说过的内容都会保存。',
    continue: '继续我的求助',
    not_now: '现在不要',
    later: '好的，内容都已保存。想继续时随时发送 /start。\n\n如果您正处于危险之中，请联系：\n{{contacts}}',
    held: '您的留言已保存，负责您个案的工作人员会看到。',
    checkin: '您好，昨天之后我们想问候一下您。您今天怎么样？随时可以在这里回复，会有工作人员阅读。\n\n如果您正处于危险之中，请联系：\n{{contacts}}',
    checkin_discreet: '您好，问候一下。您今天怎么样？可以在这里回复。\n\n{{contacts}}',
    start_request: '开始我的求助',
    begin_offer: '等您觉得可以了，我可以问您几个问题，好让社工帮助您。随时点“开始我的求助”，或者直接在这里留言：会有工作人员阅读。',
    non_text: '这里只能读取文字，工作人员看不到照片、语音或贴图。请把想告诉我们的内容打字发送。',
  },
  submitted: {
    next:
      '谢谢您，{{name}}。您的申请已经提交，编号是 {{reference}}。\n\n' +
      '接下来：\n' +
      '• 社工会阅读您的申请，并在这里和您联系。\n' +
      '• 你们会一起商定目标和计划。\n' +
      '• 任何时候发送 /status 都可以查看进度。\n\n' +
      '如果任何时候觉得不安全，请马上告诉我。',
  },
  help: {
    text:
      '您可以发送以下指令：\n' +
      '/start – 开始或继续填写申请\n' +
      '/status – 查看申请进度\n' +
      '/language – 切换语言（English / 中文）\n' +
      '/help – 显示这份说明\n' +
      '/cancel – 不再填写（草稿会被删除）\n' +
      '/stop – 停止提醒消息\n' +
      '/withdraw – 退出服务\n' +
      '/mydata – 获取我们保存的您的资料\n' +
      '/forget – 请我们删除您的资料\n' +
      '/exit – 快速离开：我会停止发消息\n\n' +
      '如果您正处于危险之中，请马上求助：\n{{contacts}}',
    unknown_command: '我不认识这个指令。',
  },
  commands: {
    start: '开始或继续填写申请',
    help: '我能帮您做什么',
    status: '查看申请进度',
    language: '切换语言（English / 中文）',
    cancel: '不再填写申请',
    stop: '停止提醒消息',
    withdraw: '退出服务',
    mydata: '获取您的资料副本',
    forget: '请我们删除您的资料',
    exit: '快速离开',
  },
  status: {
    none: '您还没有向我们提交申请。发送 /start 就可以开始。',
    draft: '您的申请还没填完。发送 /start 可以从上次停下的地方继续。',
    case: '申请编号：{{reference}}\n目前阶段：{{phase}}\n{{detail}}',
    next_appointment: '下次见面时间：{{when}}',
    phases: {
      intake: '已收到',
      assessment: '了解情况',
      planning: '制定目标和计划',
      implementation: '按计划进行',
      evaluation: '回顾与评估',
      closed: '已结案',
      withdrawn: '已退出',
    },
    details: {
      intake: '我们正在阅读您的申请，并为您安排合适的社工。',
      assessment: '社工正在进一步了解您和您的情况。',
      planning: '您和社工正在一起商定目标和计划。',
      implementation: '您和社工正在一起按计划推进。',
      evaluation: '您和社工正在回顾有哪些改变，以及接下来怎么做。',
      closed: '这个个案已经结束。如果以后还需要帮助，请发送 /start。',
      withdrawn: '您已退出服务。随时欢迎您回来，发送 /start 即可。',
    },
  },
  nudge: {
    text: '您好，您的申请还没填完，之前写的内容都已保存。您准备好了，随时发送 /start 继续。',
    discreet: '您好。准备好了随时发送 /start。',
  },
  expired: {
    text: '已经有一段时间没有收到您的消息了。为了保护您的资料，我们已删除未完成的申请。想重新开始时，随时发送 /start。',
    discreet: '已经有一段时间了，您在这里开始的内容已删除。想重新开始时，随时发送 /start。',
  },
  cancel: {
    done: '好的，已经停止，未完成的申请也已删除。想重新开始时，随时发送 /start。',
    nothing: '目前没有需要取消的内容。',
  },
  withdraw: {
    confirm: '您确定要退出我们的服务吗？您的个案会被关闭。以后随时可以回来。',
    yes: '确定退出',
    no: '不，继续',
    done: '您已退出服务，谢谢您告诉我们。如果以后还需要帮助，请发送 /start。',
    kept: '好的，一切保持不变。',
  },
  erasure: {
    confirm: '您要我们删除您的资料吗？删除后无法恢复。',
    yes: '确定删除',
    no: '不，保留',
    ack: '已收到您删除资料的请求。我们处理后会通知您。如果法律规定某些记录需要保留一段时间，我们会告诉您是哪些。',
    done: '已按照您的要求删除您的信息。我们只保留法律要求的匿名记录（日期和服务类别，不含您说过的任何内容）。我们不会再在此对话中联系您；如果将来需要帮助，请发送 /start。',
  },
  mydata: {
    intro: '以下是我们保存的您的资料副本：',
    none: '我们没有保存您的任何资料。',
  },
  reminders: {
    off: '提醒已关闭，我不会再给您发送提醒消息。',
    on: '提醒已重新开启。',
  },
  exit: {
    done: '好的，我会保持安静。您也可以在 Telegram 里删除这段对话。想回来时，发送 /start 即可。',
  },
  throttle: {
    text: '您发消息的速度有点快。您发的每一条文字都已保存：作为您的回答、补充到回答里，或作为给社工的留言（图片和语音除外）。稍后我会告诉您现在进行到哪一步。',
    gathered: '我已把这段内容补充到您对“{{label}}”的回答里。',
    kept_note: '这段内容不是这个问题的回答，我已把它作为留言保存，会随您的申请一起交给您的社工。',
    notes_full: '这条消息没能保存：给社工的留言已经很多了。请先回答这个问题，申请提交后可以再告诉社工其余的内容。',
  },
  discreet: {
    new_message: '您有一条新消息。',
  },
  error: {
    generic: '抱歉，我们这边出了点问题。您的回答都已保存，请稍后再试。',
  },
  ...telegramZh,
  ...remindersZh,
  ...appointmentsZh,
  ...caseworkLinksZh,
};
