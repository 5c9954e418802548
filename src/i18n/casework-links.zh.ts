import type { Shape } from './shape.js';
import type { caseworkLinksEn } from './casework-links.en.js';

/** 中文：休假代班时的新联系人通知，以及转介时分享资料的同意（与 casework-links.en.ts 相同的键）。 */
export const caseworkLinksZh: Shape<typeof caseworkLinksEn> = {
  handover: {
    new_contact: '您好。从现在起，您在这里的联系人是{{name}}。您可以像以前一样在这里留言，{{name}}会阅读。',
    new_contact_until: '您好。{{previous}}不在期间，直到{{date}}，您在这里的联系人是{{name}}。您可以像以前一样在这里留言，{{name}}会阅读。',
    back: '您好。{{name}}已经回来，重新成为您在这里的联系人。您可以像以前一样在这里留言。',
    discreet: '您的联系人有变动。您可以像以前一样在这里留言。',
    date_format: "M'月'd'日'",
  },
  referral_consent: {
    text:
      '{{name}}想为您联系{{resource}}，他们也许能帮到您。\n\n' +
      '为此，我们只会向{{resource}}提供：您的名字、联系方式，以及一段简短的转介原因。' +
      '您可以拒绝，也仍然可以自己联系他们。（资料分享同意书 {{version}}）\n\n' +
      '可以分享这些资料吗？',
    text_discreet: '我们可以把您的名字和联系方式交给我们谈过的那个服务机构，让他们联系您吗？（同意书 {{version}}）',
    yes: '可以，请分享',
    no: '不，请不要分享',
    given: '谢谢。您的资料只会用于这次转介。',
    declined: '没问题，我们不会分享任何资料。您仍然可以自己联系他们。',
    already: '您已经回答过这个问题了，谢谢。',
    not_found: '这个问题已经不需要回答了。',
    mydata_given: '您在{{when}}同意把您的资料分享给{{resource}}（资料分享同意书 {{version}}）。',
    mydata_declined: '您在{{when}}拒绝把您的资料分享给{{resource}}（资料分享同意书 {{version}}）。',
  },
};
