package ingest

import (
	"strings"

	"github.com/polgraph/polgraph/graph/names"
	"github.com/polgraph/polgraph/ingest/segment"
)

// The word lists the rules use. Entries are written as they appear in text
// and compiled to graph/names keys, so "الفريق أول ركن" and "Lt. Gen." match
// however they are spelt or vowelled. Lists hold general vocabulary of
// news reports, never names of particular people or places: those belong
// in the gazetteer.

// keysOf compiles a phrase to its match keys.
func keysOf(s string) []string { return names.Tokens(segment.KeyText(s)) }

// lexicon numbers the word sets as classes, so that every token of an
// article knows the sets its forms are in from the moment it is cut.
var lexicon = segment.NewLexicon()

// set compiles single words to a key set.
func set(words ...string) *segment.Class {
	var keys []string
	for _, w := range words {
		keys = append(keys, keysOf(w)...)
	}
	return lexicon.Class(keys...)
}

// phrase is a compiled multi-word expression with the value it stands for.
type phrase struct {
	keys  []string
	value string
}

func phrases(value string, texts ...string) []phrase {
	var out []phrase
	for _, t := range texts {
		out = append(out, phrase{keys: keysOf(t), value: value})
	}
	return out
}

// phraseList is a list of phrases indexed by the key of their first word,
// so that matching at a token looks only at the phrases that can start
// there (extraction asks at every token of every sentence), and a token
// none can start at costs one bit test.
type phraseList struct {
	phrases []phrase
	byFirst map[string][]int // first key → indexes in phrases
	first   *segment.Class   // the first keys
}

// concat indexes lists of phrases as one list, in order.
func concat(lists ...[]phrase) *phraseList {
	l := &phraseList{byFirst: map[string][]int{}}
	var firsts []string
	for _, ps := range lists {
		for _, p := range ps {
			if len(p.keys) > 0 {
				l.byFirst[p.keys[0]] = append(l.byFirst[p.keys[0]], len(l.phrases))
				firsts = append(firsts, p.keys[0])
			}
			l.phrases = append(l.phrases, p)
		}
	}
	l.first = lexicon.Class(firsts...)
	return l
}

// phraseAt matches keys at token i and returns the index after the match.
// The first word may carry proclitics (و ف ب ل ك); transparent punctuation
// between words is skipped; breaking punctuation ends the attempt.
func phraseAt(toks []segment.Token, i int, keys []string) (int, bool) {
	if len(keys) == 0 || i >= len(toks) || toks[i].Punct || toks[i].Key == "" {
		return 0, false
	}
	ok := false
	for _, f := range toks[i].Forms() {
		if f == keys[0] {
			ok = true
			break
		}
	}
	if !ok {
		return 0, false
	}
	j := i + 1
	for _, k := range keys[1:] {
		for j < len(toks) && (toks[j].Transparent() || (!toks[j].Punct && toks[j].Key == "")) {
			j++
		}
		if j >= len(toks) || toks[j].Key != k {
			return 0, false
		}
		j++
	}
	return j, true
}

// longestAt returns the longest of the phrases matching at token i: one of
// the list's, not a copy, or a zero one.
func longestAt(toks []segment.Token, i int, list *phraseList) (*phrase, int, bool) {
	// Rules ask at every token, and few start a phrase: those are turned
	// away before a match's frame is set up. Punctuation and words without
	// a key have no forms, so none in list.first.
	if i >= len(toks) || !toks[i].HasForm(list.first) {
		return &noPhrase, 0, false
	}
	return list.longestFrom(toks, i)
}

// noPhrase is what longestAt finds where no phrase is.
var noPhrase phrase

// longestFrom is longestAt for a token whose forms start a phrase.
func (list *phraseList) longestFrom(toks []segment.Token, i int) (*phrase, int, bool) {
	best, bestEnd := &noPhrase, 0
	bestN := len(list.phrases)
	for _, f := range toks[i].Forms() {
		for _, n := range list.byFirst[f] {
			// Ties go to the earlier phrase of the list, as in a scan.
			if end, ok := phraseAt(toks, i, list.phrases[n].keys); ok && (end > bestEnd || end == bestEnd && n < bestN) {
				best, bestEnd, bestN = &list.phrases[n], end, n
			}
		}
	}
	return best, bestEnd, bestEnd > 0
}

// titles are ranks and honorifics written before a name, with the English
// form stored as the person's title. An Arabic title must carry the article
// ("الفريق", not "فريق" = team). الفريق أول ركن is rendered "Lt. Gen.",
// following Libyan wire-service English.
var titles = concat(
	phrases("Lt. Gen.", "الفريق أول ركن", "الفريق أول", "الفريق ركن", "الفريق", "Lt. Gen.", "Lt Gen", "Lieutenant General", "Lieutenant-General"),
	phrases("Maj. Gen.", "اللواء ركن", "اللواء", "Maj. Gen.", "Maj Gen", "Major General", "Major-General"),
	phrases("Brig. Gen.", "العميد ركن", "العميد", "Brig. Gen.", "Brigadier General", "Brigadier-General"),
	phrases("Col.", "العقيد ركن", "العقيد", "Col.", "Colonel"),
	phrases("Lt. Col.", "المقدم", "Lt. Col.", "Lieutenant Colonel"),
	phrases("Maj.", "الرائد", "Maj.", "Major"),
	phrases("Capt.", "النقيب", "Capt.", "Captain"),
	phrases("Field Marshal", "المشير", "Field Marshal", "Marshal"),
	phrases("Gen.", "Gen.", "General"),
	phrases("Counsellor", "المستشار", "Counsellor", "Counselor"),
	phrases("Dr.", "الدكتور", "الدكتورة", "Dr."),
	phrases("Sheikh", "الشيخ", "Sheikh"),
	phrases("", "السيد", "السيدة", "Mr.", "Mrs.", "Ms."),
)

// position is a post held in an organisation, written before it: "مدير
// إدارة …", "director of …". member positions give MEMBER_OF, not
// HOLDS_POSITION. head positions ("رئيس", "head of") take the
// organisation's own head title from the gazetteer when it has one
// ("speaker" of the House of Representatives).
type position struct {
	keys    []string
	title   string
	member  bool
	head    bool
	filler  bool // a portfolio may stand between post and organisation: "وزير الخارجية بحكومة …"
	english bool
	// body is the gazetteer id of the organisation the post's own words
	// name: «المبعوث الأممي» is the UN's envoy.
	body string
}

var positions = func() []position {
	var out []position
	add := func(title string, flags string, texts ...string) {
		for _, t := range texts {
			p := position{keys: keysOf(t), title: title, member: strings.Contains(flags, "m"),
				head: strings.Contains(flags, "h"), filler: strings.Contains(flags, "f")}
			if strings.Contains(flags, "u") {
				p.body = "org/un"
			}
			p.english = !strings.ContainsFunc(t, func(r rune) bool { return names.IsArabicLetter(r) })
			out = append(out, p)
		}
	}
	add("chief of staff", "", "رئيس أركان", "رئيس هيئة أركان", "رئيس الأركان", "chief of staff", "chief of the general staff")
	add("commander-in-chief", "", "القائد العام", "القائد الأعلى", "commander-in-chief", "commander in chief")
	add("deputy commander-in-chief", "", "نائب القائد العام", "deputy commander-in-chief")
	add("deputy head", "", "نائب رئيس", "deputy head", "vice president", "vice-president", "deputy chairman")
	add("director general", "", "مدير عام", "المدير العام", "director general", "director-general")
	add("director", "", "مدير", "director")
	add("head", "h", "رئيس", "head", "president", "chairman", "chair", "leader")
	add("prime minister", "", "prime minister")
	add("speaker", "", "speaker")
	add("minister", "f", "وزير", "minister")
	add("deputy", "", "نائب", "deputy")
	add("governor", "", "محافظ", "governor")
	add("commander", "", "قائد", "آمر", "commander")
	add("spokesman", "", "المتحدث باسم", "المتحدث الرسمي باسم", "الناطق باسم", "الناطق الرسمي باسم", "spokesman", "spokesperson", "spokeswoman")
	add("adviser", "", "مستشار", "adviser", "advisor")
	add("secretary general", "", "الأمين العام", "أمين عام", "secretary-general", "secretary general")
	add("envoy", "f", "مبعوث", "envoy")
	add("ambassador", "f", "سفير", "ambassador")
	add("member", "m", "عضو", "member")
	// Feminine and accusative forms ("رئيسة البعثة", "ناجي عيسى محافظا
	// للمصرف") and representatives.
	add("head", "h", "رئيسة", "رئيسا")
	add("governor", "", "محافظا")
	add("deputy", "", "نائبة", "نائبا")
	add("director", "", "مديرة", "مديرا")
	add("minister", "f", "وزيرة", "وزيرا")
	add("commander", "", "قائدا", "آمرا")
	add("adviser", "", "مستشارة", "مستشارا")
	add("envoy", "f", "مبعوثة", "special envoy", "special representative")
	add("envoy", "fu", "المبعوث الأممي", "المبعوثة الأممية", "المبعوث الأممي الخاص", "المبعوثة الأممية الخاصة")
	add("representative", "", "ممثل", "ممثلة", "الممثل الخاص", "الممثلة الخاصة", "representative")
	add("foreign minister", "", "foreign minister")
	return out
}()

// positionsByFirst indexes positions by the key of their first word;
// positionFirst is the class of those keys.
var (
	positionsByFirst = func() map[string][]int {
		ix := map[string][]int{}
		for n, p := range positions {
			ix[p.keys[0]] = append(ix[p.keys[0]], n)
		}
		return ix
	}()
	positionFirst = func() *segment.Class {
		var firsts []string
		for _, p := range positions {
			firsts = append(firsts, p.keys[0])
		}
		return lexicon.Class(firsts...)
	}()
)

// positionAt returns the longest position phrase at token i: one of
// positions, not a copy (rules ask at most tokens), or a zero one.
func positionAt(toks []segment.Token, i int) (*position, int, bool) {
	if i >= len(toks) || !toks[i].HasForm(positionFirst) { // as in longestAt
		return &noPosition, 0, false
	}
	return positionFrom(toks, i)
}

// noPosition is what positionAt finds where no position is.
var noPosition position

// positionFrom is positionAt for a token whose forms start a position.
func positionFrom(toks []segment.Token, i int) (*position, int, bool) {
	best := &noPosition
	bestEnd := 0
	bestN := len(positions)
	for _, f := range toks[i].Forms() {
		for _, n := range positionsByFirst[f] {
			if end, ok := phraseAt(toks, i, positions[n].keys); ok && (end > bestEnd || end == bestEnd && n < bestN) {
				best, bestEnd, bestN = &positions[n], end, n
			}
		}
	}
	return best, bestEnd, bestEnd > 0
}

// headedBy introduces the head of the organisation named just before:
// "مجلس النواب … برئاسة عقيلة صالح", "a militia commanded by Mahmoud Hamza".
var headedBy = concat(
	phrases("head", "برئاسة", "headed by", "chaired by", "led by", "presided over by", "under"),
	phrases("commander", "بقيادة", "commanded by"),
)

// affiliationCues join an organisation to the body it belongs to ("member")
// or the place it is based in ("based").
var affiliationCues = concat(
	phrases("member", "التابع", "التابعة", "التابعين", "التابعتين", "التابعون", "affiliated with", "affiliated to", "attached to", "part of", "loyal to"),
	phrases("based", "based in", "headquartered in", "ومقره", "ومقرها", "مقره", "مقرها", "ومقره في", "ومقرها في", "مقرها في", "مقره في"),
)

// insideWords place an event inside a site: "داخل معسكر التكبالي".
var insideWords = set("داخل", "بداخل", "قرب", "بمقر")

// postQualifiers may stand between a post's organisation and its holder:
// "رئيس جهاز دعم الاستقرار التابع للمجلس الرئاسي، X", "المبعوث الأممي
// الخاص إلى ليبيا، X", "special representative for Libya, X".
var postQualifiers = set("التابع", "التابعة", "الخاص", "الخاصة", "إلى", "الى", "في", "لدى", "to", "for", "in", "of", "at")

// addressVerbs take whom they address as object ("told the council");
// sendVerbs send a letter or message to someone ("sent a letter to X").
var (
	addressVerbs = set("told", "warned", "urged", "asked", "informed", "briefed")
	sendVerbs    = set("wrote", "sent", "addressed", "بعث", "بعثت", "وجه", "وجهت", "أرسل", "أرسلت", "كتب")
)

// controlVerbs: an organisation holding ground ("which controls Abu
// Salim"); relativeWords introduce the clause.
var (
	controlVerbs  = set("controls", "control", "controlling", "holds", "يسيطر", "تسيطر")
	relativeWords = set("which", "that", "who", "الذي", "التي")
)

// hitVerbs take the place an event struck as object: "clashes rocked the
// capital".
var hitVerbs = set("rocked", "hit", "shook", "struck", "engulfed", "هزت", "ضربت")

// mediationNouns: "الوساطة التركية", "Turkish mediation".
var mediationNouns = set("وساطة", "mediation")

// designations introduce the post a person is named to: "X as governor
// of Y", "X لمنصب محافظ Y"; postAdjectives may stand before the post.
var (
	designations   = set("as", "لمنصب", "منصب", "بمنصب")
	postAdjectives = set("new", "former", "acting", "interim", "then", "current", "ousted", "sacked",
		"السابق", "السابقة", "الجديد", "الجديدة", "المكلف", "المكلفة", "الحالي", "الحالية", "المقال", "جديد", "جديدا", "جديدة")
	// namely introduces the holder after a post: "محافظ جديد للمصرف
	// المركزي وهو ناجي عيسى".
	namely = set("وهو", "وهي", "هو", "هي", "namely")
)

// connectors may stand between an English post and its organisation.
var connectors = set("of", "for", "to", "at", "in", "with", "the")

// speechVerbs introduce statements; denyVerbs introduce denials.
var speechVerbs = set(
	"قال", "قالت", "قالوا", "يقول", "تقول", "أكد", "أكدت", "أكدا", "أكدوا", "يؤكد", "تؤكد",
	"شدد", "شددت", "شددوا", "يشدد", "أعلن", "أعلنت", "أعلنوا", "يعلن", "أوضح", "أوضحت", "أوضحوا", "يوضح",
	"وصف", "وصفت", "وصفوا", "أعرب", "أعربت", "أعربوا", "يعرب", "صرح", "صرحت", "صرحوا", "يصرح",
	"أضاف", "أضافت", "أفاد", "أفادت", "أشار", "أشارت", "حذر", "حذرت", "دعا", "دعت",
	"أدان", "أدانت", "أدانوا", "رحب", "رحبت", "رحبوا", "طالب", "طالبت", "طالبوا", "حمل", "حملت", "اتهم", "اتهمت", "كشف", "كشفت",
	"said", "says", "stated", "stressed", "stresses", "announced", "announces", "affirmed", "emphasized",
	"condemned", "denounced", "welcomed", "wrote", "requested", "demanded", "accused", "blamed", "called",
	"saying", "adding", "stressing", "affirming", "noting", "مؤكدا", "مشيرا", "مضيفا", "موضحا",
	"emphasised", "added", "told", "declared", "confirmed", "noted", "warned", "explained", "expressed",
	"described", "reiterated", "indicated", "urged",
)

// issueVerbs make a statement with a statement noun: "issued a statement",
// «أصدر بيانا».
var (
	issueVerbs     = set("issued", "released", "published", "أصدر", "أصدرت", "أصدروا", "نشر", "نشرت")
	statementNouns = set("statement", "communiqué", "communique", "بيان", "بيانا", "بلاغ", "letter", "message", "رسالة", "خطاب", "خطابا")
)

var denyVerbs = set("نفى", "نفت", "نفوا", "ينفي", "تنفي", "رفض", "رفضت", "رفضا", "رفضوا", "يرفض", "ترفض",
	"denied", "denies", "rejected", "rejects", "refuted", "denying", "rejecting", "نافيا", "رافضا")

// Event vocabulary. Nouns name an event; verbs both name it and take its
// participants as subject (and object).
var (
	agreementNouns = set("اتفاق", "اتفاقا", "اتفاقية", "تفاهم", "agreement", "accord", "deal", "pact")
	agreeVerbs     = set("اتفق", "اتفقت", "اتفقا", "اتفقوا", "يتفق", "تتفق", "agreed", "agree", "agrees")
	reachVerbs     = set("توصل", "توصلت", "توصلا", "توصلوا", "يتوصل", "وقع", "وقعت", "وقعا", "وقعوا", "أبرم", "أبرمت",
		"reached", "reach", "reaches", "signed", "sign", "struck", "concluded", "clinched")
	meetingNouns = set("اجتماع", "اجتماعا", "اجتماعات", "لقاء", "لقاءا", "لقاءات", "محادثات", "مباحثات", "مفاوضات", "meeting", "meetings", "talks", "negotiations")
	// includeVerbs after an event noun list its participants: "اجتماعا
	// ضم X و Y", "a meeting that brought together X and Y".
	includeVerbs = set("ضم", "ضمت", "يضم", "تضم", "جمع", "جمعت", "يجمع", "تجمع", "gathered", "included")
	// venueVerbs take a place as subject and an event as object: "شهدت
	// مدينة سرت اجتماعا", "Sirte hosted a meeting".
	venueVerbs = set("شهدت", "شهد", "تشهد", "احتضنت", "احتضن", "استضافت", "استضاف", "hosted", "witnessed")
	// sides name the parties of the event under discussion: "اتفق الطرفان".
	sides     = concat(phrases("sides", "الطرفان", "الطرفين", "الجانبان", "الجانبين", "the two sides", "both sides", "the two parties", "both parties", "the parties"))
	meetVerbs = set("التقى", "التقت", "التقيا", "التقوا", "يلتقي", "تلتقي", "اجتمع", "اجتمعت", "اجتمعا", "اجتمعوا", "يجتمع",
		"met", "meets", "meet")
	hostVerbs = set("استقبل", "استقبلت", "يستقبل", "received", "receives", "hosted", "hosts")
	joinVerbs = set("شارك", "شاركت", "شاركوا", "يشارك", "تشارك", "حضر", "حضرت", "حضره", "حضروا", "يحضر",
		"participated", "attended", "joined", "invited")
	attendVerbs = set("حضر", "حضرت", "حضره", "حضروا", "يحضر", "attended", "invited")
	holdVerbs   = set("عقد", "عقدت", "عقدا", "عقدوا", "يعقد", "تعقد", "held", "holds", "hold", "convened")
	determiners = set("هذا", "هذه", "ذلك", "تلك", "this", "that", "the")
	between     = set("بين", "between")
	withWords   = set("مع", "with")
	delegation  = set("وفد", "وفدا", "delegation")
	// premises stand for the body that occupies them: "stormed the
	// headquarters of the central bank", «اقتحام مقر المصرف».
	premises = set("headquarters", "hq", "offices", "office", "premises", "building", "compound",
		"مقر", "مقرات", "مبنى", "مكاتب")
)

// attendance cues give participants of the event in the sentence; mediation
// cues give mediators.
var (
	attendance = concat(phrases("attendee", "بمشاركة", "بحضور", "with the participation of", "in the presence of", "attended by"))
	mediation  = concat(phrases("mediator", "برعاية", "بوساطة", "بتسهيل من", "تحت رعاية", "under the auspices of", "facilitated by", "mediated by", "brokered by", "sponsored by",
		"تبنتها", "تبناها", "رعتها", "رعاها", "ترعاها", "يرعاها")) // «اجتماعات تبنتها البعثة الأممية»
)

// partyStops end the list of parties after "بين"/"between".
var partyStops = set("على", "بشأن", "حول", "بهدف", "لأجل", "يقضي", "ينص", "تحت", "برعاية", "بوساطة", "بتسهيل",
	"بحضور", "بمشاركة", "خلال", "بعد", "منذ", "الذي", "التي", "on", "to", "over", "for", "that", "which",
	"under", "after", "aimed", "following", "brokered", "mediated", "facilitated", "by", "during", "who")

// topics maps phrases to event topics. Stored on events: do not rename the
// values.
var topics = concat(
	phrases("counter_terrorism", "مكافحة الإرهاب", "محاربة الإرهاب", "مواجهة الإرهاب", "التصدي للإرهاب", "الإرهاب",
		"counter-terrorism", "counterterrorism", "counter terrorism", "terrorism"),
	phrases("illegal_migration", "الهجرة غير الشرعية", "الهجرة غير النظامية", "الهجرة غير القانونية",
		"illegal migration", "irregular migration", "illegal immigration"),
	phrases("media_deescalation", "التصعيد الإعلامي", "التحريض الإعلامي", "الخطاب الإعلامي",
		"media escalation", "media de-escalation", "media incitement", "media rhetoric"),
	phrases("ceasefire", "وقف إطلاق النار", "ceasefire", "cease-fire"),
	phrases("military_unification", "توحيد المؤسسة العسكرية", "توحيد المؤسسات العسكرية", "unification of the military",
		"unify the military", "unifying the military", "military unification"),
	phrases("elections", "الانتخابات", "elections"),
)

// wordMap maps word keys to values (a group noun to its class, a head noun
// to its English), with the class of its keys: a token with none of them
// is turned away by one bit test.
type wordMap struct {
	class  *segment.Class
	values map[string]string
}

func newWordMap(values map[string]string) wordMap {
	var keys []string
	for k := range values {
		keys = append(keys, k)
	}
	return wordMap{class: lexicon.Class(keys...), values: values}
}

// byValue compiles lists of words standing for the same value.
func byValue(lists map[string][]string) map[string]string {
	m := map[string]string{}
	for v, ws := range lists {
		for _, w := range ws {
			for _, k := range keysOf(w) {
				m[k] = v
			}
		}
	}
	return m
}

// Groups: collective actors named by a noun and a place ("قيادات أمنية
// وعسكرية في مدينة مصراتة").
var groupNouns = newWordMap(byValue(map[string][]string{
	"leaders":  {"قيادات", "قادة", "leaders", "commanders"},
	"notables": {"أعيان", "وجهاء", "notables", "dignitaries"},
	"sheikhs":  {"مشايخ", "شيوخ", "sheikhs"},
	"elders":   {"حكماء", "elders"},
}))

// adjectiveOrder is the order adjectives take in group names and keys, so
// "military and security leaders" and "security and military leaders" are
// one group.
var adjectiveOrder = []string{"security", "military", "political", "social", "tribal", "civil", "local"}

var groupAdjectives = newWordMap(byValue(map[string][]string{
	"security":  {"أمنية", "أمني", "أمنيون", "أمنيين", "security"},
	"military":  {"عسكرية", "عسكري", "عسكريون", "عسكريين", "military"},
	"political": {"سياسية", "سياسي", "سياسيون", "سياسيين", "political"},
	"social":    {"اجتماعية", "اجتماعيون", "اجتماعيين", "social", "community"},
	"tribal":    {"قبلية", "قبليون", "قبليين", "tribal"},
	"civil":     {"مدنية", "مدنيون", "مدنيين", "civil", "civilian"},
	"local":     {"محلية", "محليون", "محليين", "local"},
}))

var (
	// groupPreps join a group noun to its place. English "in" is left out:
	// "met commanders in Sirte" names where they met, not who they are.
	groupPreps  = set("في", "من", "of", "from")
	cityWords   = set("مدينة", "بلدية", "city", "town")
	andWords    = set("و", "and")
	theWords    = set("the")
	capitalWord = set("العاصمة", "capital")
)

// Organisations recognised by their head noun: "إدارة …", "وزارة …",
// "… Brigade". The value is the English head noun of the display name.
var orgHeadsAr = func() wordMap {
	m := map[string]string{}
	for w, en := range map[string]string{
		"إدارة": "Department", "دائرة": "Department", "مديرية": "Directorate", "جهاز": "Apparatus",
		"وزارة": "Ministry", "كتيبة": "Battalion", "لواء": "Brigade", "هيئة": "Authority", "مجلس": "Council",
		"غرفة": "Room", "لجنة": "Committee",
	} {
		m[keysOf(w)[0]] = en
	}
	return newWordMap(m)
}()

var orgHeadsEn = func() map[string]string {
	m := map[string]string{}
	for _, w := range []string{"Ministry", "Department", "Directorate", "Council", "Authority", "Agency",
		"Commission", "Committee", "Brigade", "Battalion", "Apparatus", "Force", "Forces", "Corporation", "Company"} {
		m[keysOf(w)[0]] = w
	}
	return m
}()

// orgWords translates words common in Arabic organisation names for display
// names ("إدارة التوجيه المعنوي" → "Department of Moral Guidance"). Words
// not listed are transliterated.
var orgWords = map[string]string{}

func init() {
	for w, en := range map[string]string{
		"الداخلية": "Interior", "الدفاع": "Defence", "العدل": "Justice", "الخارجية": "Foreign Affairs",
		"المالية": "Finance", "الصحة": "Health", "النفط": "Oil", "الأمن": "Security", "العام": "General",
		"العامة": "General", "الوطني": "National", "الوطنية": "National", "المطار": "Airport",
		"التوجيه": "Guidance", "المعنوي": "Moral", "الأركان": "Staff", "العمليات": "Operations",
		"المشتركة": "Joint", "العسكرية": "Military", "العسكري": "Military", "الإعلام": "Media",
		"الإعلامي": "Media", "الحرس": "Guard", "الرئاسي": "Presidential", "الحدود": "Border",
		"الهجرة": "Migration", "مكافحة": "Combating", "الجريمة": "Crime", "المنظمة": "Organised",
		"الإرهاب": "Terrorism", "الشرطة": "Police", "القضائية": "Judicial", "الاستخبارات": "Intelligence",
		"الخاصة": "Special", "الأمنية": "Security", "الترتيبات": "Arrangements", "الاستقرار": "Stability",
		"دعم": "Support", "الطوارئ": "Emergency", "الإسعاف": "Ambulance", "الانتخابات": "Elections",
		"المركزي": "Central", "التعليم": "Education", "الاقتصاد": "Economy", "المواصلات": "Transport",
		"الكهرباء": "Electricity", "الحكم": "Governance", "المحلي": "Local", "الشباب": "Youth",
		"الرياضة": "Sports", "الثقافة": "Culture", "الأوقاف": "Endowments", "الزراعة": "Agriculture",
		"التخطيط": "Planning", "العمل": "Labour", "الصناعة": "Industry", "الإدارة": "Administration",
		"الرقابة": "Oversight", "الإدارية": "Administrative", "المالية العليا": "Higher Finance",
		"العليا": "Higher", "التنفيذية": "Executive", "الليبية": "Libyan", "الليبي": "Libyan",
		"السجن": "Prison", "السجون": "Prisons", "الدعم": "Support", "المرور": "Traffic", "الجوازات": "Passports",
		"الجنسية": "Nationality", "الجمارك": "Customs", "البحرية": "Naval", "الجوية": "Air", "البرية": "Land",
		"القوات": "Forces", "المسلحة": "Armed", "التحقيقات": "Investigations", "البحث": "Investigation",
		"الجنائي": "Criminal", "الاتصال": "Liaison", "الخارجي": "External", "العلاقات": "Relations", "العسكريين": "Military", "الأمني": "Security",
		"أمن": "Security", "مطار": "Airport", "حماية": "Protection", "المنشآت": "Facilities",
	} {
		orgWords[strings.Join(keysOf(w), " ")] = en
	}
}

// nameStops end a name after a title: particles, prepositions, and the
// words that begin posts, verbs and other constructions.
var nameStops = set("في", "من", "إلى", "الى", "على", "عن", "مع", "بين", "حول", "ضد", "منذ", "خلال", "لدى", "عند",
	"بعد", "قبل", "أن", "إن", "أنه", "إنه", "الذي", "التي", "الذين", "قد", "لم", "لن", "كان", "كانت", "هو", "هي",
	"ذلك", "هذا", "هذه", "التابع", "التابعة", "اليوم", "أمس", "غدا", "حيث", "كما", "بأن", "بان", "عبر", "ضمن",
	"لا", "ما", "ليس", "داخل", "خارج", "أمام", "وراء", "فوق", "تحت", "جميع", "كل", "بعض", "غير",
	"the", "of", "and", "said", "in", "on", "at", "to", "for", "from", "with", "who", "has", "had", "was", "is")

// orgStops end an organisation's name after its head noun.
var orgStops = set("في", "من", "إلى", "الى", "على", "عن", "مع", "بين", "حول", "ضد", "منذ", "خلال", "لدى", "عند",
	"بعد", "قبل", "أن", "إن", "الذي", "التي", "الذين", "التابع", "التابعة", "التابعين", "اليوم", "أمس", "غدا",
	"حيث", "كما", "بأن", "عبر", "ضمن", "برئاسة", "بقيادة", "ومقرها", "بمدينة", "وذلك",
	"جديد", "جديدة", "مكون", "مكونة", "يضم", "تضم")

// jointForce: creating a joint force, and naming it again later.
var (
	createWords = set("تشكيل", "إنشاء", "تأسيس", "تكوين", "form", "forming", "formation", "establish",
		"establishing", "establishment", "create", "creating", "creation", "set", "setting")
	forceWords = set("قوة", "force")
	jointWords = set("مشتركة", "موحدة", "joint", "unified")
)

// surnameStops are words that look like a known surname but are usually
// something else ("لصالح" = in favour of).
var surnameStops = set("لصالح", "بصالح", "صالحة")
