/**
 * The second net under crisis detection (pure). detectCrisis knows ways of
 * saying it; a person in danger often says it another way ("I drove out to the
 * cliffs", "he keeps my passport", 我坐在铁轨上, "mon mari me frappe"). Measured
 * on sets written after tuning, the patterns alone found a half to four fifths
 * of such messages (bench/README.md, B8).
 *
 * So a message that detectCrisis lets through is scored here on words that may
 * be about danger. A score of 2 (one strong word, or two weak ones) is a
 * *concern*: the client gets the emergency contacts with one question, "are
 * you safe right now?", and "I'm not safe" is a crisis like any other (the
 * on-call supervisor is paged). A concern pages no one by itself: it costs a
 * kind question, so it may be asked of "I'm scared of Monday's interview" and
 * never of "can we move my appointment".
 *
 * Cues are kinds of danger (method, place, injury, control, fear, farewell), not
 * sentences; other languages' words are in crisis.intl.ts.
 */
import { normaliseForCrisis, squeezePattern } from './crisis.normalise.js';
import { intlConcernCue } from './crisis.intl.js';

export interface ConcernMatch {
  /** What raised it (a cue's label, for the record; never the client's words). */
  cue: string;
  /** en / zh, or another language's code when the words were in crisis.intl.ts. */
  language: string;
}

interface Cue {
  label: string;
  re: RegExp;
  weight: 1 | 2;
}

const en = (label: string, weight: 1 | 2, source: string): Cue => ({ label, weight, re: new RegExp(squeezePattern(source), 'u') });
const zh = (label: string, weight: 1 | 2, source: string): Cue => ({ label, weight, re: new RegExp(source, 'u') });

const EN: Cue[] = [
  // suicide and self-harm: means, places, farewells, hopelessness
  en('suicide word', 2, '\\b(?:suicid\\w*|overdos\\w*|self ?harm\\w*|noose|razor|blades?|bleed\\w*|blood(?! (?:pressure|tests?|sugar|results?|donor)))\\b'),
  en('self-harm', 2, '\\b(?:hurt\\w*|harm\\w*|cut|cutting|burn\\w*|punish\\w*) (?:my ?self|my (?:arms?|wrists?|legs?|skin|thighs?))\\b|\\bcutting again\\b'),
  en(
    'place',
    2,
    '\\b(?:railway|rail ?line|train tracks|tracks|cliffs?|rooftop|on (?:the|a|my) roof|top of (?:the|a|my) (?:building|block|car park|multi ?storey|tower)|ledge|balcony|edge of the|in front of (?:a|the|next) (?:train|bus|car|lorry|truck))\\b',
  ),
  en(
    'means',
    2,
    '\\b(?:medicine (?:cabinet|cupboard)|how many (?:pills|tablets|paracetamol\\w*)|swallowed (?:all|every\\w*|them|the)|(?<!end of my )ropes?|bleach|gas on|exhaust|car running|engine running|enough (?:pills|tablets|meds)|(?:pills|tablets|meds) (?:are )?(?:sorted|ready|saved|collected))\\b',
  ),
  en(
    'farewell',
    2,
    '\\b(?:last time you\\w* hear|hear from me again|(?:wont|will not|not) be (?:around|here)(?: much| for)? (?:long|any ?more|much longer|tomorrow)|goodbye|farewell|letters? (?:for|to) (?:my|the) (?:kids|children|family|mum|mom|son|daughter|wife|husband)|in case (?:something|anything) happens|made up my mind|tonight(?:s| is) (?:it|the night)|my last (?:night|day|message)|(?:all|it) planned(?: out)?|got it planned|(?:gave|given|giving) (?:away )?my (?:cat|dog|things|stuff)|cleared out my (?:room|things)|ever again|it all to stop|make it (?:all )?stop|(?:voices?|they) (?:keep )?tell\\w* me (?:to|i (?:have|need|must)))\\b|\\bthis is (?:probably |maybe )?(?:my |the )?last (?:message|time|text)\\b',
  ),
  en(
    'hopeless',
    2,
    '\\b(?:no (?:way out|future|hope)|(?:cant|cannot|dont) see (?:a|any) way (?:out|forward)|hopeless|worthless|no point (?:in |to )?(?:living|going on|anything|trying|being here)|a burden|burden (?:to|on)|hate my ?self|live or die|(?:asleep|sleep) forever|not (?:have to )?wake up|(?:rather|better) (?:\\w+ ){0,3}(?:was|were|be) dead|never see (?:him|her|them|you|me) again|never wake|disappear (?:from|for|forever)|tired of (?:being alive|living|life|everything)|give up on (?:life|everything|myself)|done with (?:life|everything|it all)|nobody would (?:notice|care|miss)|no one would (?:notice|care|miss)|(?:nobody|no one) cares (?:if|whether))\\b',
  ),
  // violence, control, threats, being hunted
  en(
    'violence',
    2,
    '\\b(?:chok\\w*|strangl\\w*|rap(?:e|ed|ing)|(?<!(?:drug|substance|alcohol|drink|solvent) )abus(?:e|ed|es|ing|ive)|assault\\w*|belt|hands? (?:round|around|on) my (?:neck|throat)|stalk\\w*|(?:hurts?|hits?|beats?|kicks?) (?:me|us|the (?:kids|children|baby)|my (?:kids|children|son|daughter|baby|little|wife|partner|mum|mom|brother|sister))|burn\\w* (?:the|our|my) (?:house|flat|home))\\b',
  ),
  en('weapon', 2, '\\b(?:knife|knives|gun|weapon|machete|axe)\\b(?! (?:crime|and fork))'),
  en(
    'control',
    2,
    '\\b(?:passport|not allowed (?:out|to leave|to go)|wont let (?:me|us) (?:leave|go|out)|locked (?:me|us|the door)|took my (?:phone|keys|money)|controls? (?:all )?(?:the|my) money|comes? (?:in|into) my (?:room|bed)|touch\\w* (?:me|her|him)|private parts|does (?:stuff|things) to me|makes? me (?:have sex|do things)|forc\\w* (?:me|her) to|hidden my passport|marry (?:my )?cousin|keeps? (?:us|me) locked|locked in (?:the|a) \\w+|takes? (?:our|my) wages|cant tell any(?:one|body))\\b',
  ),
  en(
    'hunted',
    2,
    '\\b(?:looking for (?:me|us)|find (?:me|us)|(?:ran|run) (?:out of the (?:house|flat|home)|away from (?:him|her|them|home))|fled|escap\\w*|hiding|nowhere safe|banging on the (?:door|window)|outside (?:my|the|our) (?:house|door|flat|window)|parked outside|on (?:his|her|their) way (?:over|here|round)|broke in|breaking in|(?:in|inside) the (?:wardrobe|cupboard|bathroom)|not (?:supposed|allowed) to come (?:near|within)|restraining order|finish (?:the job|me off))\\b',
  ),
  en(
    'emergency',
    2,
    '\\b(?:(?:im|i am|were|we are) (?:not safe|in danger(?! of (?!my life|our lives))|unsafe)|someone help|help me now|help us now|send help|call (?:the )?(?:police|an ambulance|999|911|112))\\b',
  ),
  // weak: each alone is everyday; two together are worth a question
  en(
    'fear',
    1,
    '\\b(?:scared|afraid|terrified|frightened|fear\\w*|panic\\w*|danger(?!ous)\\w*|unsafe|help me|please help|emergency|police|ambulance|threat\\w*|cant (?:do|take) (?:this|it) any ?more|cant go on)\\b',
  ),
  en('death', 1, '\\b(?:die|dies|died|dying|dead|death|kill\\w*|end it|finish (?:it|this))\\b'),
  en('harm', 1, '\\b(?:hurt\\w*|hit|hits|hitting|beat\\w*|punch\\w*|kick\\w*|slap\\w*|bruis\\w*|shout\\w*|scream\\w*|angry|drunk)\\b'),
  en(
    'night',
    1,
    '\\b(?:tonight|decided|forever|alone|jump\\w*|bridge|pills|tablets|paracetamol|im done|im sorry|sorry for everything|trapped|garage|train times|(?:wont|will not) be (?:here|around)|shaking|hospital)\\b',
  ),
];

const ZH: Cue[] = [
  zh('suicide word', 2, '自杀|自殺|轻生|寻死|结束生命|了结|不想活|活不下去|活着太累|活着没意思|不想醒|不醒|永远睡|遗书|后事'),
  zh('self-harm', 2, '伤害自己|割自己|割腕|割手|划|自残|血|刀片|\\d+片|吃多了|成樽|樽药|眼瞓|吞'),
  zh('place', 2, '跳楼|跳下去|走下去|楼顶|天台|桥上|铁轨|卧轨|悬崖|冲到车|跳河|跳海|江边|河边|落楼'),
  zh('means', 2, '安眠药|吞了|药全|农药|烧炭|上吊|绳子'),
  zh('farewell', 2, '最后一次|写了信|告别|永别|再见了|撑不了多久|决定了|万一我|出事|今晚就'),
  zh('hopeless', 2, '我不在了|不在了也|没有未来|没有出路|看不到.{0,4}出路|累赘|拖累|消失|是死是活|没人在乎|不会发现|做不下去|不行了'),
  zh(
    'violence',
    2,
    '掐|箍住|颈|冇咗气|撞到墙|摸她|摸我|摸他|放过|打我|打死|打他|打她|打孩子|打我们|抽我|抽他|抽她|皮带|家暴|暴力|虐待|强奸|性侵|威胁|要杀|杀了|烧死|放火',
  ),
  zh('weapon', 2, '(?<!持)刀(?!犯罪)|枪|凶器'),
  zh('control', 2, '锁了|锁在|不给工资|不让打电话|禁止他|拿走了我|手机也拿走|护照|不让我|进我房间|不敢告诉|管着所有的钱'),
  zh('hunted', 2, '跟踪|跑出来|不敢回|找到我|在找我|逃出来|逃走|躲|砸门|砸东西|在外面|停在外面'),
  zh('emergency', 2, '救命|救救|报警|警察|不安全|危险|救护车'),
  zh('fear', 1, '怕|恐惧|吓|惊|晕|吐|伤'),
  zh('death', 1, '死'),
  zh('night', 1, '今晚|对不起|受不了|撑不住|一个人'),
];

/** Words that say the danger is denied, past, someone else's or a topic (a leaflet, a course): one point less. */
const CALM_EN = new RegExp(
  squeezePattern(
    '\\b(?:not (?:suicidal|in danger|going to (?:hurt|harm|do))|never would|used to|years ago|(?:im|i am|shes|hes|were|she is|he is|we are) (?:fine|ok|okay|safe|back)|prevention|awareness|leaflets?|charity|documentary|course|training|volunteer|the form|lol|lmao|haha\\w*|jk|kitchen|cutlery|court|evict\\w*|council)\\b',
  ),
  'u',
);
const CALM_ZH = /没有|不会|以前|哈哈|预防|关于|没事|已经好了/u;

/** Words that show a message is written in English (two different ones: "to" is Portuguese too, "i" Polish). */
const ENGLISH =
  /(?<![\p{L}'])(?:the|and|is|my|to|you|it|of|for|im|i'm|can|have|this|that|with|he|she|we|i|at|was|are|they|our|your|me|been|just|not|dont|don't)(?![\p{L}'])/giu;
function looksEnglish(text: string): boolean {
  const found = new Set((text.toLowerCase().match(ENGLISH) ?? []).map((w) => w.replace("'", '')));
  return found.size >= 2;
}

function score(cues: readonly Cue[], text: string, calm: RegExp): ConcernMatch | null {
  let total = calm.test(text) ? -1 : 0;
  let first: string | undefined;
  for (const c of cues) {
    if (!c.re.test(text)) continue;
    total += c.weight;
    first ??= c.label;
    if (total >= 2) return { cue: first, language: '' };
  }
  return null;
}

/** A concern in a message detectCrisis did not match, or null. */
export function detectConcern(text: string): ConcernMatch | null {
  if (typeof text !== 'string' || text.trim() === '') return null;
  const n = normaliseForCrisis(text);
  const zhHit = n.hasHan ? score(ZH, n.han, CALM_ZH) : null;
  if (zhHit) return { ...zhHit, language: 'zh' };
  const enHit = n.hasLatin ? score(EN, n.latin, CALM_EN) : null;
  if (enHit) return { ...enHit, language: 'en' };
  // Another language's words only where the message is not English ("danger" is French too).
  const intl = looksEnglish(text) ? null : intlConcernCue(text);
  return intl ? { cue: `${intl.language}: ${intl.phrase}`, language: intl.language } : null;
}
