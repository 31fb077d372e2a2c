package ingest

import (
	"cmp"
	"slices"
	"strings"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/names"
	"github.com/polgraph/polgraph/ingest/arabic"
	"github.com/polgraph/polgraph/ingest/gazetteer"
	"github.com/polgraph/polgraph/ingest/segment"
)

// Rule names. Stored with every piece of evidence: do not rename.
const (
	ruleGazetteer        = "gazetteer"             // a fact of the gazetteer
	ruleApposition       = "apposition_position"   // "X، مدير إدارة Y،" / "X, director of Y"
	ruleAppositionMember = "apposition_member"     // "X، عضو مجلس Y" / "X, a member of Y"
	rulePositionOrgName  = "position_org_person"   // "رئيس مجلس النواب عقيلة صالح"
	ruleOrgPositionName  = "org_position_person"   // "UNSMIL head Hanna Tetteh"
	ruleGroupPlace       = "group_place"           // "قيادات … في مدينة مصراتة" → BASED_IN
	ruleAgreementBetween = "agreement_between"     // "اتفاق بين A و B"
	ruleAgreementVerb    = "agreement_verb"        // "اتفق A و B على …", "A and B agreed"
	ruleAgreementReached = "agreement_reached"     // "توصل A و B إلى اتفاق", "A reached an agreement with B"
	ruleAgreementNamed   = "agreement_construct"   // headline "اتفاق A و B"
	ruleJointForce       = "agreement_joint_force" // "تشكيل قوة مشتركة" in a sentence about an agreement
	ruleMeetingBetween   = "meeting_between"       // "اجتماع بين A و B"
	ruleMeetingVerb      = "meeting_verb"          // "التقى A ب B", "A met B"
	ruleMeetingHost      = "meeting_host"          // "استقبل A B"
	ruleMeetingHeld      = "meeting_held"          // "عقد A اجتماعا"
	ruleMeetingSubject   = "meeting_subject"       // actors in a sentence whose subject is "هذا الاجتماع"
	ruleParticipants     = "participant_cue"       // "القادة المشاركون" → the latest meeting
	ruleAttendance       = "event_attendance"      // "بمشاركة X", "in the presence of X"
	ruleMediation        = "event_mediation"       // "برعاية X", "brokered by X"
	ruleLocation         = "event_location"        // "اجتماعا في مدينة سرت"
	ruleVenue            = "event_venue"           // "شهدت مدينة سرت اجتماعا"
	ruleSentencePlace    = "event_place_sentence"  // "Clashes … centered in Abu Salim": the nearest place the sentence sets things in
	ruleDateline         = "dateline"              // "TRIPOLI: …" for events no sentence placed
	ruleSides            = "event_sides"           // "اتفق الطرفان" → the parties of the meeting
	ruleIncluded         = "event_included"        // "اجتماعا ضم X و Y"
	ruleMeetingNamed     = "meeting_construct"     // headline "اجتماع A و B"
	ruleSpeaker          = "statement_speaker"     // "أكد X", "X said"
	ruleSpokeDuring      = "spoke_during"          // "X said during the session" → X spoke at the session
	ruleAddressedCouncil = "addressed_council"     // "X warned the Security Council" → X spoke at its session
	ruleSessionHost      = "session_host"          // the head of a council speaks at a session → the council's session
	ruleTalks            = "talks_behind"          // the talks between an agreement's sides: their mediators and sides are the agreement's
	ruleAbout            = "statement_about"       // "أكد X أن الاجتماع …"
	ruleEventBetween     = "event_between"         // "اشتباكات بين A و B"
	ruleEventVerb        = "event_verb"            // "زار X طرابلس", "X was killed by Y"
	ruleEventHeld        = "event_held"            // "عقد مجلس النواب جلسة"
	ruleEventNamed       = "event_construct"       // "مقتل X", "the killing of X"
	ruleDisputes         = "denial_disputes"       // "نفى X أن …" → DISPUTES the event or claim
	ruleDesignation      = "designation_position"  // "named X as governor of Y", "X لمنصب محافظ Y"
	ruleForces           = "forces_of"             // "قوات حفتر", "Haftar's forces" → the General Command
	ruleDecision         = "event_decision"        // "قرار المجلس الرئاسي … تكليف X", "replacing X"
	ruleAddressee        = "statement_addressee"   // "wrote to X", "told the Security Council"
	ruleChair            = "event_chair"           // "جلسته برئاسة عقيلة صالح"
	ruleAffiliation      = "affiliation"           // "جهاز … التابع للمجلس الرئاسي", "X based in Y"
	ruleHeadedBy         = "headed_by"             // "مجلس النواب … برئاسة عقيلة صالح", "a militia commanded by X"
	ruleKnownPost        = "position_affiliation"  // "Prime Minister X" → X's one organisation in the gazetteer
	ruleLeader           = "leads"                 // "al-Kabir, who led the central bank" → the body's head post
)

// mention is a span of a sentence that names an entity, as recognised and
// then resolved.
type mention struct {
	i, j      int // tokens of the name, [i, j)
	ext, last int // tokens of the whole construction (title, group phrase), [ext, last)
	tail      int // first token after the construction and any apposition after it
	skip      int // proclitic runes at the start of token i that are not part of the name
	start     int // rune span of the name in the document
	end       int
	kind      graph.Kind
	rule      string // how it was recognised
	entries   []*gazetteer.Entry
	title     string
	titleAr   string
	key       string // canonical key for entities outside the gazetteer
	name      string
	nameAr    string
	subtype   string
	group     *groupSpec
	inner     *mention // the place inside a group phrase
	full      bool     // a full name (two words or more), a coreference antecedent
	surname   bool     // one word that may refer back to a person
	nested    bool     // inside another mention
	appos     bool     // an organisation in apposition to a person ("X، مدير إدارة Y")
	cue       bool     // a participle such as "المشاركون" marks the group as participants
	ante      *entity  // a definite description: the organisation it refers to
	trim      int      // runes of the word after the name: "Tripoli" of "Tripoli-based"
	modifier  string   // the participle after the hyphen: "based"
	next      *mention // a second name read with this one («مجلسا النواب والدولة»)
	ent       *entity
}

type groupSpec struct {
	noun string
	adjs []string
}

func (x *extraction) span(s *segment.Sentence, m *mention) {
	m.start = s.Tokens[m.i].Start + m.skip
	m.end = s.Tokens[m.j-1].End - m.trim
	if m.tail < m.last {
		m.tail = m.last
	}
}

func isWord(t *segment.Token) bool { return !t.Punct && t.Key != "" }

// nextWord skips transparent punctuation and particles without a key.
func nextWord(toks []segment.Token, k int) int {
	for k < len(toks) && (toks[k].Transparent() || (!toks[k].Punct && toks[k].Key == "")) {
		k++
	}
	return k
}

// recognise finds the names in one sentence: titled people, groups,
// gazetteer names, organisation and city patterns, leftmost first. The
// list is in the scratch memory, good until the next sentence's.
func (x *extraction) recognise(s *segment.Sentence) []*mention {
	toks := s.Tokens
	out := x.scratch.recognised[:0]
	recognisers := [...]func(*segment.Sentence, int) *mention{x.dualCouncilsAt, x.forcesAt, x.titled, x.groupAt, x.gazetteerAt, x.orgPattern, x.cityPattern, x.hyphenAt}
	for i := 0; i < len(toks); {
		if !isWord(&toks[i]) {
			i++
			continue
		}
		var m *mention
		for _, f := range recognisers {
			if m = f(s, i); m != nil {
				break
			}
		}
		if m == nil {
			i++
			continue
		}
		x.span(s, m)
		out = append(out, m)
		if m.next != nil {
			x.span(s, m.next)
			out = append(out, m.next)
			i = max(m.next.last, i+1)
			continue
		}
		if m.inner != nil {
			x.span(s, m.inner)
			m.inner.nested = true
			out = append(out, m.inner)
		}
		i = max(m.last, i+1)
	}
	slices.SortStableFunc(out, byStart)
	x.scratch.recognised = out
	return out
}

// byStart orders mentions by where they start in the text.
func byStart(a, b *mention) int { return cmp.Compare(a.start, b.start) }

// gazetteerMatch is the gazetteer's longest name at token i of the
// sentence being recognised. Several recognisers ask at the same token, so
// answers are kept until another sentence's tokens come; the match is the
// kept one (not copied: read it, do not keep it), and only when ok.
func (x *extraction) gazetteerMatch(toks []segment.Token, i int) (*gazetteer.Match, bool) {
	memo := &x.scratch.gazetteer
	if len(memo.toks) != len(toks) || len(toks) > 0 && &memo.toks[0] != &toks[0] {
		memo.toks = toks
		memo.sentence++ // the answers kept are for other tokens
		if cap(memo.at) < len(toks) {
			memo.at = make([]gazetteerAnswer, len(toks))
		}
		memo.at = memo.at[:len(toks)]
	}
	if i >= len(toks) {
		return nil, false
	}
	a := &memo.at[i]
	if a.sentence != memo.sentence {
		a.m, a.ok, a.sentence = gazetteer.Match{}, false, memo.sentence
		if x.mayStartName(&toks[i]) {
			a.m, a.ok = x.p.gaz.Matcher().At(toks, i)
		}
	}
	return &a.m, a.ok
}

// mayStartName is false for words the matcher finds no name at: none of
// their forms is a name's first key, and they are no capitalised Latin
// words whose skeleton starts a name.
func (x *extraction) mayStartName(t *segment.Token) bool {
	return t.HasForm(x.p.nameStart) || !t.Arabic && t.Upper && t.KeyIn(x.p.looseStart)
}

// gazetteerMemo holds the gazetteer's answers for the tokens of one
// sentence. Answers are stamped with the sentence they were asked for
// rather than cleared for every sentence.
type gazetteerMemo struct {
	toks     []segment.Token
	at       []gazetteerAnswer
	sentence int // counts the sentences asked about
}

// reset forgets the answers: the tokens they were for are reused.
func (memo *gazetteerMemo) reset() { memo.toks = nil }

type gazetteerAnswer struct {
	m        gazetteer.Match
	ok       bool
	sentence int // the memo's sentence the answer is for
}

// gazetteerAt is a known name at token i.
func (x *extraction) gazetteerAt(s *segment.Sentence, i int) *mention {
	gm, ok := x.gazetteerMatch(s.Tokens, i)
	if !ok {
		return nil
	}
	if gm.Loose {
		// Skeletons forgive vowels: "Foreign Minister" is not the
		// "Foreign Ministry", a post is no organisation.
		for k := gm.Start; k < gm.End; k++ {
			if _, _, isPost := positionAt(s.Tokens, k); isPost && !s.Tokens[k].Arabic {
				return nil
			}
		}
	}
	e := gm.Entries[0]
	return x.newMention(mention{i: gm.Start, j: gm.End, ext: gm.Start, last: gm.End, skip: gm.Skip,
		kind: e.EntityKind(), rule: "gazetteer", entries: gm.Entries, full: true})
}

// titled is a rank or honorific followed by a name: "الفريق أول ركن خالد
// خليفة حفتر", "Maj. Gen. Khaled al-Mahjoub". The name is the next two to
// four words up to punctuation or a word that starts something else; a
// known person is resolved through the gazetteer. One word after a title is
// a surname to resolve in context.
func (x *extraction) titled(s *segment.Sentence, i int) *mention {
	toks := s.Tokens
	ph, end, ok := longestAt(toks, i, titles)
	if !ok {
		return nil
	}
	t := &toks[i]
	if t.Arabic && !t.Def || !t.Arabic && !t.Upper {
		return nil
	}
	if gm, ok := x.gazetteerMatch(toks, i); ok && gm.End >= end {
		return nil // "General Command", "اللواء 444"
	}
	var words []int
	for k := nextWord(toks, end); k < len(toks) && len(words) < 4; k = nextWord(toks, k+1) {
		if !x.nameWord(toks, k, t.Arabic, len(words) == 0) {
			break
		}
		words = append(words, k)
	}
	if len(words) == 0 {
		return nil
	}
	titleAr := ""
	if t.Arabic {
		titleAr = textOf(toks, i, end)
	}
	first, lastW := words[0], words[len(words)-1]+1
	m := x.newMention(mention{i: first, j: lastW, ext: i, last: lastW, kind: graph.KindPerson, rule: "person_title",
		title: ph.value, titleAr: titleAr})
	if gm, ok := x.gazetteerMatch(toks, first); ok && gm.End <= lastW && allKind(gm.Entries, graph.KindPerson) {
		m.j, m.last, m.entries, m.full = gm.End, gm.End, gm.Entries, true
		return m
	}
	if len(words) == 1 {
		m.surname = true
		return m
	}
	// "اللواء" is also "the brigade", "الفريق" "the team": after such a
	// title an unknown name must start with a known given name.
	if t.Arabic && t.KeyIn(ambiguousTitles) && !arabic.IsGivenName(toks[first].Text) {
		if ps := x.p.gaz.Matcher().PeopleByFullName(toks[first].Key, toks[lastW-1].Key); len(ps) != 1 {
			return nil
		}
	}
	m.full = true
	if ps := x.p.gaz.Matcher().PeopleByFullName(toks[first].Key, toks[lastW-1].Key); len(ps) == 1 {
		m.entries = ps
		return m
	}
	text := textOf(toks, first, lastW)
	m.key = names.Key(text)
	if t.Arabic {
		m.nameAr, m.name = text, arabic.Transliterate(text)
	} else {
		m.name = text
	}
	return m
}

// ambiguousTitles are titles that are also common nouns.
var ambiguousTitles = set("لواء", "فريق", "رائد", "عميد", "مستشار", "شيخ", "سيد")

// nameWord reports whether token k can be part of a personal name after a
// title.
func (x *extraction) nameWord(toks []segment.Token, k int, arabicScript, first bool) bool {
	t := &toks[k]
	if t.Punct || t.Digits || t.Key == "" || t.Arabic != arabicScript {
		return false
	}
	if t.KeyIn(nameStops) || t.HasForm(nameStops) && !t.Arabic {
		return false
	}
	if t.HasForm(speechVerbs) || t.HasForm(denyVerbs) || t.HasForm(agreeVerbs) || t.HasForm(reachVerbs) ||
		t.HasForm(meetVerbs) || t.HasForm(hostVerbs) || t.HasForm(holdVerbs) || t.HasForm(agreementNouns) ||
		t.HasForm(meetingNouns) || t.HasForm(groupNouns.class) || t.HasForm(cityWords) {
		return false
	}
	if _, _, ok := positionAt(toks, k); ok {
		return false
	}
	if _, _, ok := longestAt(toks, k, titles); ok && !first {
		return false
	}
	if gm, ok := x.gazetteerMatch(toks, k); ok && !allKind(gm.Entries, graph.KindPerson) {
		return false
	}
	if t.Arabic {
		// "و…" joins a new phrase unless the word is a name like "وليد".
		if len(t.Forms()) > 1 && strings.HasPrefix(t.Fold, "و") && !arabic.IsGivenName(t.Text) {
			return false
		}
		for _, f := range t.Forms()[1:] {
			if nameStops.Has(f) {
				return false
			}
		}
		return true
	}
	return t.Upper
}

func allKind(es []*gazetteer.Entry, k graph.Kind) bool {
	for _, e := range es {
		if e.EntityKind() != k {
			return false
		}
	}
	return len(es) > 0
}

func textOf(toks []segment.Token, i, j int) string {
	var b strings.Builder
	for k := i; k < j; k++ {
		if k > i && toks[k].Start > toks[k-1].End {
			b.WriteByte(' ')
		}
		b.WriteString(toks[k].Text)
	}
	return b.String()
}

// formOf returns the form of t found in the map and its value.
func formOf(t *segment.Token, m wordMap) (form, value string, ok bool) {
	if !t.HasForm(m.class) {
		return "", "", false
	}
	for _, f := range t.Forms() {
		if v, found := m.values[f]; found {
			return f, v, true
		}
	}
	return "", "", false
}

// groupAt recognises a collective actor: a noun for leaders or notables,
// optional adjectives, and a place.
//
//	Arabic: (قيادات|قادة|أعيان|مشايخ|حكماء|وجهاء) [adjectives] [participles] (في|من) [مدينة] PLACE
//	        (قيادات|…) PLACE [adjectives]                  "قيادات مصراتة"
//	English: [adjectives] (leaders|notables|…) (of|from|in) [the city of] PLACE
//	         PLACE['s] [adjectives] (leaders|…)             "Misrata's military leaders"
func (x *extraction) groupAt(s *segment.Sentence, i int) *mention {
	toks := s.Tokens
	t := &toks[i]
	if t.Arabic {
		form, noun, ok := formOf(t, groupNouns)
		if !ok {
			return nil
		}
		m := x.newMention(mention{i: i, ext: i, kind: graph.KindGroup, rule: "group_pattern", skip: t.ProcliticRunes(form)})
		k := i + 1
		// "أعيان ووجهاء": coordinated nouns of the same group.
		for k < len(toks) && toks[k].Arabic && strings.HasPrefix(toks[k].Fold, "و") {
			if _, _, ok := formOf(&toks[k], groupNouns); !ok {
				break
			}
			k++
		}
		adjs := x.adjectives(toks, &k)
		// Participles before the preposition: "القادة المشاركون من …".
		p := k
		cue := false
		for n := 0; n < 2 && p < len(toks) && isWord(&toks[p]) && toks[p].Def && !toks[p].HasForm(groupPreps) && isParticiple(&toks[p]); n++ {
			cue = cue || toks[p].KeyIn(participantCue)
			p++
		}
		if p > k && p < len(toks) && toks[p].HasForm(groupPreps) {
			k, m.cue = p, cue
		}
		if k < len(toks) && toks[k].HasForm(groupPreps) && isWord(&toks[k]) {
			if place := x.placeAfter(s, k+1); place != nil {
				m.inner, m.j, m.last = place, place.j, place.last
				m.group = &groupSpec{noun: noun, adjs: adjs}
				return m
			}
			return nil
		}
		if len(adjs) == 0 {
			if place := x.placeAfter(s, k); place != nil {
				m.inner, m.j, m.last = place, place.j, place.last
				k = place.last
				adjs = x.adjectives(toks, &k)
				if k > place.last {
					m.j, m.last = k, k
				}
				m.group = &groupSpec{noun: noun, adjs: adjs}
				return m
			}
		}
		return nil
	}
	// English.
	k := i
	adjs := x.adjectives(toks, &k)
	if k < len(toks) {
		if _, noun, ok := formOf(&toks[k], groupNouns); ok && !toks[k].Arabic {
			p := k + 1
			if p < len(toks) && toks[p].HasForm(groupPreps) {
				if place := x.placeAfter(s, p+1); place != nil {
					return x.newMention(mention{i: i, j: place.j, ext: i, last: place.last, kind: graph.KindGroup,
						rule: "group_pattern", inner: place, group: &groupSpec{noun: noun, adjs: adjs}})
				}
			}
			return nil
		}
	}
	if k > i {
		return nil
	}
	place := x.placeAt(s, i, false)
	if place == nil {
		return nil
	}
	k = place.last
	if k < len(toks) && (toks[k].Text == "'s" || toks[k].Text == "’s") {
		k++
	}
	adjs = x.adjectives(toks, &k)
	if k < len(toks) {
		if _, noun, ok := formOf(&toks[k], groupNouns); ok && !toks[k].Arabic {
			return x.newMention(mention{i: i, j: k + 1, ext: i, last: k + 1, kind: graph.KindGroup, rule: "group_pattern",
				inner: place, group: &groupSpec{noun: noun, adjs: adjs}})
		}
	}
	return nil
}

// participantCue marks participles that say a group took part ("القادة
// المشاركون من مصراتة").
var participantCue = set("المشاركون", "المشاركين", "المشاركة", "participating")

// isParticiple reports a definite plural or feminine adjective that may
// stand between a group noun and its place ("القادة المشاركون من …").
func isParticiple(t *segment.Token) bool {
	k := []rune(t.Key)
	if len(k) < 4 {
		return false
	}
	end := string(k[len(k)-2:])
	return end == "ون" || end == "ين" || k[len(k)-1] == 'ه'
}

// adjectives reads group adjectives at *k ("أمنية وعسكرية", "security and
// military") and returns them in canonical order.
func (x *extraction) adjectives(toks []segment.Token, k *int) []string {
	var seen uint64 // bit n: adjectiveOrder[n]
	for *k < len(toks) {
		t := &toks[*k]
		if _, v, ok := formOf(t, groupAdjectives); ok && isWord(t) {
			seen |= 1 << slices.Index(adjectiveOrder, v)
			*k++
			continue
		}
		if seen != 0 && !t.Arabic && (t.Text == "," || t.HasForm(andWords)) && *k+1 < len(toks) {
			if _, _, ok := formOf(&toks[*k+1], groupAdjectives); ok {
				*k++
				continue
			}
		}
		break
	}
	var out []string
	for n, a := range adjectiveOrder {
		if seen&(1<<n) != 0 {
			out = append(out, a)
		}
	}
	return out
}

// placeAfter reads [the] [city|town] [of] PLACE starting at token k.
func (x *extraction) placeAfter(s *segment.Sentence, k int) *mention {
	toks := s.Tokens
	if k < len(toks) && toks[k].HasForm(theWords) {
		k++
	}
	cue := false
	if k < len(toks) && (toks[k].HasForm(cityWords) || toks[k].HasForm(capitalWord)) && isWord(&toks[k]) {
		cue = true
		k++
		if k < len(toks) && toks[k].Key == "of" {
			k++
		}
	}
	return x.placeAt(s, k, cue)
}

// placeAt is a place name at token k: a gazetteer place, or after a cue
// ("مدينة", "the city of") an unknown one.
func (x *extraction) placeAt(s *segment.Sentence, k int, cue bool) *mention {
	toks := s.Tokens
	if k >= len(toks) || !isWord(&toks[k]) {
		return nil
	}
	if gm, ok := x.gazetteerMatch(toks, k); ok {
		if allKind(gm.Entries, graph.KindPlace) {
			return x.newMention(mention{i: gm.Start, j: gm.End, ext: gm.Start, last: gm.End, skip: gm.Skip,
				kind: graph.KindPlace, rule: "gazetteer", entries: gm.Entries, full: true})
		}
		return nil
	}
	if !cue {
		return nil
	}
	return x.unknownPlace(s, k)
}

// placeWords may begin a two-word place name ("بني وليد", "Bani Walid").
var placeWords = set("بني", "أبو", "ابو", "عين", "بئر", "رأس", "وادي", "سيدي", "قصر", "Bani", "Abu", "Ras", "Bir", "Wadi", "Sidi", "Ain")

func (x *extraction) unknownPlace(s *segment.Sentence, k int) *mention {
	toks := s.Tokens
	if k >= len(toks) {
		return nil
	}
	t := &toks[k]
	if !isWord(t) || t.Digits || t.KeyIn(nameStops) || t.HasForm(speechVerbs) || (!t.Arabic && !t.Upper) {
		return nil
	}
	end := k + 1
	if t.KeyIn(placeWords) && end < len(toks) && isWord(&toks[end]) && toks[end].Arabic == t.Arabic {
		end++
	}
	text := textOf(toks, k, end)
	m := x.newMention(mention{i: k, j: end, ext: k, last: end, kind: graph.KindPlace, rule: "city_pattern",
		key: names.Key(text), subtype: "city", full: true})
	if t.Arabic {
		m.nameAr, m.name = text, arabic.Transliterate(text)
	} else {
		m.name = text
	}
	return m
}

// cityPattern is "مدينة X" / "the city of X" naming a place the gazetteer
// does not know.
func (x *extraction) cityPattern(s *segment.Sentence, i int) *mention {
	toks := s.Tokens
	t := &toks[i]
	if t.Arabic {
		if !t.HasForm(cityWords) || t.Def {
			return nil
		}
		if x.placeAt(s, i+1, false) != nil {
			return nil // the gazetteer names it
		}
		return x.unknownPlace(s, i+1)
	}
	if !t.HasForm(cityWords) || i == 0 || !toks[i-1].HasForm(theWords) || i+2 >= len(toks) || toks[i+1].Key != "of" {
		return nil
	}
	if x.placeAt(s, i+2, false) != nil {
		return nil
	}
	return x.unknownPlace(s, i+2)
}

// orgPattern is an organisation the gazetteer does not know, recognised by
// its head noun: "إدارة|جهاز|وزارة|كتيبة|لواء|هيئة|مجلس + 1–3 words",
// "Ministry of X", "X Y Brigade".
func (x *extraction) orgPattern(s *segment.Sentence, i int) *mention {
	toks := s.Tokens
	t := &toks[i]
	if t.Arabic {
		form, head, ok := formOf(t, orgHeadsAr)
		if !ok || t.Def {
			return nil
		}
		if i > 0 && toks[i-1].Arabic {
			if _, _, prevHead := formOf(&toks[i-1], orgHeadsAr); prevHead {
				return nil // "مجلس إدارة …": inside a construct that is no name
			}
		}
		words, end := x.orgComplement(s, i+1)
		if len(words) == 0 {
			words, end = quoted(toks, i+1) // "كتيبة «شهداء الزاوية»"
		}
		if len(words) == 0 {
			return nil
		}
		skip := t.ProcliticRunes(form)
		text := string([]rune(textOf(toks, i, end))[skip:])
		key := names.Key(text)
		for g := range genericOrgs {
			if key == g || strings.HasPrefix(key, g+" ") {
				return nil
			}
		}
		return x.newMention(mention{i: i, j: end, ext: i, last: end, skip: skip, kind: graph.KindOrganization,
			rule: "org_pattern", key: key, nameAr: text, name: x.orgDisplayName(head, s, words),
			subtype: orgSubtype(head), full: true})
	}
	if !t.Upper {
		return nil
	}
	// "Ministry of Interior"
	if head, ok := orgHeadsEn[t.Key]; ok && i+2 < len(toks) && toks[i+1].Key == "of" {
		k := i + 2
		if toks[k].HasForm(theWords) {
			k++
		}
		var end int
		for n := 0; n < 3 && k < len(toks) && isWord(&toks[k]) && toks[k].Upper && !toks[k].KeyIn(nameStops); n++ {
			k++
			end = k
		}
		if end == 0 {
			return nil
		}
		text := textOf(toks, i, end)
		return x.newMention(mention{i: i, j: end, ext: i, last: end, kind: graph.KindOrganization, rule: "org_pattern",
			key: names.Key(text), name: text, subtype: orgSubtype(head), full: true})
	}
	// "Airport Security Battalion", "Support and Stability Apparatus"
	k := i
	for n := 0; n < 5 && k < len(toks) && isWord(&toks[k]); n++ {
		if toks[k].Key == "and" && k > i && k+1 < len(toks) && toks[k+1].Upper {
			k++
			continue
		}
		if !(toks[k].Upper || toks[k].Digits) || toks[k].KeyIn(nameStops) || toks[k].KeyIn(determiners) {
			break
		}
		if head, ok := orgHeadsEn[toks[k].Key]; ok && k > i {
			text := textOf(toks, i, k+1)
			return x.newMention(mention{i: i, j: k + 1, ext: i, last: k + 1, kind: graph.KindOrganization, rule: "org_pattern",
				key: names.Key(text), name: text, subtype: orgSubtype(head), full: true})
		}
		k++
	}
	return nil
}

func orgSubtype(head string) string {
	switch head {
	case "Ministry", "Council":
		return "government"
	case "Battalion", "Brigade":
		return "armed_group"
	case "Force", "Forces":
		return "military"
	}
	return "other"
}

// quoted reads a name in quotes at k — «…», “…”, "…" — of one to five
// words, and returns its words and the token after the closing quote.
func quoted(toks []segment.Token, k int) ([]int, int) {
	if k >= len(toks) {
		return nil, 0
	}
	closing := map[string]string{"«": "»", "“": "”", "\"": "\"", "„": "“"}[toks[k].Text]
	if closing == "" {
		return nil, 0
	}
	var words []int
	for q := k + 1; q < len(toks) && q <= k+6; q++ {
		switch {
		case toks[q].Text == closing:
			if len(words) == 0 {
				return nil, 0
			}
			return words, q + 1
		case isWord(&toks[q]):
			words = append(words, q)
		default:
			return nil, 0
		}
	}
	return nil, 0
}

// orgComplement reads the words that complete an Arabic organisation name
// after its head noun, in the shape names of institutions take: indefinite
// nouns of a construct chain ending in a definite noun or a known place
// ("أمن المطار", "أمن طرابلس", "الداخلية"), then relational adjectives
// ("الليبية", "الأمنية"). Generic phrases ("إدارة جديدة", "لجنة مالية
// مشتركة") have no definite end and are not names.
func (x *extraction) orgComplement(s *segment.Sentence, k int) ([]int, int) {
	toks := s.Tokens
	var words []int
	ok := false
	for ; k < len(toks) && len(words) < 3; k++ {
		w := &toks[k]
		if !isWord(w) || !w.Arabic || w.KeyIn(orgStops) || w.HasForm(speechVerbs) || w.HasForm(agreementNouns) {
			break
		}
		if _, _, isPos := positionAt(toks, k); isPos {
			break
		}
		if len(w.Forms()) > 1 && strings.ContainsRune("وبلكف", []rune(w.Fold)[0]) && !strings.HasPrefix(w.Fold, "ال") {
			break // "بحكومة", "وجهاز", "للبنك": a new phrase
		}
		if ok {
			if !w.Def || !isRelational(w) || strings.HasPrefix(w.Fold, "و") {
				break
			}
			words = append(words, k)
			continue
		}
		if gm, found := x.gazetteerMatch(toks, k); found && gm.Skip == 0 && allKind(gm.Entries, graph.KindPlace) && len(words) > 0 {
			words = append(words, k)
			ok = true
			k = gm.End - 1
			continue
		}
		words = append(words, k)
		if w.Def {
			ok = true
		}
	}
	if !ok {
		return nil, 0
	}
	return words, words[len(words)-1] + 1
}

// isRelational reports adjectives that can end an institution's name:
// nisba forms ("الليبية", "الأمني") and a few others ("العامة").
func isRelational(t *segment.Token) bool {
	if t.KeyIn(relationalAdjectives) {
		return true
	}
	r := []rune(t.Key)
	n := len(r)
	return n >= 3 && (r[n-1] == 'ي' || (r[n-2] == 'ي' && r[n-1] == 'ه'))
}

var relationalAdjectives = set("العام", "العامة", "العليا", "الأعلى", "الخاصة", "المشتركة", "الموحدة", "المركزي", "المركزية")

// genericOrgs are phrases shaped like names that name no institution.
var genericOrgs = set2("مجلس الإدارة", "مجلس إدارة", "مجلس الأمناء", "إدارة الجلسة", "هيئة الدفاع")

func set2(phrases ...string) map[string]bool {
	m := map[string]bool{}
	for _, p := range phrases {
		m[strings.Join(keysOf(p), " ")] = true
	}
	return m
}

// orgDisplayName renders an Arabic organisation name in English: the head
// noun, "of", and the words after it translated (or transliterated) in
// reverse order, since Arabic puts the modifier after the noun: "كتيبة أمن
// المطار" → "Battalion of Airport Security". "Libyan" goes in front.
func (x *extraction) orgDisplayName(head string, s *segment.Sentence, words []int) string {
	toks := s.Tokens
	var parts []string
	front := ""
	for n := len(words) - 1; n >= 0; n-- {
		t := &toks[words[n]]
		if en, ok := orgWords[t.Key]; ok {
			if en == "Libyan" {
				front = "Libyan "
				continue
			}
			parts = append(parts, en)
			continue
		}
		if gm, ok := x.gazetteerMatch(toks, words[n]); ok && allKind(gm.Entries, graph.KindPlace) {
			parts = append(parts, gm.Entries[0].Name)
			continue
		}
		parts = append(parts, arabic.Word(t.Text))
	}
	return front + head + " of " + strings.Join(parts, " ")
}
