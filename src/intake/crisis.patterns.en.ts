/**
 * Built-in English crisis patterns, matched against normaliseForCrisis(text).latin
 * (lower case, no apostrophes: "don't" is "dont", "he'll" is "hell"; punctuation
 * is a space). Written in ordinary spelling; squeezePattern makes them agree
 * with squeezed text ("kill" matches "killll" and "kil"). Each has a label (what
 * the escalation records) and, where everyday hyperbole uses the same words
 * ("my mum will kill me if I'm late lol"), a veto tested on the whole message.
 *
 * Kept apart from the corpus that measures them (bench/crisis-corpus): a
 * pattern is added for a way people say it, not for one sentence.
 */
export interface PatternSpec {
  label: string;
  re: string;
  veto?: string;
}

/** People who hurt or threaten (subjects), including contracted forms without apostrophes. */
const SUBJ =
  '(?:he|she|they|hes|shes|theyre|hell|shell|theyll|hed|shed|theyd|husband|hubby|wife|partner|boyfriend|bf|girlfriend|gf|fiance|ex|exhusband|exwife|dad|daddy|father|stepdad|stepfather|mum|mom|mother|stepmum|stepmom|stepmother|parents|son|daughter|brother|sister|uncle|aunt|grandson|granddaughter|cousin|carer|landlord|family|man|men|someone|somebody|people|inlaws|law|neighbour|neighbor|flatmate|housemate|roommate|boss|manager|pimp|dealer)';
/** Up to n words between subject and verb, none of them a negation ("he doesn't hit me"). */
const gap = (n: number) => `(?:\\s(?!(?:not|never|no|doesnt|didnt|dont|wont|wouldnt|isnt|wasnt|hasnt|havent|cant|couldnt|stopped)\\b)\\S+){0,${n}}?`;
const VIOLENT =
  '(?:hit|hits|hitting|beat|beats|beating|beaten|punch|punches|punched|punching|kick|kicks|kicked|kicking|slap|slaps|slapped|slapping|smack|smacks|smacked|smacking|choke|chokes|choked|choking|strangle|strangles|strangled|strangling|hurt|hurts|hurting|attack|attacks|attacked|attacking|assault|assaults|assaulted|push|pushes|pushed|pushing|shove|shoves|shoved|abuse|abuses|abused|abusing|rape|rapes|raped|raping|threaten|threatens|threatened|threatening|bite|bites|bit|burn|burns|burned|burnt|drag|drags|dragged|stab|stabs|stabbed|touch|touches|touched|grab|grabs|grabbed|throw|throws|threw|thrown|whip|whips|whipped|batter|batters|battered|molest|molests|molested|bash|bashes|bashed|thump|thumps|thumped|headbutt|headbutted|h1t)';
const VICTIM =
  '(?:me|us|my (?:(?:little|younger|baby|older|big|youngest|eldest) )?(?:brother|sister|son|daughter)|(?:my|our) (?:kids|children|child|baby|babies|son|daughter|mum|mom|mother|wife|partner|sister|brother|boys|girls)|the (?:kids|children|baby)|(?:his|her) (?:wife|husband|partner|girlfriend|boyfriend))';
/** What follows "… me" when it is not violence: "hit me up", "beats me at chess" (but "attacked me at work" is), "threw me a party", "kicked me out", "pushes me to apply". */
const NOT_VIOLENCE_AFTER =
  '(?!(?<=\\b(?:kick|kicks|kicked|throw|throws|threw|thrown|lock|locks|locked) (?:me|us))\\s(?:out|off)\\b)(?!\\s(?:with|by) (?:rent|bills?|fines?|debts?|costs?|charges?|increases?|paperwork|forms?|work|questions?|emails?|calls?|letters?)\\b)(?!(?<=\\bhits? me)\\sup\\b)(?!(?<=\\bbeats? me)\\s(?:at|in) (?:chess|cards|a race|the race|games?|football|tennis|pool|darts|scrabble|monopoly|everything|it|\\w+ing)\\b)(?!(?<=\\bbeat(?:s)? me)\\sto (?:the|it|a|an)\\b)(?!\\s(?:to it|a|an|to (?:apply|do|try|get|go|work|study|be|finish|keep)|back on)\\b)';
/** A laugh marks hyperbole, unless the message is also afraid ("he says he'll kill me lol I'm scared"). */
const LAUGH =
  '^(?!.*\\b(?:scared|afraid|terrified|frightened|help|police|serious|seriously|not joking)\\b).*\\b(?:lol|lmao|lmfao|haha\\w*|hehe\\w*|jk|joking|kidding|rofl)\\b';
/** "will kill me if I'm late / forget her birthday …": everyday hyperbole. */
const TRIVIAL_IF =
  '\\b(?:kill|murder|strangle)\\s(?:me|us)\\b(?:\\s\\S+){0,8}?\\s(?:late|forget|forgot|lose|lost|birthday|day off|miss|missed|break|broke|spend|spent|eat|ate|post|tell|told|mess|fail|failed)\\b';
const PILLS =
  '(?:pills?|tablets?|meds|medication|medicine|medicines|capsules?|paracetamol|acetaminophen|tylenol|ibuprofen|aspirin|codeine|cocodamol|co codamol|antidepressants?|sleeping (?:pills|tablets)|sleepers|painkillers?|pain killers?|insulin|xanax|valium|diazepam|sertraline|fluoxetine|citalopram|amitriptyline|oxy\\w*|opioids?|heroin|methadone|lithium|quetiapine|zopiclone|benzos?|them|it all)';
const MYSELF = '(?:my ?self|myslef|mysefl|meself|myselg|mysel|mysef|mself|me self)';

export const EN_PATTERNS: PatternSpec[] = [
  // ── suicide: intent, wish, plan ──────────────────────────────────────────
  {
    label: 'kill myself',
    re: `(?<!\\b(?:not going to|not gonna|never|wont|would never|not) )\\b(?:kill|killing|killed|kil|k ill|murder|murdering)\\s?${MYSELF}\\b`,
  },
  { label: 'kms', re: '\\b(?:kms|kys|kmn)\\b' },
  { label: 'unalive', re: '\\bun ?aliv(?:e|ed|ing)\\b' },
  {
    label: 'suicide',
    re: '\\b(?:sewer ?slide|commit die|kermit|su?icide|suicid(?:e|al|ally|ality)|suicde|sucide|suiside|suicidle)\\b',
    veto: '\\b(?:not|never|no longer|wasnt|isnt) (?:feeling )?suicidal\\b|\\b(?:died|lost \\w+|death) (?:by|to) suicide\\b|\\bsuicide (?:prevention|awareness|bomb\\w*|attack|squad|rates?)\\b',
  },
  {
    label: 'want to die',
    re: '\\b(?:want|wants|wanted|wanting|wnt|wana|wanna|wish|wished|ready|plan|planning|planned|deserve|rather|should|could just|just wanna|need|going|gonna|gona|like|decided)\\s(?:to\\s)?(?:just\\s|really\\s|fucking\\s|so bad to\\s)?(?:die|d ie|dye(?! (?:my|it|the|her|his)))\\b(?!\\s(?:of|from|if|when|laughing|alone|happy|old|soon|at|in (?:this|the) (?:queue|heat)))',
  },
  {
    label: 'better off dead',
    re: '\\b(?:better off|rather be|wish i was|wish i were|wish i was just|as well be|want to be|wanna be|should be|id be better off) dead\\b',
  },
  {
    label: 'better off without me',
    re: '\\b(?:better off|better|happier|easier|fine|ok|okay)(?: for (?:everyone|everybody|them|you all|my family|my kids|the kids|all of you|all))?(?: off)? (?:without me|if i (?:just |wasnt |was |were )?(?:was|were|wasnt|werent|was not|were not|am|died|was gone|were gone|wasnt here|werent here|wasnt around|werent around|wasnt alive))|\\bif i (?:was|were) (?:gone|dead)\\b',
  },
  {
    label: 'no reason to live',
    re: '\\b(?:no|any|a|the|nothing|no more|one) (?:point|reason|reasons|purpose)(?: in| to| for)? (?:living|live|to live|being alive|going on|carrying on|life|keep (?:going|living|trying)|stay alive|go on|carry on|be alive|be here)\\b|\\bnothing (?:left )?to live for\\b|\\b(?:life|living) (?:is not|isnt|aint|not) worth (?:living|it)\\b|\\bnot worth living\\b|\\bwhats the point (?:of|in) (?:living|life|going on|being alive|carrying on)\\b',
  },
  {
    label: 'dont want to live',
    re: '\\b(?:dont|do not|dont really|no longer|never|not|really dont|just dont|dont even|cant|cannot|can not|wont) (?:want|wanna|wish|need) (?:to )?(?:live|be alive|exist|be here any ?more|wake up(?!\\s(?:the|my|him|her|them|you|anyone|everyone|early|late|at|so|too))|go on|carry on|keep (?:living|going)|continue living|stay alive|be around)\\b',
  },
  {
    label: 'cant go on',
    re: '\\b(?:cant|cannot|can not|dont know how to) (?:go on(?!\\s(?:paying|with|holiday|a|the|like this (?:the|with)))|keep living|keep going|do life|carry on living|live like this any ?more|do this any ?more|take (?:it|this|life) any ?more(?: i| im|$| and i))',
  },
  { label: 'end my life', re: '\\b(?:end|ending|ended|take|taking|took)\\s(?:my|mine|my own)\\s?(?:own )?life\\b' },
  { label: 'end it all', re: '\\bend(?:ing)? (?:it|things|everything) (?:all|now|tonight|today|for good|forever)\\b|\\bend(?:ing)? it all\\b' },
  {
    label: 'want to end it',
    re: '\\b(?:want|wanna|going|gonna|ready|planning|plan|decided|time|need|thinking of|thinking about|about|just want|feel like|feeling like|like)\\s(?:to\\s)?(?:end|ending)\\s(?:it|things|everything|myself|me|this)\\b(?!\\s(?:with|by|early|on|between|for (?:him|her)|off))',
  },
  {
    label: 'ending things',
    re: '\\b(?:ending|end) (?:things|everything|myself|me)\\b(?!\\s(?:with|by|early))|\\b(?:im|i am|i will|ill) (?:going to )?end(?:ing)? it\\b(?!\\s(?:with|by|early))',
  },
  {
    label: 'want it to end',
    re: '\\bwant (?:it|this|everything|it all|this all|the pain|life) (?:all )?to (?:end|stop forever|be over)\\b|\\b(?:everything|it all|the pain) to stop forever\\b',
  },
  { label: 'never wake up', re: '\\b(?:never|not|dont|wont|not to|didnt) wake up\\b(?!\\s(?:on time|early|in time|the baby|my|him|her))' },
  {
    label: 'disappear forever',
    re: '\\bdisappear (?:forever|permanently|for good)\\b|\\b(?:want to|wanna|wish i could|wish i didnt|dont want to|dont wanna) (?:not )?exist\\b',
  },
  {
    label: 'goodbye note',
    re: '\\bmy will\\b.*\\bgoodbye|\\bgoodbye.*\\bmy will\\b|\\b(?:gave|giving|given|give) away (?:all )?(?:of )?my (?:things|stuff|belongings|possessions|clothes)\\b|\\b(?:wont|will not) need (?:them|it|my things|anything|my stuff) (?:any ?more|where im going|after tonight)\\b|\\bgoodbye (?:everyone|everybody|all|world|forever|cruel world|to (?:everyone|you all))\\b|\\b(?:wont|will not|never) be (?:a|your|anyones) (?:problem|burden|bother|trouble) (?:any ?more|again|for (?:long|much longer))\\b|\\bim (?:just )?a burden (?:to|on) (?:everyone|everybody|my family|you all)\\b|\\b(?:goodbye|suicide) (?:letters?|notes?|messages?)\\b|\\bthis is my last (?:message|text|goodbye)\\b|\\btell (?:my|the) \\w+ (?:that )?i love (?:her|him|them|you)\\b',
  },
  { label: 'off myself', re: '\\b(?:off|offing|offed) (?:myself|my self|meself)\\b' },
  {
    label: 'cannot stay safe',
    re: '\\b(?:cant|cannot|can not|unable to|dont think i can|not sure i can|dont know if i can) (?:keep|stay) (?:myself )?safe\\b(?! from (?:the|this) (?:cold|heat|damp|mould|virus))|\\b(?:started|start|been|im|i am|keep|kept) cutting (?:again|myself)\\b|\\bcutting again\\b|\\bthe cuts (?:are|were|r) (?:deep|bad|deeper)\\b|\\b(?:thinking|think|thoughts|dreaming) (?:about|of) (?:dying|death|suicide|ending it|ending my life|killing myself)\\b',
  },
  {
    label: 'no way out',
    re: '\\b(?:except|but|other than|apart from) (?:dying|death|to die|suicide|killing myself)\\b|\\bmake (?:it all|everything|it|the pain|all of it)(?: just)? (?:stop|end|go away)(?: for good| forever)?\\b(?!\\s(?:beeping|ringing|leaking|dripping))|\\bstop existing\\b|\\bstop living\\b(?!\\s(?:in|out|with|at|like|on|here|there))|\\b(?:tired|sick) of (?:living|life|being alive)\\b(?!\\s(?:in|out|with|at|like|on|here|there))|\\bcease to exist\\b',
  },
  {
    label: 'sleep forever',
    re: '\\bsleep forever\\b|\\bfeel like dying\\b(?! (?:of|from|laughing))|\\b(?:no one|noone|nobody|no body) (?:would|will|is going to|gonna) (?:even |really )?(?:miss me|notice if i|care if i (?:die|died|was gone|disappeared|wasnt here))|\\b(?:my )?life is (?:pointless|meaningless)\\b',
  },
  {
    label: 'do to myself',
    re: '\\b(?:what|something|anything) i (?:might|could|will|would|may|am going to|m going to) do to myself\\b|\\bdo something to myself\\b|\\b(?:thinking|think|thought|thoughts|urges?|urge) (?:about|of|to) (?:jumping|jump off|jump from|jump in front)\\b',
  },
  { label: 'done with life', re: '\\b(?:done|finished|fed up) with (?:life|living|being alive)\\b|\\bgiv(?:e|ing) up on (?:life|living)\\b' },
  { label: 'do something stupid', re: '\\b(?:going to|gonna|might|will|about to) do something (?:stupid|drastic)\\b' },
  {
    label: 'how to die',
    re: '\\b(?:ways?|how) to (?:die|kill (?:myself|yourself|oneself)|end (?:it|my life))\\b|\\btake to die\\b|\\b(?:is|are|dose is|amount is) (?:lethal|fatal)\\b|\\blethal dose\\b|\\bpainless(?:ly)? (?:way|death|to die)\\b',
  },
  // ── methods ──────────────────────────────────────────────────────────────
  {
    label: 'jump',
    re: '\\b(?:jump|jumping|throw myself|throwing myself|leap|leaping)\\s(?:off|from|in front of|under|into (?:the )?(?:river|sea|traffic))\\s(?:a|the|my|this|of|our)?\\s?(?:bridge|building|roof|balcony|cliff|tower|train|bus|car|window|ledge|platform|block|car park|multi|motorway|river|sea|traffic)',
  },
  {
    label: 'going to jump',
    re: '\\b(?:going to|gonna|gona|want to|wanna|about to|ready to|will|im gonna)\\sjump\\b(?!\\s(?:in|on|at|the queue|into (?:the )?(?:shower|bath|pool)|through|to|ahead))|\\b(?:standing|im standing|i am|im) (?:on|at) (?:the|a) (?:edge|ledge|roof|rooftop|bridge|cliff|top of)\\b(?!\\s(?:road|street|st|club|lane))',
  },
  {
    label: 'in front of a train',
    re: '\\b(?:in front of|under) (?:a|the) (?:train|bus|lorry|truck|car|tube)\\b|\\b(?:drive|driving|crash|crashing) (?:my|the) car into\\b|\\b(?:drive|driving|drove|steer) (?:off|into) (?:a|the) (?:cliff|bridge|wall|river|lake|sea|quarry)\\b|\\bengine (?:running|on)\\b.*\\bgarage\\b|\\bgarage\\b.*\\bengine (?:running|on)\\b|\\b(?:carbon monoxide|hosepipe|exhaust pipe)\\b|\\bwalk(?:ing)? into the (?:sea|river|ocean|lake)\\b|\\b(?:step|stepping|jump|jumping|walk|walking|throw myself) in front of (?:a|the|the next)(?: \\w+)?\\s?(?:train|bus|lorry|truck|car|tube|one)\\b',
  },
  {
    label: 'method myself',
    re: `(?<!\\b(?:not going to|not gonna|never|wont|would never|used to|not) )\\b(?:hurt|hurting|harm|harming|hit|hitting|punch|punching|bang|banging|scratch|scratching|cut|cutting|burn|burned|burnt|burning|hang|hanging|hung|drown|drowning|shoot|shooting|shot|stab|stabbing|stabbed|poison|poisoning|poisoned|starve|starving|strangle|strangling|suffocate|suffocating|gas|gassing|overdose|punish|punishing|injure|injuring|injured|end|ending|destroy|slit|slash|slashing)\\s${MYSELF}\\b(?!\\s(?:shaving|cooking|chopping|on (?:a|the|some)|by accident|accidentally|gardening|at work|opening|in the kitchen|playing|lifting))`,
  },
  {
    label: 'hurt myself',
    re: '\\b(?:hurt|harm|cut|hurting|harming|cutting)\\s(?:himself|herself|themselves|themself)\\b|\\bkill(?:ing|ed|s)?\\s(?:himself|herself|themselves|themself)\\b(?!\\s(?:laughing|with laughter|working|trying))',
  },
  {
    label: 'self harm',
    re: '(?<!\\bused to )\\bself ?(?:harm|harming|harmed|injury|injure|injuring|mutilation|mutilate)\\b|\\bsh (?:again|relapse)\\b|\\bshd again\\b|\\brelapsed\\b(?:\\s\\S+){0,2} (?:sh|self ?harm|cutting)\\b',
  },
  {
    label: 'wrists',
    re: '\\bi (?:cut|sliced|slashed|burned|burnt|scratched|carved) (?:my|both) (?:arms?|legs?|thighs?|wrists?|skin|stomach|hips?)\\b(?!\\s(?:on (?:the|a)|while|cooking|at work|by accident|accidentally|shaving|in the kitchen))|\\b(?:burning|burned|burnt|burn|cutting) (?:my|myself|my own) ?(?:arms?|legs?|skin|wrists?|hands?|thighs?)? with (?:a|the) (?:lighter|cigarette|iron|match|matches|candle|razor|blade)\\b|\\b(?:wont|will not|cant|cannot|doesnt|does not) stop bleeding\\b|\\b(?:slit|slash|slashed|slashing|cut|cutting|cuts|sliced|slice) (?:my |open my |both )?wrists?\\b|\\bwrists? (?:are |is )?bleeding\\b',
  },
  // ── overdose ─────────────────────────────────────────────────────────────
  {
    label: 'overdose',
    re: '(?<!\\baccidental )\\bover ?dos(?:e|ed|ing)\\b|\\b(?:od|odd|oded|oding|od ed)\\s(?:on|last|again|tonight|today)\\b|\\bi (?:just |think i )?(?:od|oded|odd)\\b',
  },
  {
    label: 'took too many',
    re: `\\b(?:took|taken|take|swallowed|swallow|ate|had|drank|downed|necked|popped|took like|taking)\\s(?:like\\s|about\\s|around\\s|over\\s|maybe\\s|nearly\\s|almost\\s)?(?:too many|too much|way too many|way too much|all (?:of )?(?:my|the|them|these|those)|the whole|a whole|an entire|the entire|a bottle|the bottle|a box|a pack|the lot|loads of|a handful|handfuls|a load|my whole|my entire|the whole|a bunch of|a lot of|lots of|heaps of|a ton of|a heap of|\\d{2,})\\b(?:\\s\\S+){0,4}?\\s${PILLS}\\b`,
    veto: '\\b(?:for my|prescribed|review|doctor said|pharmacist)\\b(?!.*\\b(?:on purpose|to die|wont wake|not waking)\\b)',
  },
  {
    label: 'took them all',
    re: '\\b(?:took|swallowed|taken|take|taking|swallow) (?:them|it|all of them|the lot) all\\b|\\b(?:took|taken|swallowed) (?:all of )?(?:them|the lot|the whole lot)\\b(?=.*\\b(?:pills?|tablets?|meds)\\b)|\\b(?:took|taken) too much\\b|\\bswallowed (?:some |a lot of |lots of )?pills\\b',
  },
  {
    label: 'pills ready',
    re: '\\b(?:pills?|tablets?|meds) (?:all )?(?:lined up|laid out|counted out|ready to take)\\b|\\b(?:took|taken|swallowed) (?:all of )?my (?:whole |entire )?(?:prescription|supply|stash)\\b|\\b(?:got|have|bought|tied|made|hung|keep|kept|looking at) (?:a|the|some|my) (?:rope|noose)\\b(?!\\s(?:swing|ladder|light|course))|\\b(?:going to|gonna|about to|will|ill|want to|wanna) (?:take|swallow|down) (?:them|it|the lot)(?: all)?\\b(?=.*\\b(?:pills?|tablets?|meds|medication|paracetamol|insulin)\\b)|^(?=.*\\b(?:pills?|tablets?|meds|medication|paracetamol|insulin)\\b).*\\b(?:going to|gonna|about to) (?:take|swallow|down) (?:them|it|the lot)\\b|\\buse (?:it|them|a knife|the knife|a blade|the blade|the rope|a rope) on myself\\b|\\bbought (?:a |some |the )?(?:rope|noose|charcoal)\\b|\\b(?:pills?|tablets?|meds) in my hand\\b|\\b(?:stockpil\\w+|hoard\\w*|saved up|saving up|collecting) (?:all )?(?:my |the |up )?(?:pills?|tablets?|meds|medication)\\b|\\binject (?:it )?all\\b',
  },
  {
    label: 'poison',
    re: '\\b(?:drank|drink|drinking|swallowed|took|ate|take) (?:some )?(?:bleach|rat poison|poison|antifreeze|weed ?killer|pesticide|paraquat|detergent)\\b',
  },
  // ── violence at home ─────────────────────────────────────────────────────
  { label: 'he hits me', re: `\\b${SUBJ}\\b${gap(6)}\\s${VIOLENT}\\s${VICTIM}\\b${NOT_VIOLENCE_AFTER}` },
  {
    label: 'beats her',
    re: `\\b${SUBJ}\\b${gap(3)}\\s(?:beats?|beating|beaten|beat up|punch(?:es|ed|ing)?|strangl\\w+|chok(?:es|ed|ing)|rap(?:es|ed|ing)|stab(?:s|bed|bing)?|kick(?:s|ed|ing)?)\\s(?:her|him)\\b${NOT_VIOLENCE_AFTER}`,
  },
  {
    label: 'keeps hitting me',
    re: `\\b(?:keeps?|kept|is|was|been|are|were|started|always|often|still|constantly|keep on|be) (?:hitting|beating|punching|kicking|slapping|choking|strangling|abusing|attacking|raping|battering|threatening|molesting) (?:me|us)\\b(?!\\s(?:with|for) (?:fines?|charges?|bills?|fees?|costs?|letters?|emails?|calls?|questions?|forms?|demands?|rent|increases?|debts?|paperwork|work)\\b)`,
  },
  {
    label: 'I was beaten',
    re: '\\b(?:i|im|we|ive|weve|me)\\b(?:\\s\\S+){0,2}?\\s(?:was|were|got|get|gets|getting|been|being|am|im|are|keep getting)\\s(?:\\w+\\s)?(?:hit|beaten|beat up|punched|kicked|slapped|choked|strangled|attacked|assaulted|abused|raped|stabbed|threatened|molested|trafficked|battered|sexually \\w+|held against|held hostage|locked in|almost killed|nearly killed|forced to)\\b(?!(?:\\s(?:hard|badly|really hard|so hard))?\\s(?:by|with) (?:a|an|the|our|my|huge|big|massive|these|this)\\s(?:\\w+\\s){0,2}?(?:car|cars|bus|van|truck|lorry|bike|cap|tax|taxes|bill|bills|fine|fines|charge|charges|ball|price|prices|rise|rises|cut|cuts|sanction|storm|flu|virus|cold|costs?|rent)\\b)',
  },
  {
    label: 'violent partner',
    re: `\\b(?:${SUBJ}|hes|shes)\\b(?:\\s(?:is|was|gets|got|has been|can be|becomes|became|very|so|really|getting|always|being))*\\s(?:violent|abusive|aggressive and violent)\\b|\\babusive (?:relationship|marriage|partner|husband|boyfriend|wife|girlfriend|home|father|dad|ex)\\b|\\b(?:violent|abusive) (?:towards|to) (?:me|us)\\b`,
  },
  {
    label: 'domestic violence',
    re: '(?<!\\b(?:counts as|about|on|against|for) )\\b(?:domestic (?:violence|abuse)|family violence|intimate partner violence|battered (?:wife|woman|women)|dv)\\b(?!\\s(?:charity|charities|service|services|leaflets?|organisation|organization|team|training|course|awareness|policy|worker|workers|unit|refuge worker))|\\bvictim of (?:domestic|abuse|violence|rape|assault)',
  },
  {
    label: 'being abused',
    re: '\\b(?:being|been|am|im|was|getting) (?:sexually |physically |emotionally )?(?:abused|raped|molested|trafficked|beaten)\\b|\\b(?:he|she|they|someone|somebody|uncle|dad|father|stepdad|brother|cousin|man)\\b(?:\\s\\S+){0,3}?\\s(?:raped|sexually (?:assaulted|abused)|molested|groped|touches|touched) (?:me|my (?:daughter|son|kids|child))\\b',
  },
  {
    label: 'rape',
    re: '\\bforced (?:himself|herself|themselves) (?:on|onto|upon) (?:me|her|my)\\b|\\b(?:raped|rape me|forced me to have sex|forced (?:me )?into sex|forced to have sex|sexually (?:assaulted|abused|attacked))\\b',
  },
  {
    label: 'physical violence',
    re: '\\b(?:pinned|pins|pin) me (?:down|against|to)\\b|\\b(?:threw|throws|throwing|thrown) (?:a|the|his|her|their) \\w+ at (?:me|us)\\b',
  },
  {
    label: 'afraid of him',
    re: '\\b(?:terrified|scared|afraid|frightened) of (?:him|her|my (?:husband|partner|boyfriend|ex|dad|father|stepdad|son|wife|girlfriend))\\b(?!\\s(?:finding|knowing|seeing|being upset|getting))',
  },
  {
    label: 'strangled',
    re: '(?<!\\bi )\\b(?:slammed|smashed|bashed|threw|pushed|shoved|banged|rammed) my head (?:into|against|on|off|through)\\b|\\b(?:pillow|hands?|bag|plastic bag|cushion) over my (?:face|mouth|head)\\b|\\bhands? (?:around|round|on|at) my (?:neck|throat)\\b|\\b(?:until|till|and) i passed out\\b',
  },
  {
    label: 'injuries',
    re: `\\b${SUBJ}\\b${gap(3)}\\s(?:broke|broken|fractured|cracked|split|busted) my (?:arm|nose|ribs?|jaw|wrist|leg|fingers?|hand|teeth|tooth|lip|head|eye|cheekbone)\\b|\\bbruises? (?:everywhere|all over)\\b|\\bbruis\\w*\\b(?:\\s\\S+){0,5}?\\s(?:from|by|because of|are from|is from) (?:him|her|them|my (?:husband|partner|boyfriend|bf|wife|girlfriend|dad|father|mum|mom|son|ex|stepdad))\\b|\\bleaves? (?:me with )?bruises\\b|\\b${SUBJ}\\b${gap(2)}\\s(?:hit|banged|smashed|slammed|bashed) my head\\b|\\btwist\\w* my (?:arm|wrist|neck|fingers?) (?:until|till|behind|so hard)\\b`,
  },
  { label: 'forced marriage', re: '\\bforc(?:e|es|ed|ing) (?:me |us |my daughter )?(?:to|into) (?:marry|marriage|get married)\\b|\\bforced marriage\\b' },
  {
    label: 'held captive',
    re: '\\b(?:wont|will not|doesnt|does not|dont|do not|didnt|never) let me (?:leave|go out|go outside|out|go)\\b|\\bagainst my will\\b|\\block(?:s|ed|ing)? me (?:in|inside|up|out of the house)\\b|\\btraffick\\w*|\\bmake me work (?:for free|without pay)\\b',
  },
  // ── threats ──────────────────────────────────────────────────────────────
  {
    label: 'will kill me',
    re: `\\b${SUBJ}\\b${gap(5)}\\s(?:kill|kills|killing|murder|murders|stab|shoot|end|poison|drown|strangle|suffocate|smother)\\s(?:me|us|my (?:kids|children|baby|family|son|daughter|mum|mom)|the (?:kids|children|baby)|everyone|all of us)\\b`,
    veto: `${LAUGH}|${TRIVIAL_IF}|\\bkilling me\\b(?!.*\\bkill)`,
  },
  {
    label: 'threatened to kill',
    re: '\\bthreat\\w*\\s(?:to|that (?:he|she|they) (?:will|would|d|ll))\\s(?:\\S+\\s){0,5}?(?:kill|hurt|harm|stab|shoot|burn|beat|attack|murder|strangle|punch|hit|throw acid|disfigure)\\b|\\bthreat\\w*\\s(?:me|us)\\s(?:with|again|every|all)\\b|\\b(?:keeps?|is|been|always|was) threatening (?:me|us)\\b|\\bthreatened (?:me|us)\\b|\\bdeath threats?\\b',
  },
  { label: 'acid', re: '\\b(?:throw|throwing|threw|pour|pouring) acid\\b|\\bacid (?:in|on|at) (?:my|her|his|our) face\\b' },
  {
    label: 'wants me dead',
    re: `\\bwants? (?:me|us) dead\\b|\\b(?:tried|trying|try|tries) to (?:run (?:me|us) over|kill (?:me|us)|strangle (?:me|us)|drown (?:me|us)|poison (?:me|us))\\b|\\b${SUBJ}\\b${gap(3)}\\s(?:nearly|almost) kill(?:ed)? (?:me|us)\\b`,
  },
  {
    label: 'weapon',
    re: `\\b(?:${SUBJ}|theres (?:a|some) (?:man|guy|person|someone)|someone|somebody)\\b(?:\\s\\S+){0,4}?\\s(?:has|got|with|pulled|holding|waving|grabbed|took out|brought|carrying)\\s(?:a|the|his|her|out a)\\s(?:\\w+ )?(?:knife|gun|weapon|machete|axe|hammer|blade|bat|pistol|rifle|crowbar|shotgun)\\b|\\b(?:knife|gun|blade) (?:on|at|to) (?:me|us|my)\\b|\\bpull(?:ed|s)? a (?:knife|gun)\\b|\\bthreaten\\w* (?:me|us) with a\\b`,
  },
  {
    label: 'kill him',
    re: '\\b(?:going to|gonna|gona|want to|wanna|will|ill|could|might|about to) (?:kill|hurt|stab|murder|attack) (?:him|her|them|someone|somebody|everyone|my (?:husband|wife|partner|ex|dad|mum))\\b',
    veto: LAUGH,
  },
  {
    label: 'hurt my baby',
    re: '\\b(?:ill|i will|i might|i could|might|going to|gonna|like|want to|wanna|scared i|afraid i|worried i|urge to) (?:hurt|harm|hit|kill|hurting|harming|hitting|killing|shake|shaking|smother|smothering) (?:my |the )?(?:baby|babies|kids|kid|children|child|son|daughter|someone|somebody)\\b|\\bi (?:hit|hurt|beat|slapped|smacked|shook) (?:my|the) (?:child|baby|kid|son|daughter|children|kids)\\b',
    veto: `${LAUGH}|${TRIVIAL_IF}`,
  },
  {
    label: 'stalking',
    re: '\\b(?:stalking|stalks|stalked) (?:me|us)\\b|\\b(?:is|keeps|been|hes|shes|always) following me\\b(?!\\s(?:on|around the (?:shop|house)))|\\b(?:broke|breaking|broken|breached|breaching|violated|violating|ignored|ignoring) (?:the |his |her |a |my )?(?:restraining|protection|non ?molestation|court|injunction) order\\b|\\bnot allowed (?:to be )?(?:near|here|there|within)\\b|\\b(?:hes|shes|he is|she is) not allowed\\b',
  },
  {
    label: 'break in',
    re: '\\b(?:break|breaking|broke|kick|kicking|kicked|bang|banging|smash|smashing) (?:the |my |our )?(?:door|window)s? (?:down|in)\\b|\\b(?:trying|tried|try) to (?:break|get) in\\b|\\bbreaking in\\b|\\bsmashing (?:things|everything|the|my)\\b|\\bsmashed my phone\\b|\\b(?:im|i am|we are|were) hiding(?=\\s(?:in|from|at|under|behind|with|now|upstairs|because)\\b|$)|\\bhiding (?:in|from) (?:the|my|him|her|them)\\b',
  },
  // ── danger now ───────────────────────────────────────────────────────────
  {
    label: 'not safe at home',
    re: '\\b(?:not|never|isnt|arent|dont feel|do not feel|no longer) (?:safe|secure)\\s(?:at home|for me|here|right now|now|to go (?:back )?home|with (?:him|her|them)|in my (?:own )?(?:home|house|flat))\\b|\\bunsafe (?:at home|here|for me)\\b|\\b(?:im|i am|i m|we are|were|kids are|children are|me and my kids are) not safe\\b(?!\\s(?:in (?:this|the) (?:neighbourhood|area|building|street)))|^(?:im |i am |i m |i dont feel |i do not feel )?not safe$|\\bi (?:dont|do not|never) feel safe$',
  },
  {
    label: 'afraid to go home',
    re: '\\b(?:scared|afraid|frightened|terrified|too scared|too afraid|cant|cannot|can not|dare not|dont dare) (?:to |of )?(?:go|going|be|being|stay|staying) (?:back )?(?:home|at home|in the house)\\b(?!\\s(?:alone at night|because of the (?:damp|mould|rats)))',
  },
  {
    label: 'in danger',
    re: '\\b(?:im|i am|i m|we are|were|me and my \\w+ are|my (?:life|kids|children|baby|family) (?:is|are)|our lives are)\\s(?:(?!not\\b)\\w+\\s)?in danger\\b(?!\\sof (?!(?:my life|our lives|being (?:killed|hurt|attacked|beaten|raped)|him|her|them)\\b))|\\bin (?:immediate|serious|real) danger\\b',
  },
  {
    label: 'fear for my life',
    re: '\\b(?:scared|afraid|fear|fearing|frightened|terrified|worried|fearful) for (?:my|our|the) (?:\\w+ )?(?:life|lives|safety)\\b|\\bfear for my life\\b',
  },
  {
    label: 'help me',
    re: '\\bhelp\\b(?:\\s\\S+){0,3}?\\s(?:hes|he is|shes|she is|theyre) (?:back|here|outside|coming|drunk|at the door)\\b|\\bhelp me\\b(?:\\s\\S+){0,3}?\\s(?:im|i am) (?:so |really |very )?(?:scared|terrified|frightened)\\b|^(?:(?:please|pls|plz|pleas|someone|somebody|sos) )+help(?: me)?(?: please| pls| plz| now| asap| sos| someone)*$|^help me(?: please| pls| plz| now| asap| sos| someone)*$|^sos$|^(?:please |pls |plz )?(?:someone |somebody )help me\\b',
  },
  { label: 'call the police', re: '\\b(?:please|pls|plz|someone|somebody) call (?:the )?(?:police|cops|999|911|112|an ambulance|ambulance)\\b' },
  {
    label: 'injured now',
    re: '\\b(?:im|i am|she is|shes|he is|hes|baby is|i keep) (?:\\w+ ){0,2}(?:bleeding|bleeding badly|unconscious)\\b|\\b(?:cant|cannot|can not) breathe\\b|\\b(?:isnt|is not|not|stopped|stop) breathing\\b|\\b(?:wont|will not|cant|doesnt) wake (?:up|her|him)\\b|\\bpassed out\\b',
  },
];
