package ingest

import (
	"slices"
	"strings"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest/segment"
)

// Confidences of the rules: how often a fact read this way is right, as
// judged on the development corpus. Pattern strength, not calibrated
// probabilities.
const (
	confApposition      = 0.85
	confAppositionLoose = 0.75
	confPrenominal      = 0.8
	confGroupPlace      = 0.8
	confBetween         = 0.8
	confVerb            = 0.75
	confReached         = 0.7
	confConstruct       = 0.6
	confJointForce      = 0.75
	confMeetingSubject  = 0.5
	confParticipants    = 0.5
	confAttendance      = 0.6
	confMediation       = 0.65
	confLocation        = 0.7
	confSpeaker         = 0.85
	confAbout           = 0.7
	confKnownPost       = 0.7
)

// Event types. Stored on events: do not rename.
const (
	evAgreement = "agreement"
	evMeeting   = "meeting"
	evStatement = "statement"
	evDenial    = "denial"
)

type draftKey struct {
	typ      graph.RelType
	from, to *entity
	q        string
}

// draft is a relation before ids exist: events get their ids from their
// final participants, at the end of the article.
type draft struct {
	typ         graph.RelType
	from, to    *entity
	role, title string
	ev          []graph.Evidence
	spans       spanSet
}

// relate records a relation with one piece of evidence: the span [start,
// end) of sentence s, read by rule.
func (x *extraction) relate(typ graph.RelType, from, to *entity, role, title string, s *segment.Sentence, start, end int, rule string, conf float64) {
	if from == nil || to == nil || from == to {
		return
	}
	if typ == graph.OccurredIn {
		from.places = appendNew(from.places, to)
	}
	q := role
	if q == "" {
		q = strings.ToLower(title)
	}
	k := draftKey{typ, from, to, q}
	d := x.draftIdx[k]
	if d == nil && typ == graph.HoldsPosition && title != "" {
		x.holders[strings.ToLower(title)] = appendNew(x.holders[strings.ToLower(title)], from)
	}
	if d == nil {
		d = x.newDraft(draft{typ: typ, from: from, to: to, role: role, title: title})
		x.draftIdx[k] = d
		x.drafts = append(x.drafts, d)
		if typ == graph.ParticipatedIn {
			to.taking = append(to.taking, d)
		}
	}
	if !d.spans.add(start, end) {
		return
	}
	d.ev = append(d.ev, graph.Evidence{
		Document: x.doc.ID, Sentence: s.Index, Start: start, End: end, Text: x.slice(start, end),
		Rule: rule, Confidence: conf, SentenceStart: s.Start, SentenceText: s.Text, Date: x.date,
	})
}

// sentenceState is what the rules of one sentence share.
type sentenceState struct {
	s         *segment.Sentence
	ms        []*mention
	byExt     tokenIndex       // outer mentions by first token
	byTail    tokenIndex       // actors by the token after them and their apposition
	byTailAny tokenIndex       // any outer mention by the token after it
	covered   tokenIndex       // token → outer mention covering it
	refs      []eventRef       // events the sentence refers to, in text order
	said      []saidAt         // statements and denials made in the sentence
	parties   map[*entity]bool // actors already given a part in this sentence
}

// saidAt is a statement made at a verb of the sentence.
type saidAt struct {
	ev  *entity
	tok int
}

// tokenIndex maps the tokens of a sentence (and the position after the
// last) to mentions of the sentence; at is nil outside. It holds their
// positions in the sentence's list, not pointers: it is cleared for every
// sentence, and clearing pointers costs the collector's write barriers.
type tokenIndex struct {
	ms  []*mention
	pos []int32 // 1 + the position in ms; 0 for none
}

// reset returns the index cleared for n tokens and the mentions ms, in
// ix's memory if it fits.
func (ix tokenIndex) reset(n int, ms []*mention) tokenIndex {
	if cap(ix.pos) < n {
		return tokenIndex{ms, make([]int32, n)}
	}
	ix.ms, ix.pos = ms, ix.pos[:n]
	clear(ix.pos)
	return ix
}

// set maps token k to ms[p].
func (ix *tokenIndex) set(k, p int) { ix.pos[k] = int32(p) + 1 }

func (ix *tokenIndex) at(k int) *mention {
	if p := ix.posAt(k); p > 0 {
		return ix.ms[p-1]
	}
	return nil
}

// posAt is 1 + the position in ms of the mention at token k, or 0.
func (ix *tokenIndex) posAt(k int) int32 {
	if k < 0 || k >= len(ix.pos) {
		return 0
	}
	return ix.pos[k]
}

// eventRef is a place in the sentence that names an event: a trigger word
// ("اتفاق", "met") or an anaphor ("هذا الاتفاق").
type eventRef struct {
	ev         *entity
	tok, last  int // tokens [tok, last)
	start, end int // runes
}

func (st *sentenceState) mentionAt(k int) *mention {
	if m := st.byExt.at(k); m != nil && m.ent != nil {
		return m
	}
	return nil
}

// actor reports mentions that can take part in events: people,
// organisations and groups, not inside another name and not an
// organisation that only qualifies a person.
func actor(m *mention) bool {
	return m != nil && m.ent != nil && !m.nested && !m.appos && m.ent.agreement == nil &&
		(m.ent.kind.IsActor() || state(m.ent))
}

// locative reports a mention that says where, not who: "في ليبيا",
// "بليبيا", "in Libya", "to Turkey".
func locative(toks []segment.Token, m *mention) bool {
	if m.skip > 0 && toks[m.i].Arabic {
		return true // a proclitic preposition on the name
	}
	p := m.ext - 1
	for p >= 0 && toks[p].Key == "the" {
		p--
	}
	return p >= 0 && toks[p].KeyIn(locatives)
}

var locatives = set("في", "إلى", "الى", "من", "داخل", "in", "to", "from", "at", "into", "across", "inside")

// state reports a country: a place that acts ("بوساطة تركية", "Turkey
// brokered the deal").
func state(e *entity) bool { return e.kind == graph.KindPlace && e.subtype == "country" }

func (x *extraction) extract(s *segment.Sentence, ms []*mention) {
	n := len(s.Tokens) + 1
	// The indexes and parties take the memory of the sentence before.
	st := &x.scratch.sentence
	byTail, byTailAny := st.byTail, st.byTailAny // set once the appositions are read
	*st = sentenceState{s: s, ms: ms, byExt: st.byExt.reset(n, ms), covered: st.covered.reset(n, ms), parties: st.parties}
	if st.parties == nil {
		st.parties = map[*entity]bool{}
	}
	clear(st.parties)
	for p, m := range ms {
		if m.nested {
			continue
		}
		if prev := st.byExt.at(m.ext); prev == nil || prev.surname {
			st.byExt.set(m.ext, p)
		}
		for k := m.ext; k < m.last; k++ {
			st.covered.set(k, p)
		}
	}
	if m := datelinePlace(s, ms); m != nil {
		x.dateline = &datelineAt{s, m}
	}
	x.appositions(st)
	st.byTail, st.byTailAny = byTail.reset(n, ms), byTailAny.reset(n, ms)
	for p, m := range ms {
		if actor(m) {
			st.byTail.set(m.tail, p)
		}
		if !m.nested && m.ent != nil {
			st.byTailAny.set(m.tail, p)
		}
	}
	x.groupPlaces(st)
	x.affiliations(st)
	x.basedModifiers(st)
	x.seats(st)
	x.leaders(st)
	x.members(st)
	x.appointedModifiers(st)
	x.controls(st)
	x.events(st)
	x.meetingSubject(st)
	x.participantCues(st)
	x.cues(st)
	x.chairs(st)
	x.decisions(st)
	x.designees(st)
	x.jointForces(st)
	x.locations(st)
	x.venues(st)
	x.topics(st)
	x.statements(st)
	x.sentencePlaces(st) // after the statements: they open sessions too
	x.dates(st)
}

// dates: the events a sentence names take the first date it gives, unless
// an earlier sentence dated them.
func (x *extraction) dates(st *sentenceState) {
	if len(st.refs) == 0 && len(st.said) == 0 {
		return
	}
	ds := sentenceDates(st.s.Tokens, x.pub, x.pubKnown)
	if len(ds) == 0 {
		return
	}
	for _, r := range st.refs {
		if d, ok := nearestDate(ds, r.tok); ok && r.ev.date.date == "" {
			r.ev.date = d
		}
	}
	for _, sd := range st.said {
		if d, ok := nearestDate(ds, sd.tok); ok && sd.ev.date.date == "" {
			sd.ev.date = d
		}
	}
}

// appositions reads posts held by people:
//
//	PERSON[،] POSITION ORG      "خالد المحجوب، مدير إدارة التوجيه المعنوي،"
//	PERSON, [the] POSITION of [the] ORG
//	POSITION ORG PERSON         "رئيس مجلس النواب عقيلة صالح"
//	ORG POSITION PERSON         "UNSMIL head Hanna Tetteh"
func (x *extraction) appositions(st *sentenceState) {
	toks := st.s.Tokens
	for _, m := range st.ms {
		if m.nested || m.ent == nil || m.ent.kind != graph.KindPerson {
			continue
		}
		k := skipAside(toks, m.last) // "عبدالغني الككلي (المعروف بـ”غنيوة”)، رئيس جهاز …"
		comma := k < len(toks) && (toks[k].Text == "،" || toks[k].Text == ",")
		if comma {
			k++
		}
		// "named X as the new governor of Y", "ترشيح X لمنصب محافظ Y",
		// "X was also appointed as deputy governor of Y".
		rule := ruleApposition
		q := k
		for n := 0; n < 4 && q < len(toks) && !comma && (toks[q].HasForm(passives) || toks[q].KeyIn(auxiliaries) || toks[q].HasForm(kindByType[evAppointment].verbs)); n++ {
			q++
		}
		if q < len(toks) && toks[q].HasForm(designations) {
			k = q + 1
			rule = ruleDesignation
		}
		for k < len(toks) && (toks[k].Key == "the" || toks[k].Key == "a" || toks[k].Key == "an" || toks[k].HasForm(postAdjectives)) {
			k++
		}
		org, pos, ok := x.postAt(st, k)
		if !ok && rule == ruleDesignation {
			// "as acting CBL Governor": organisation, then post.
			if o := st.mentionAt(k); o != nil && o.ent.kind == graph.KindOrganization {
				if p, _, found := positionAt(toks, o.last); found && p.english {
					org, pos, ok = o, p, true
				}
			}
		}
		if !ok {
			// "ناجي عيسى محافظا للمصرف": an accusative post designates.
			if comma || rule == ruleDesignation || k == m.last && accusativePost(toks, k) {
				x.affiliatedPost(st, m, k)
			}
			continue
		}
		conf := confAppositionLoose
		if comma || rule == ruleDesignation {
			conf = confApposition
		}
		x.holds(st, m, org, pos, min(m.start, org.start), max(m.end, org.end), conf, rule)
		m.tail = org.last
		if org.last < len(toks) && (toks[org.last].Text == "،" || toks[org.last].Text == ",") {
			m.tail = org.last + 1
		}
	}
	// POSITION ORG PERSON
	for k := 0; k < len(toks); k++ {
		if st.covered.at(k) != nil {
			continue
		}
		org, pos, ok := x.postAt(st, k)
		if !ok {
			if end := x.knownPost(st, k); end > k {
				k = end - 1 // "Prime Minister": not "Minister" again
			}
			continue
		}
		q, comma := x.afterOrg(st, org.last)
		p := st.mentionAt(q)
		if p == nil || p.ent.kind != graph.KindPerson {
			continue
		}
		if comma && (toks[q].Key == "and" || toks[q].Arabic && strings.HasPrefix(toks[q].Fold, "و") && len(toks[q].Forms()) > 1) {
			continue // "محافظ المصرف، ومرعي البرعصي": the next item of a list
		}
		x.holds(st, p, org, pos, toks[k].Start, p.end, confPrenominal, rulePositionOrgName)
	}
	x.headedBy(st)
	// ORG POSITION PERSON (English)
	for _, org := range st.ms {
		if org.nested || org.ent == nil || (org.ent.kind != graph.KindOrganization && org.ent.kind != graph.KindGroup) {
			continue
		}
		pos, end, ok := positionAt(toks, org.last)
		if !ok || !pos.english {
			continue
		}
		p := st.mentionAt(end)
		if p == nil || p.ent.kind != graph.KindPerson {
			continue
		}
		x.holds(st, p, org, pos, org.start, p.end, confPrenominal, ruleOrgPositionName)
	}
}

// afterOrg skips what may stand between a post's organisation and the
// person holding it: an acronym "(HoR)", a comma, an affiliation "التابع
// للمجلس الرئاسي الليبي", a qualifier "الخاص إلى ليبيا", "for Libya",
// quotes. It returns the token where the person should be and whether a
// comma was passed.
func (x *extraction) afterOrg(st *sentenceState, q int) (int, bool) {
	toks := st.s.Tokens
	comma := false
	for n := 0; n < 8 && q < len(toks); n++ {
		t := &toks[q]
		switch {
		case t.Text == "(":
			q = skipParenthesis(toks, q)
			if toks[q-1].Text != ")" {
				return q, comma
			}
		case t.Text == "،" || t.Text == ",":
			comma = true
			q++
		case t.HasForm(namely):
			q++
		case t.Transparent():
			q++
		case st.covered.at(q) != nil:
			m := st.covered.at(q)
			if m.ent == nil || m.ent.kind == graph.KindPerson {
				return q, comma
			}
			if q == 0 || !(toks[q-1].HasForm(postQualifiers) || toks[q-1].Key == "the" && q > 1 && toks[q-2].HasForm(postQualifiers) || m.skip > 0) {
				return q, comma
			}
			q = m.last
		case t.HasForm(postQualifiers) || t.Arabic && t.Def && isRelational(t):
			q++
		default:
			return q, comma
		}
	}
	return q, comma
}

// headedBy: "ORG … برئاسة PERSON", "ORG, a militia commanded by PERSON":
// the person heads (or commands) the organisation named last before the
// cue, within a few words.
func (x *extraction) headedBy(st *sentenceState) {
	toks := st.s.Tokens
	for k := 0; k < len(toks); k++ {
		if !st.free(k) {
			continue
		}
		cue, end, ok := longestAt(toks, k, headedBy)
		if !ok {
			continue
		}
		p := st.mentionAt(end)
		if p == nil || p.ent.kind != graph.KindPerson {
			continue
		}
		var org *mention
		for q := k - 1; q >= 0 && q >= k-12; q-- {
			if st.free(q) && toks[q].HasForm(forcesWords) {
				break // "لقوات الشرق بقيادة X": X commands those forces
			}
			if m := st.covered.at(q); m != nil && m.ent != nil {
				if m.ent.kind == graph.KindPlace {
					q = m.ext // "مجلس النواب … بمدينة بنغازي جلسته برئاسة X"
					continue
				}
				if m.ent.kind == graph.KindOrganization {
					org = m
				}
				break
			}
			if toks[q].Text == ")" { // "the High State Council (HSC) under X"
				for q > 0 && toks[q].Text != "(" && q > k-12 {
					q--
				}
				continue
			}
			if toks[q].Punct && toks[q].Break() && toks[q].Text != "," && toks[q].Text != "،" {
				break
			}
		}
		if org == nil {
			continue
		}
		title := cue.value
		if title == "head" && org.ent.entry != nil && org.ent.entry.HeadTitle != "" {
			title = org.ent.entry.HeadTitle
		}
		// Not holds: the organisation stays an actor ("عقد مجلس النواب
		// جلسته برئاسة عقيلة صالح": the House held the session).
		x.relate(graph.HoldsPosition, p.ent, org.ent, "", title, st.s, org.start, p.end, ruleHeadedBy, confAppositionLoose)
		k = end - 1
	}
}

// affiliatedPost: "Hanna Tetteh, the secretary-general's special
// representative for Libya": a post after a person with no organisation
// named is held in the person's one organisation in the gazetteer.
func (x *extraction) affiliatedPost(st *sentenceState, m *mention, k int) {
	toks := st.s.Tokens
	pos, end, ok := positionAt(toks, k)
	if ok && end < len(toks) && (toks[end].Text == "'s" || toks[end].Text == "’s") {
		pos, end, ok = positionAt(toks, end+1) // "the secretary-general's special representative"
	}
	if !ok || pos.member {
		return
	}
	org := x.postBody(pos, m.ent)
	if org == nil {
		return
	}
	x.relate(graph.HoldsPosition, m.ent, org, "", x.titleIn(pos, org), st.s, m.start, toks[end-1].End, ruleKnownPost, confKnownPost)
}

// postBody is the organisation of a post named without one: the body its
// words name («المبعوث الأممي»), or the person's one organisation.
func (x *extraction) postBody(pos *position, p *entity) *entity {
	if pos.body != "" {
		if g, ok := x.p.gaz.Entry(pos.body); ok {
			return x.fromEntry(g)
		}
	}
	return x.affiliationOf(p)
}

// affiliationOf is the one organisation the gazetteer says a person
// belongs to, or nil.
func (x *extraction) affiliationOf(p *entity) *entity {
	if p.kind != graph.KindPerson || p.entry == nil {
		return nil
	}
	var orgs []*entity
	for _, id := range p.entry.MemberOf {
		if g, ok := x.p.gaz.Entry(id); ok && g.EntityKind() == graph.KindOrganization {
			orgs = append(orgs, x.fromEntry(g))
		}
	}
	if len(orgs) != 1 {
		return nil
	}
	return orgs[0]
}

// titleIn is the title of a post in an organisation: the organisation's
// own word for its head ("speaker") where it has one.
func (x *extraction) titleIn(pos *position, org *entity) string {
	if pos.head && org.entry != nil && org.entry.HeadTitle != "" {
		return org.entry.HeadTitle
	}
	return pos.title
}

// knownPost: "Prime Minister Abdul Hamid Dbeibah", "المحافظ ناجي عيسى": a
// post right before a person with no organisation named is held in the
// one organisation the gazetteer says the person belongs to.
func (x *extraction) knownPost(st *sentenceState, k int) int {
	toks := st.s.Tokens
	pos, end, ok := positionAt(toks, k)
	if !ok || pos.member {
		return 0
	}
	end = skipPostOf(toks, end)
	q := pastPostAdjectives(toks, end) // "المحافظ السابق الصديق الكبير"
	if p := st.mentionAt(q); p == nil {
		// "The Special Representative of the Secretary-General for
		// Libya, Hanna Tetteh": qualifiers and a comma before the name.
		q, _ = x.afterOrg(st, q)
	}
	p := st.mentionAt(q)
	if p == nil || p.ent.kind != graph.KindPerson {
		return end
	}
	org := x.postBody(pos, p.ent)
	if org == nil {
		return end
	}
	x.relate(graph.HoldsPosition, p.ent, org, "", x.titleIn(pos, org), st.s, toks[k].Start, p.end, ruleKnownPost, confKnownPost)
	return end
}

// pastPostAdjectives skips the adjectives after a post ("السابق",
// "acting") from token q.
func pastPostAdjectives(toks []segment.Token, q int) int {
	for q < len(toks) && toks[q].HasForm(postAdjectives) {
		q++
	}
	return q
}

// accusativePost reports an Arabic post in the accusative ("محافظا",
// "نائبًا"): the person before it is named to it.
func accusativePost(toks []segment.Token, k int) bool {
	if k >= len(toks) || !toks[k].Arabic || !strings.HasSuffix(toks[k].Key, "ا") {
		return false
	}
	_, _, ok := positionAt(toks, k)
	return ok
}

// skipPostOf skips "of the Secretary-General" after a post: the office
// it answers to, which names no organisation of its own.
func skipPostOf(toks []segment.Token, q int) int {
	if q+1 < len(toks) && toks[q].Key == "of" {
		r := q + 1
		if toks[r].Key == "the" {
			r++
		}
		if _, end, ok := positionAt(toks, r); ok {
			return end
		}
	}
	return q
}

// skipAside skips a parenthesised aside of a few words after a name: "(المعروف
// بـ”غنيوة”)", "(known as Ghneiwa)".
func skipAside(toks []segment.Token, k int) int { return skipBracketed(toks, k, 8) }

// skipParenthesis skips a short parenthesised acronym: "(GNU)".
func skipParenthesis(toks []segment.Token, k int) int { return skipBracketed(toks, k, 4) }

// skipBracketed skips a parenthesis of at most n tokens opening at k.
func skipBracketed(toks []segment.Token, k, n int) int {
	if k < len(toks) && toks[k].Text == "(" {
		for j := k + 1; j < len(toks) && j <= k+n; j++ {
			if toks[j].Text == ")" {
				return j + 1
			}
		}
	}
	return k
}

// beforeAcronym is the "(" of a short parenthesis closing right before
// token q ("the High State Council (HSC) under", "Council’s (PC)
// decision"), or q when there is none.
func beforeAcronym(toks []segment.Token, q int) int {
	if q > 0 && toks[q-1].Text == ")" {
		for p := q - 2; p >= 0 && p >= q-5; p-- {
			if toks[p].Text == "(" {
				return p
			}
		}
	}
	return q
}

// postAt reads POSITION [connectors] ORG at token k.
func (x *extraction) postAt(st *sentenceState, k int) (*mention, *position, bool) {
	toks := st.s.Tokens
	pos, end, ok := positionAt(toks, k)
	if !ok {
		return nil, pos, false
	}
	q := end
	for n := 0; n < 2 && q < len(toks) && !toks[q].Arabic && toks[q].KeyIn(connectors); n++ {
		q++
	}
	for q < len(toks) && toks[q].Arabic && toks[q].HasForm(postAdjectives) {
		q++ // "محافظ جديد للمصرف"
	}
	// "an adviser to the head of the Presidential Council", «مستشار رئيس
	// المجلس الرئاسي»: the post of the body's head.
	r := q
	if r < len(toks) && toks[r].Key == "to" {
		r++
		if r < len(toks) && toks[r].Key == "the" {
			r++
		}
	}
	if _, e2, ok := positionAt(toks, r); ok && st.mentionAt(r) == nil {
		q = e2
		for n := 0; n < 2 && q < len(toks) && !toks[q].Arabic && toks[q].KeyIn(connectors); n++ {
			q++
		}
	}
	limit := q
	if pos.filler {
		limit = q + 2
	}
	for ; q <= limit && q < len(toks); q++ {
		if m := st.mentionAt(q); m != nil {
			if m.ent.kind == graph.KindOrganization || m.ent.kind == graph.KindGroup {
				return m, pos, true
			}
			return nil, pos, false
		}
		if toks[q].Punct {
			break
		}
	}
	return nil, pos, false
}

// holds records HOLDS_POSITION (or MEMBER_OF for members) and marks the
// organisation as qualifying the person.
func (x *extraction) holds(st *sentenceState, p, org *mention, pos *position, start, end int, conf float64, rule string) {
	org.appos = true
	if pos.member {
		if rule == ruleApposition {
			rule = ruleAppositionMember
		}
		x.relate(graph.MemberOf, p.ent, org.ent, "", "", st.s, start, end, rule, conf)
		return
	}
	title := pos.title
	if pos.head && org.ent.entry != nil && org.ent.entry.HeadTitle != "" {
		title = org.ent.entry.HeadTitle
	}
	x.relate(graph.HoldsPosition, p.ent, org.ent, "", title, st.s, start, end, rule, conf)
}

// groupPlaces: a group named with its place is based there; forces named
// after their commander ("Khalifa Haftar's forces") are commanded by him.
func (x *extraction) groupPlaces(st *sentenceState) {
	for _, m := range st.ms {
		if m.ent == nil || m.inner == nil || m.inner.ent == nil {
			continue
		}
		switch {
		case m.group != nil && m.ent.kind == graph.KindGroup:
			x.relate(graph.BasedIn, m.ent, m.inner.ent, "", "", st.s, m.start, m.end, ruleGroupPlace, confGroupPlace)
		case m.rule == ruleForces && m.inner.ent.kind == graph.KindPerson:
			x.relate(graph.HoldsPosition, m.inner.ent, m.ent, "", "commander", st.s, m.start, m.end, ruleForces, confAppositionLoose)
		}
	}
}

// affiliations: "جهاز دعم الاستقرار التابع للمجلس الرئاسي", "اللواء 444
// واللواء 111 التابعين لوزارة الدفاع", "a brigade affiliated with the
// Ministry of Defence" (MEMBER_OF); "ORG based in PLACE", "ومقره طرابلس"
// (BASED_IN).
func (x *extraction) affiliations(st *sentenceState) {
	toks := st.s.Tokens
	for k := 0; k < len(toks); k++ {
		if !st.free(k) || !isWord(&toks[k]) {
			continue
		}
		p, end, ok := longestAt(toks, k, affiliationCues)
		if !ok {
			continue
		}
		q := end
		if q < len(toks) && toks[q].Key == "the" {
			q++
		}
		target := st.mentionAt(q)
		if target == nil {
			continue
		}
		typ, want := graph.MemberOf, graph.KindOrganization
		if p.value == "based" {
			typ, want = graph.BasedIn, graph.KindPlace
		}
		if target.ent.kind != want {
			continue
		}
		// The members: the mention ending right before the cue and those
		// coordinated with it.
		c := k
		if c > 0 && (toks[c-1].Text == "،" || toks[c-1].Text == ",") {
			c--
		}
		for n := 0; n < 4; n++ {
			m := st.byTailAny.at(c)
			if m == nil || m.ent == nil || m.ent == target.ent || !(m.ent.kind == graph.KindOrganization || m.ent.kind == graph.KindPerson && typ == graph.MemberOf) {
				break
			}
			x.relate(typ, m.ent, target.ent, "", "", st.s, m.start, target.end, ruleAffiliation, confAppositionLoose)
			c = m.ext
			if c > 0 && (toks[c-1].Text == "،" || toks[c-1].Text == "," || toks[c-1].Key == "and") {
				c--
			} else if !(toks[m.ext].Arabic && strings.HasPrefix(toks[m.ext].Fold, "و")) {
				break
			}
		}
		k = end - 1
	}
}

// controls: "the SSA, which controls the southern district of Abu Salim",
// "the Radaa Force controls Mitiga airport": where an armed group holds
// ground is where it is based.
func (x *extraction) controls(st *sentenceState) {
	toks := st.s.Tokens
	for k := 1; k < len(toks); k++ {
		if !st.free(k) || !toks[k].HasForm(controlVerbs) {
			continue
		}
		var org *mention
		if toks[k-1].HasForm(relativeWords) {
			q := k - 1
			if q > 0 && (toks[q-1].Text == "," || toks[q-1].Text == "،") {
				q--
			}
			if q > 0 && toks[q-1].Text == ")" {
				for q > 0 && toks[q-1].Text != "(" {
					q--
				}
				q--
			}
			org = st.byTailAny.at(q) // also an organisation a post names: "leader of the SSA which controls"
		} else {
			org = x.subjectOf(st, k)
		}
		if org == nil || org.ent.kind != graph.KindOrganization {
			continue
		}
		for q := k + 1; q < len(toks) && q <= k+10; q++ {
			if toks[q].Punct && toks[q].Break() && toks[q].Text != "," {
				break
			}
			if m := st.covered.at(q); m != nil && m.ent != nil {
				if m.ent.kind == graph.KindPlace {
					x.relate(graph.BasedIn, org.ent, m.ent, "", "", st.s, org.start, m.end, ruleAffiliation, confAppositionLoose)
				}
				q = m.last - 1
			}
		}
	}
}

// basedModifiers: "the Tripoli-based council" → the council is based in
// Tripoli.
func (x *extraction) basedModifiers(st *sentenceState) {
	for _, m := range st.ms {
		if m.modifier != "based" || m.ent == nil || m.ent.kind != graph.KindPlace {
			continue
		}
		org := st.mentionAt(m.last)
		if org == nil || org.ent.kind != graph.KindOrganization {
			continue
		}
		x.relate(graph.BasedIn, org.ent, m.ent, "", "", st.s, m.start, org.end, ruleAffiliation, confAppositionLoose)
	}
}

// free reports a token outside every name.
func (st *sentenceState) free(k int) bool { return st.covered.posAt(k) == 0 }

// eventTriggers holds every word the switch in events looks for, so that
// the many words that trigger nothing cost one test.
var eventTriggers = func() *segment.Class {
	classes := []*segment.Class{agreementNouns, meetingNouns, agreeVerbs, meetVerbs, hostVerbs}
	for _, ek := range genericKinds {
		classes = append(classes, ek.nouns, ek.verbs)
	}
	return lexicon.Union(classes...)
}()

// events finds agreement and meeting triggers and their participants.
func (x *extraction) events(st *sentenceState) {
	toks := st.s.Tokens
	for k := 0; k < len(toks); k++ {
		t := &toks[k]
		if !isWord(t) || !st.free(k) || !t.HasForm(eventTriggers) {
			continue
		}
		switch {
		case t.HasForm(agreementNouns):
			x.eventNoun(st, k, evAgreement)
		case t.HasForm(meetingNouns):
			x.eventNoun(st, k, evMeeting)
		case t.HasForm(agreeVerbs):
			x.eventVerb(st, k, evAgreement, "party", ruleAgreementVerb)
		case t.HasForm(meetVerbs):
			x.eventVerb(st, k, evMeeting, "party", ruleMeetingVerb)
		case t.HasForm(hostVerbs):
			x.eventVerb(st, k, evMeeting, "host", ruleMeetingHost)
		default:
			for _, ek := range genericKinds {
				if t.HasForm(ek.nouns) {
					x.eventNounOf(st, k, ek)
					break
				}
				if t.HasForm(ek.verbs) {
					x.eventVerbOf(st, k, ek.typ, ek.subject, ek.object, ruleEventVerb)
					break
				}
			}
		}
	}
	// "وشارك في الاجتماع X", "X attended the meeting": the subject took
	// part in the event the sentence names.
	for k := 0; k < len(toks); k++ {
		t := &toks[k]
		if !isWord(t) || !st.free(k) || !(t.HasForm(joinVerbs) || t.Key == "took" && k+1 < len(toks) && toks[k+1].Key == "part") {
			continue
		}
		ref := nearestRef(st, k)
		if ref == nil {
			continue
		}
		var ms []*mention
		if t.Arabic {
			a := k + 1
			if ref.tok > k && ref.tok <= k+3 {
				a = ref.last // "وحضر الاجتماع X", "وشارك في الاجتماع X"
			}
			if m := st.byTail.at(k); m != nil && (k == 0 || !strings.HasPrefix(t.Fold, "و")) {
				ms = []*mention{m} // "أن الككلي حضر … لحضور اجتماع": the subject before the verb
			} else {
				ms = x.window(st, a, x.stopAfter(st, a))
			}
		} else {
			ms = x.subjects(st, k)
		}
		// Who attended is an attendee; who took part, a party.
		role := "party"
		if t.HasForm(attendVerbs) {
			role = "attendee"
		}
		for _, m := range ms {
			start, end := min(ref.start, m.start, t.Start), max(ref.end, m.end)
			x.relate(graph.ParticipatedIn, m.ent, ref.ev, role, "", st.s, start, end, ruleAttendance, confAttendance)
			st.parties[m.ent] = true
		}
	}
}

// part is a participant found by a rule, with the span that shows it.
type part struct {
	m    *mention
	role string
}

// eventNoun handles "اتفاق"/"اجتماع"/"agreement"/"meeting" at k.
func (x *extraction) eventNoun(st *sentenceState, k int, typ string) {
	x.eventNounOf(st, k, kindByType[typ])
}

// eventNounOf handles a noun of the event kind at k.
func (x *extraction) eventNounOf(st *sentenceState, k int, ek *eventKind) {
	typ := ek.typ
	toks := st.s.Tokens
	start := k
	if k > 0 && toks[k-1].HasForm(determiners) && toks[k-1].Key != "the" {
		start = k - 1 // "هذا الاتفاق"
	}
	var parts []part
	rule, conf := "", 0.0
	// "بين A و B" within two words.
	for q, n := k+1, 0; q < len(toks) && n < 4; q, n = q+1, n+1 {
		if m := st.covered.at(q); m != nil && m.ent != nil && m.ent.kind == graph.KindPlace {
			q = m.last - 1 // "اجتماع في سرت بين …"
			continue
		}
		if toks[q].Punct || !st.free(q) {
			break
		}
		if toks[q].HasForm(between) {
			for _, m := range x.window(st, q+1, x.stopAfter(st, q+1)) {
				parts = append(parts, part{m, "party"})
			}
			// "المفاوضات بين الجانبين", "talks between the two sides":
			// the parties of the report's latest agreement or meeting.
			if _, e, ok := longestAt(toks, q+1, sides); ok && len(parts) == 0 {
				if ante := x.latestWithParties(); ante != nil {
					for _, p := range x.coreParticipants(ante) {
						parts = append(parts, part{x.newMention(mention{ent: p, start: toks[q+1].Start, end: toks[e-1].End}), "party"})
					}
				}
			}
			rule, conf = ruleEventBetween, confBetween
			switch typ {
			case evAgreement:
				rule = ruleAgreementBetween
			case evMeeting:
				rule = ruleMeetingBetween
			}
			break
		}
	}
	// "توصل A و B إلى اتفاق", "A reached an agreement with B".
	if len(parts) == 0 && typ == evAgreement {
		if r := x.verbBefore(st, k, reachVerbs); r >= 0 {
			var ms []*mention
			if toks[r].Arabic {
				ms = x.window(st, r+1, k)
			} else {
				ms = x.subjects(st, r)
			}
			ms = append(ms, x.withChain(st, k+1)...)
			for _, m := range ms {
				parts = append(parts, part{m, "party"})
			}
			rule, conf = ruleAgreementReached, confReached
		}
	}
	// "A held a meeting", "عقدت اللجنة اجتماعا", "عقد مجلس النواب جلسة".
	if len(parts) == 0 && (typ == evMeeting || typ == evSession) {
		if r := x.verbBefore(st, k, holdVerbs); r >= 0 {
			subj := x.subjects(st, r)
			// "عقد X اجتماعا" (the subject ends where the noun begins) or
			// "X held a meeting".
			if n := len(subj); n > 0 && (toks[r].Arabic && subj[n-1].tail >= k-1 || !toks[r].Arabic && k-r <= 3) {
				role := "party"
				if typ == evSession {
					role = "host" // the body sits; who chairs or speaks is named otherwise
				}
				for _, m := range subj {
					parts = append(parts, part{m, role})
				}
				for _, m := range x.withChain(st, k+1) {
					parts = append(parts, part{m, "party"})
				}
				rule, conf = ruleMeetingHeld, confVerb
				if typ == evSession {
					rule = ruleEventHeld
				}
			}
		}
	}
	// "يعقد مجلس النواب اليوم في مقره بمدينة بنغازي جلسته": the Arabic
	// verb takes its subject first, the object may come many words later.
	if len(parts) == 0 && typ == evSession {
		if r := x.verbBeforeWithin(st, k, holdVerbs, maxWindow); r >= 0 && toks[r].Arabic {
			if m := st.mentionAt(nextWord(toks, r+1)); actor(m) {
				parts = append(parts, part{m, "host"})
				rule, conf = ruleEventHeld, confVerb
				defer x.placeBetween(st, r, k)
			}
		}
	}
	// "اجتماعا موسعا ضم X و Y", "a meeting that brought together X and Y".
	if len(parts) == 0 {
		for q := k + 1; q < len(toks) && q <= k+3; q++ {
			if !st.free(q) || toks[q].Punct && toks[q].Break() {
				break
			}
			if toks[q].HasForm(includeVerbs) || toks[q].Key == "brought" && q+1 < len(toks) && toks[q+1].Key == "together" {
				a := q + 1
				if toks[q].Key == "brought" {
					a++
				}
				for _, m := range x.window(st, a, x.stopAfter(st, a)) {
					parts = append(parts, part{m, "party"})
				}
				rule, conf = ruleIncluded, confBetween
				break
			}
		}
	}
	// Headline "اتفاق حفتر وقيادات مصراتة": an indefinite Arabic noun
	// followed by names. ("الاجتماع X" is object and subject of a verb.)
	// "تقدم X إحاطة إلى مجلس الأمن", "X presented a briefing to the
	// Security Council".
	if len(parts) == 0 && ek.to != "" {
		if r := x.verbBeforeWithin(st, k, presentVerbs, maxWindow); r >= 0 {
			var ms []*mention
			if toks[r].Arabic {
				// "تقدم الممثلة الخاصة …، هانا تيتيه، غدا إحاطة": the
				// person the verb introduces.
				for _, m := range x.window(st, r+1, k) {
					if m.ent.kind == graph.KindPerson {
						ms = append(ms, m)
						break
					}
				}
			} else {
				ms = x.subjects(st, r)
			}
			for _, m := range ms {
				parts = append(parts, part{m, ek.subject})
			}
		} else if possessive(&toks[k]) {
			// "خلال إحاطتها أمام مجلس الأمن": her briefing, the person
			// the sentence is about.
			for _, m := range st.ms {
				if m.ext < k && actor(m) && m.ent.kind == graph.KindPerson {
					parts = append(parts, part{m, ek.subject})
					break
				}
			}
		}
		for q := k + 1; q < len(toks) && q <= k+4; q++ {
			if toks[q].Punct && toks[q].Break() || !st.free(q) {
				break
			}
			if toks[q].HasForm(toWords) {
				for _, m := range x.chain(st, q+1) {
					parts = append(parts, part{m, ek.to})
				}
				break
			}
		}
		if len(parts) > 0 {
			rule, conf = ruleEventVerb, confVerb
		}
	}
	if len(parts) == 0 && toks[k].Arabic && !toks[k].Def {
		for _, m := range x.chain(st, k+1) {
			parts = append(parts, part{m, ek.of})
		}
		rule, conf = ruleEventNamed, confConstruct
		switch typ {
		case evAgreement:
			rule = ruleAgreementNamed
		case evMeeting:
			rule = ruleMeetingNamed
		}
	}
	// "الهجوم على X", "the attack on X", "the killing of X", "the visit
	// of X": the names after a preposition.
	if len(parts) == 0 && typ != evAgreement && typ != evMeeting {
		q := k + 1
		if q < len(toks) && toks[q].HasForm(objectPreps) && st.free(q) && (toks[q].Key == "of" || ek.of == "target") {
			for _, m := range x.chain(st, q+1) {
				parts = append(parts, part{m, ek.of})
			}
			rule, conf = ruleEventNamed, confConstruct
		}
		// "the joint appointment by the HoR and the HCS of …", "the attack
		// by the 444 Brigade on …": who acted.
		if q < len(toks) && toks[q].Key == "by" && st.free(q) {
			for _, m := range x.chain(st, q+1) {
				parts = append(parts, part{m, ek.subject})
			}
			rule, conf = ruleEventNamed, confConstruct
		}
	}
	if len(parts) == 0 && ek.needsParts {
		return
	}
	ref := x.refer(st, typ, start, k+1, parts)
	x.participate(st, ref, parts, rule, conf)
}

// eventVerb handles "اتفق"/"التقى"/"استقبل"/"agreed"/"met" at k: the subject
// takes role, objects after "مع"/"ب"/"with" are parties.
func (x *extraction) eventVerb(st *sentenceState, k int, typ, role, rule string) {
	x.eventVerbOf(st, k, typ, role, kindByType[typ].object, rule)
}

// eventVerbOf handles a verb whose subject takes role and whose objects
// take object.
func (x *extraction) eventVerbOf(st *sentenceState, k int, typ, role, object, rule string) {
	toks := st.s.Tokens
	if x.sidesVerb(st, k, typ) {
		return
	}
	var parts []part
	if toks[k].Arabic {
		stop := x.stopAfter(st, k+1)
		if kindByType[typ].needsParts {
			// "التشكيلات التي دخلت العاصمة، وستشرف لجنة …": the verb's
			// own clause, and not after a relative pronoun (its subject
			// came before).
			if k > 0 && toks[k-1].HasForm(relatives) {
				return
			}
			stop = min(stop, clauseEnd(toks, k+1))
		}
		ms := x.window(st, k+1, stop)
		for n, m := range ms {
			r := object
			if n == 0 && !(m.ext > 0 && toks[m.ext-1].HasForm(premises)) {
				r = role // not «اقتحمت قوات مقر المصرف»: what was stormed
			}
			parts = append(parts, part{m, r})
		}
	} else {
		subj := x.subjects(st, k)
		passive := k > 0 && toks[k-1].HasForm(passives)
		if passive && (typ == evAgreement || typ == evMeeting) {
			passive = false // "the plan was agreed with …" names no parties
		}
		if passive {
			subj = x.subjects(st, k-1)
		}
		if len(subj) == 0 && !passive && k > 0 && toks[k-1].Key == "to" && typ != evAgreement && typ != evMeeting {
			// "the council's decision to oust X": the object only; who
			// decided comes from the decision (decisions).
			for _, m := range x.chain(st, k+1) {
				parts = append(parts, part{m, object})
			}
			if len(parts) > 0 {
				ref := x.refer(st, typ, k, k+1, parts)
				x.participate(st, ref, parts, rule, confVerb)
			}
			return
		}
		if len(subj) == 0 && !passive && object != "target" {
			return // "the plan was agreed with …": no subject, no event
		}
		if passive {
			// "al-Kikli was killed by …": the subject is the object.
			for _, m := range subj {
				parts = append(parts, part{m, object})
			}
			if q := k + 1; q < len(toks) && toks[q].Key == "by" {
				for _, m := range x.chain(st, q+1) {
					parts = append(parts, part{m, role})
				}
			}
		} else {
			// "militias raided the CBL headquarters": the target, though
			// the attackers are not named.
			for _, m := range subj {
				parts = append(parts, part{m, role})
			}
			for _, m := range x.objectsAfter(st, k) {
				parts = append(parts, part{m, object})
			}
		}
	}
	if len(parts) == 0 {
		return
	}
	ref := x.refer(st, typ, k, k+1, parts)
	x.participate(st, ref, parts, rule, confVerb)
	if typ == evVisit {
		x.visited(st, ref, k)
	}
}

// visited: the place a visit verb takes as object is where the visit
// happened: "زار الدبيبة مدينة مصراتة", "Saleh visited Cairo".
func (x *extraction) visited(st *sentenceState, ref *eventRef, k int) {
	toks := st.s.Tokens
	for q := k + 1; q < len(toks) && q <= k+8; q++ {
		if toks[q].Punct && toks[q].Break() {
			return
		}
		m := st.covered.at(q)
		if m == nil || m.ent == nil {
			if toks[q].HasForm(cityWords) || toks[q].Key == "the" {
				continue
			}
			if !toks[q].Punct {
				return
			}
			continue
		}
		if m.ent.kind == graph.KindPlace {
			x.relate(graph.OccurredIn, ref.ev, m.ent, "", "", st.s, ref.start, m.end, ruleEventVerb, confLocation)
			return
		}
		q = m.last - 1 // the visitor, in Arabic
	}
}

// sidesVerb handles "اتفق الطرفان على …", "the two sides agreed": the
// subject names the core participants of the meeting or agreement the
// article is about, who become parties of this event.
func (x *extraction) sidesVerb(st *sentenceState, k int, typ string) bool {
	toks := st.s.Tokens
	var from, end int
	ok := false
	if toks[k].Arabic {
		from = nextWord(toks, k+1)
		_, end, ok = longestAt(toks, from, sides)
	} else {
		for q := max(0, k-4); q < k && !ok; q++ {
			if _, e, found := longestAt(toks, q, sides); found && (e == k || toks[e].KeyIn(auxiliaries) && e+1 == k) {
				ok, from, end = true, q, e
			}
		}
	}
	if !ok {
		return false
	}
	ante := x.latestWithParties()
	if ante == nil {
		return true
	}
	ps := x.coreParticipants(ante)
	var parts []part
	for _, p := range ps {
		parts = append(parts, part{x.newMention(mention{ent: p, start: toks[k].Start, end: toks[k].End}), "party"})
	}
	ref := x.refer(st, typ, k, k+1, parts)
	start, stop := min(toks[k].Start, toks[from].Start), max(toks[k].End, toks[end-1].End)
	for _, p := range ps {
		x.relate(graph.ParticipatedIn, p, ref.ev, "party", "", st.s, start, stop, ruleSides, confConstruct)
	}
	return true
}

// latestWithParties is the meeting or agreement the report named last that
// has participants: what "the two sides" refers to.
func (x *extraction) latestWithParties() *entity {
	var ante *entity
	for _, t := range []string{evMeeting, evAgreement} {
		if l := x.latest[t]; l != nil && len(x.coreParticipants(l)) > 0 && (ante == nil || l.seq > ante.seq) {
			ante = l
		}
	}
	return ante
}

// refer finds or creates the event a trigger refers to: one with a
// participant in common, or, for a trigger without participants, the event
// of that type most recently referred to.
func (x *extraction) refer(st *sentenceState, typ string, tok, last int, parts []part) *eventRef {
	toks := st.s.Tokens
	start, end := toks[tok].Start, toks[last-1].End
	var ev *entity
	if len(parts) == 0 {
		ev = x.latest[typ]
	} else {
		for n := len(x.all) - 1; n >= 0 && ev == nil; n-- {
			e := x.all[n]
			if e.kind != graph.KindEvent || e.eventType != typ {
				continue
			}
			for _, p := range parts {
				if x.isParticipant(e, p.m.ent) {
					ev = e
					break
				}
			}
		}
	}
	// A headline or first mention without participants ("اجتماع متابعة
	// في سرت") is the event the following sentence describes.
	if ev == nil && len(parts) > 0 {
		if l := x.latest[typ]; l != nil && len(x.participants(l)) == 0 {
			ev = l
		}
	}
	if ev == nil {
		ev = x.newEvent(typ, start)
	}
	x.latest[typ] = ev
	x.addMention(ev, start, end)
	ref := eventRef{ev: ev, tok: tok, last: last, start: start, end: end}
	st.refs = append(st.refs, ref)
	return &st.refs[len(st.refs)-1]
}

func (x *extraction) isParticipant(ev, a *entity) bool {
	k := draftKey{graph.ParticipatedIn, a, ev, "party"}
	if x.draftIdx[k] != nil {
		return true
	}
	for _, role := range []string{"host", "speaker", "mediator", "target"} {
		if x.draftIdx[draftKey{graph.ParticipatedIn, a, ev, role}] != nil {
			return true
		}
	}
	return false
}

func (x *extraction) participate(st *sentenceState, ref *eventRef, parts []part, rule string, conf float64) {
	for _, p := range parts {
		if ref.ev.eventType == evAppointment && p.role == "target" && p.m.ent.kind != graph.KindPerson {
			continue // "replace the CBL leadership": people are appointed, not banks
		}
		start, end := min(ref.start, p.m.start), max(ref.end, p.m.end)
		x.relate(graph.ParticipatedIn, p.m.ent, ref.ev, p.role, "", st.s, start, end, rule, conf)
		st.parties[p.m.ent] = true
	}
}

// Bounds on the rules' reach, so a run-on "sentence" of thousands of words
// (no punctuation) costs linear time and yields no absurd lists.
const (
	maxWindow  = 40 // tokens a list of participants may span
	maxParties = 8  // participants one phrase may name
)

// window returns the actors whose construction starts in tokens [a, b).
func (x *extraction) window(st *sentenceState, a, b int) []*mention {
	b = min(b, a+maxWindow)
	var out []*mention
	seen := map[*entity]bool{}
	for k := a; k < b && len(out) < maxParties; k++ {
		m := st.byExt.at(k)
		if actor(m) && !seen[m.ent] && !(state(m.ent) && locative(st.s.Tokens, m)) {
			seen[m.ent] = true
			out = append(out, m)
		}
	}
	return out
}

// asWellAs adds to a list what is not of its kind: "the two sides, as well
// as the UN envoy".
var asWellAs = concat(phrases("", "as well as", "in addition to", "إضافة إلى", "بالإضافة إلى", "فضلا عن"))

// longWindow is window over a list that may run past one window when no
// word ends it: "in the presence of the two parties from … and their
// counterparts …, as well as the Acting Head of … Stephanie Koury".
func (x *extraction) longWindow(st *sentenceState, a int) []*mention {
	var out []*mention
	for n := 0; n < 2 && a < len(st.s.Tokens); n++ {
		stop := x.stopAfter(st, a)
		out = append(out, x.window(st, a, stop)...)
		if stop < a+maxWindow {
			break // a word ended the list
		}
		a = stop
	}
	return out
}

// stopAfter is the first token from a on that ends a list of parties.
func (x *extraction) stopAfter(st *sentenceState, a int) int {
	toks := st.s.Tokens
	end := min(len(toks), a+maxWindow)
	for k := a; k < end; k++ {
		if st.free(k) && isWord(&toks[k]) && (toks[k].KeyIn(partyStops) || toks[k].HasForm(speechVerbs) ||
			eventNounKind(&toks[k]) != nil) {
			return k
		}
	}
	return end
}

// verbBefore finds a verb of the set within ten tokens before k.
func (x *extraction) verbBefore(st *sentenceState, k int, verbs *segment.Class) int {
	return x.verbBeforeWithin(st, k, verbs, 10)
}

// placeBetween: "يعقد مجلس النواب … في مقره بمدينة بنغازي جلسته": the place
// between the verb and the event it names is where the event happens.
func (x *extraction) placeBetween(st *sentenceState, r, k int) {
	toks := st.s.Tokens
	ref := nearestRef(st, k, evSession)
	if ref == nil {
		return
	}
	for q := r + 1; q < k; q++ {
		m := st.covered.at(q)
		if m == nil || m.ent == nil || m.ent.kind != graph.KindPlace || m.ext != q {
			continue
		}
		if p := q - 1; strings.HasPrefix(toks[q].Fold, "ب") || p > r && (toks[p].Key == "في" || toks[p].HasForm(cityWords)) {
			x.relate(graph.OccurredIn, ref.ev, m.ent, "", "", st.s, toks[q].Start, ref.end, ruleLocation, confLocation)
			return
		}
	}
}

// possessive reports an Arabic noun with a possessive suffix ("إحاطتها").
func possessive(t *segment.Token) bool {
	return t.Arabic && (strings.HasSuffix(t.Key, "تها") || strings.HasSuffix(t.Key, "ته"))
}

// verbBeforeWithin finds a verb of the set within n tokens before k.
func (x *extraction) verbBeforeWithin(st *sentenceState, k int, verbs *segment.Class, n int) int {
	toks := st.s.Tokens
	for q := k - 1; q >= 0 && q >= k-n; q-- {
		if st.free(q) && isWord(&toks[q]) && toks[q].HasForm(verbs) {
			return q
		}
		if st.free(q) && isWord(&toks[q]) && eventNounKind(&toks[q]) != nil {
			return -1
		}
	}
	return -1
}

// auxiliaries may stand between an English subject and its verb.
var auxiliaries = set("has", "have", "had", "will", "would", "also", "reportedly", "later", "then", "did", "could", "may", "might", "finally", "jointly", "both")

// inversions are English verbs that may follow a quote with the speaker
// after them: '"…," said Haftar'.
var inversions = set("said", "says", "added", "stated")

// subjectOf is the actor right after (Arabic, verb first) or right before
// (English) the verb at k.
func (x *extraction) subjectOf(st *sentenceState, k int) *mention {
	toks := st.s.Tokens
	after := st.mentionAt(nextWord(toks, k+1))
	if participle(toks, k) {
		// "…, denying abandoning its role", «…، مؤكدا أن»: the subject
		// of the sentence speaks.
		for _, m := range st.ms {
			if m.ext >= k {
				break
			}
			if actor(m) {
				return m
			}
		}
		return nil
	}
	if !toks[k].Arabic {
		// English: "X said", "X has reached"; or '…," said X'.
		q := k
		for q > 0 && (toks[q-1].KeyIn(auxiliaries) || toks[q-1].HasForm(passives) || adverb(&toks[q-1])) && st.free(q-1) {
			q-- // "had reportedly been invited"
		}
		if p := beforeAcronym(toks, q); p != q { // "The House of Representatives (HoR) also issued"
			if m := st.byTail.at(p); m != nil {
				return m
			}
		}
		if m := st.byTail.at(q); m != nil {
			if org := x.headedBefore(st, m); org != nil {
				return org // "the HSC under Khalid al-Mishri issued": the council
			}
			return m
		}
		// "defense ministry forces entering": the forces act for the body.
		if q > 0 && toks[q-1].HasForm(forcesWords) && st.free(q-1) {
			if m := st.byTail.at(q - 1); m != nil && m.ent.kind == graph.KindOrganization {
				return m
			}
		}
		// "the government based in Tripoli has reached": past the place.
		if pl := st.byTailAny.at(q); pl != nil && pl.ent.kind == graph.KindPlace && pl.ext > 0 && toks[pl.ext-1].KeyIn(locatives) {
			p := pl.ext - 1
			if p > 0 && toks[p-1].Key == "based" {
				p--
			}
			if m := st.byTail.at(p); m != nil {
				return m
			}
		}
		if k > 0 && toks[k].KeyIn(inversions) && (toks[k-1].Text == "," || toks[k-1].Transparent()) && actor(after) {
			return after
		}
		// "Ziyad Deghem, an adviser to the head of the council, said":
		// the actor before the comma that opens the apposition.
		if q > 0 && toks[q-1].Text == "," {
			// "The spokesman for the HoR, Abdullah Blehiq, announced": the
			// name right before the comma is the subject itself.
			if m := st.byTail.at(q - 1); m != nil && m.ent.kind == graph.KindPerson {
				return m
			}
			for c := q - 2; c > 0 && c >= q-30; c-- {
				if toks[c].Text == "," {
					if m := st.byTail.at(c); m != nil {
						return m
					}
					// "Al-Kikli, leader of the SSA which controls Abu
					// Salim, was killed": the apposition took the tail.
					if m := st.covered.at(c - 1); actor(m) && m.last == c && m.ent.kind == graph.KindPerson {
						return m
					}
				}
				if toks[c].Punct && toks[c].Break() && toks[c].Text != "," && toks[c].Text != "(" && toks[c].Text != ")" {
					break
				}
			}
		}
		return nil
	}
	a := nextWord(toks, k+1)
	if a+1 < len(toks) && toks[a].Key == "كل" && toks[a+1].Key == "من" {
		a = nextWord(toks, a+2) // "ورفض كل من مجلس النواب والمجلس الأعلى"
		after = st.mentionAt(a)
	}
	if actor(after) {
		return after
	}
	if m := x.sourceIn(st, a); m != nil {
		return m
	}
	// "قال محافظ مصرف ليبيا المركزي ناجي عيسى": post, organisation, person
	// (a phrase may stand between: "ممثل المجلس الرئاسي في أزمة المركزي X").
	if org, _, ok := x.postAt(st, a); ok {
		for q := skipParenthesis(toks, org.last); q < len(toks) && q <= org.last+6; q++ {
			if p := st.mentionAt(q); p != nil {
				if p.ent.kind == graph.KindPerson {
					return p
				}
				break
			}
			if toks[q].Punct && toks[q].Break() && toks[q].Text != "،" && toks[q].Text != "," {
				break
			}
		}
	}
	return st.byTail.at(k)
}

// addressedCouncil: "El-Sonni warned the Security Council": speaking to a
// council in person is speaking at its session (a letter is not).
func (x *extraction) addressedCouncil(st *sentenceState, k int, sp, m *mention) {
	t := &st.s.Tokens[k]
	if !t.HasForm(addressVerbs) || m.ent.kind != graph.KindOrganization || !slices.Contains(x.headsOf(m.ent), "council") {
		return
	}
	parts := []part{{m, "host"}, {sp, "speaker"}}
	ref := x.refer(st, evSession, k, k+1, parts)
	x.participate(st, ref, parts, ruleAddressedCouncil, confAttendance)
}

// duringWords put a statement inside an event: "said during the
// session", «وأكد صالح خلال الجلسة», «في ختام جلسة اليوم».
var duringWords = set("during", "at", "خلال", "أثناء", "ختام")

// spokeDuring: the speaker of a statement made during an event the
// sentence names spoke at it.
func (x *extraction) spokeDuring(st *sentenceState, k int, sp *mention) {
	for _, r := range st.refs {
		if !placed(r.ev) || r.tok-k > maxWindow || k-r.tok > maxWindow || r.tok > k && reported(st.s.Tokens, k, r.tok) {
			continue
		}
		if p := during(st, &r); p >= 0 {
			x.relate(graph.ParticipatedIn, sp.ent, r.ev, "speaker", "", st.s, min(st.s.Tokens[p].Start, sp.start), max(r.end, sp.end), ruleSpokeDuring, confAttendance)
			return
		}
	}
}

// complementizers open what a statement says: "stated that …", «أكد أن».
var complementizers = set("that", "أن", "إن", "بأن")

// reported reports a complementizer between tokens a and b: what stands
// after it is said, not the circumstance of saying it.
func reported(toks []segment.Token, a, b int) bool {
	for q := a + 1; q < b; q++ {
		if toks[q].HasForm(complementizers) {
			return true
		}
	}
	return false
}

// during is the token of the word that puts the event of r around what
// the sentence says ("during the HoR session", "during her briefing",
// «خلال الجلسة»), or -1.
func during(st *sentenceState, r *eventRef) int {
	toks := st.s.Tokens
	for p, n := r.tok-1, 0; p >= 0 && n < 4; p, n = p-1, n+1 {
		if toks[p].HasForm(duringWords) && st.free(p) && !(p > 0 && toks[p-1].Key == "من") { // «من خلال»: through
			return p
		}
		if toks[p].Punct && toks[p].Break() {
			break
		}
	}
	return -1
}

// statementSubject reports a statement noun as the subject of the speech
// verb at k: «ونفى البيان», «وجاء في البيان», "the statement said".
func statementSubject(toks []segment.Token, k int) bool {
	if toks[k].Arabic {
		q := nextWord(toks, k+1)
		if q < len(toks) && toks[q].Key == "في" {
			q = nextWord(toks, q+1)
		}
		return q < len(toks) && toks[q].HasForm(statementNouns)
	}
	q := k - 1
	for q >= 0 && toks[q].KeyIn(auxiliaries) {
		q--
	}
	return q >= 0 && toks[q].HasForm(statementNouns)
}

// adverb reports an English "-ly" adverb: "reportedly", "allegedly".
func adverb(t *segment.Token) bool {
	return !t.Arabic && len(t.Key) > 4 && strings.HasSuffix(t.Key, "ly") && !t.Upper
}

// sourceWords: a source speaks for the body it is in.
var sourceWords = set("مصدر", "مصادر", "source", "sources", "official", "officials", "مسؤول")

// sourceIn reads «مصدر أمني من مديرية أمن طرابلس» at a: the body the
// source speaks from, or nil.
func (x *extraction) sourceIn(st *sentenceState, a int) *mention {
	toks := st.s.Tokens
	if a >= len(toks) || !toks[a].HasForm(sourceWords) || !st.free(a) {
		return nil
	}
	for q := a + 1; q < len(toks) && q <= a+3; q++ {
		if m := st.mentionAt(q); m != nil {
			if m.ent.kind == graph.KindOrganization && (m.skip > 0 || toks[q-1].HasForm(locatives)) {
				return m
			}
			return nil
		}
		if toks[q].Punct || !st.free(q) {
			return nil
		}
	}
	return nil
}

// headedBefore is the organisation before "under"/"led by" when the
// person p is its head named after it ("the High State Council (HSC)
// under Khalid al-Mishri"), or nil.
func (x *extraction) headedBefore(st *sentenceState, p *mention) *mention {
	if p.ent.kind != graph.KindPerson {
		return nil
	}
	toks := st.s.Tokens
	for c := p.ext - 1; c >= 0 && c >= p.ext-3; c-- {
		if _, end, ok := longestAt(toks, c, headedBy); ok && end == p.ext {
			if org := st.byTail.at(beforeAcronym(toks, c)); org != nil && org.ent.kind == graph.KindOrganization {
				return org
			}
			return nil
		}
	}
	return nil
}

// blameVerbs hold someone responsible: "blamed", «حمّل … المسؤولية».
var blameVerbs = set("blamed", "blames", "حمل", "حملت", "يحمل", "تحمل")

// blames reports a verb of blame at k; the Arabic verb only with
// "المسؤولية" after it (حمل is also "carried").
func blames(toks []segment.Token, k int) bool {
	if !toks[k].HasForm(blameVerbs) {
		return false
	}
	return !toks[k].Arabic || wordWithin(toks, k, 4, responsibility)
}

var responsibility = set("المسؤولية", "مسؤولية")

// rejectionNouns make a statement a denial: "its rejection of", «رفضه».
var rejectionNouns = set("rejection", "denial", "رفضه", "رفضها", "رفضهم", "نفيه", "نفيها")

// wordWithin reports a word of the set within n words after k.
func wordWithin(toks []segment.Token, k, n int, words *segment.Class) bool {
	for q := k + 1; q < len(toks) && q <= k+n; q++ {
		if toks[q].Punct && toks[q].Break() {
			return false
		}
		if toks[q].HasForm(words) {
			return true
		}
	}
	return false
}

// statementNear reports a statement noun within three words after k.
func statementNear(toks []segment.Token, k int) bool {
	for q := k + 1; q < len(toks) && q <= k+4; q++ {
		if toks[q].HasForm(statementNouns) {
			return true
		}
	}
	return false
}

// participle reports a speech word in a clause of its own after a comma:
// English "-ing" forms, Arabic accusative participles (مؤكدا، نافيا).
func participle(toks []segment.Token, k int) bool {
	if k == 0 || toks[k-1].Text != "," && toks[k-1].Text != "،" {
		return false
	}
	if toks[k].Arabic {
		return strings.HasSuffix(toks[k].Key, "ا")
	}
	return strings.HasSuffix(toks[k].Key, "ing")
}

// speakersOf is the subject of a speech verb with the actors coordinated
// with it: "ورفض كل من مجلس النواب والمجلس الأعلى للدولة", "the HoR and
// the HCS rejected".
func (x *extraction) speakersOf(st *sentenceState, k int) []*mention {
	first := x.subjectOf(st, k)
	if first == nil {
		return nil
	}
	if !st.s.Tokens[k].Arabic {
		return x.subjects(st, k)
	}
	if ms := x.chain(st, first.ext); len(ms) > 0 && ms[0] == first {
		return ms
	}
	return []*mention{first}
}

// subjects is the subject of the verb at k with the actors coordinated
// before it: "the GNU and the Radaa Force agreed".
func (x *extraction) subjects(st *sentenceState, k int) []*mention {
	m := x.subjectOf(st, k)
	if m == nil {
		return nil
	}
	out := []*mention{m}
	toks := st.s.Tokens
	for {
		q := m.ext - 1
		if q >= 0 && toks[q].Key == "the" {
			q--
		}
		if q < 0 || !(toks[q].Key == "and" || toks[q].Text == "," || toks[q].Text == "&") {
			break
		}
		prev := st.byTail.at(q)
		if prev == nil || len(out) >= maxParties || prev.ext > 0 && toks[prev.ext-1].HasForm(postQualifiers) {
			break // "the representative for Libya, Hanna Tetteh": no list
		}
		out = append([]*mention{prev}, out...)
		m = prev
	}
	return out
}

// chain returns actors coordinated from token a: "حفتر وقيادات مصراتة",
// "the GNU and the Radaa Force".
func (x *extraction) chain(st *sentenceState, a int) []*mention {
	toks := st.s.Tokens
	var out []*mention
	k := a
	// "the …", "a delegation of …", "وفدا من …"
	if k < len(toks) && (toks[k].Key == "the" || toks[k].Key == "a" || toks[k].Key == "an") {
		k++
	}
	if k+1 < len(toks) && toks[k].HasForm(delegation) && st.free(k) && (toks[k+1].HasForm(groupPreps) || toks[k+1].HasForm(between)) {
		k += 2
	}
	k = skipPremises(st, k)
	if k+1 < len(toks) && toks[k].HasForm(forcesWords) && st.free(k) {
		// «دخول قوات وزارة الدفاع»: the forces of a body act for it.
		if m := st.mentionAt(k + 1); m != nil && m.ent.kind == graph.KindOrganization {
			k++
		}
	}
	m := st.mentionAt(k)
	if m == nil {
		m = x.holderAt(st, k)
	}
	for actor(m) && len(out) < maxParties {
		out = append(out, m)
		k = skipParenthesis(toks, m.tail) // "the House of Representatives (HoR) and …"
		if k < len(toks) && (toks[k].HasForm(andWords) && !toks[k].Arabic || toks[k].Text == "," || toks[k].Text == "،" || toks[k].Text == "&") {
			k++
			if k < len(toks) && (toks[k].Key == "the" || toks[k].Key == "and") {
				k++
			}
		} else if k < len(toks) && toks[k].Arabic && strings.HasPrefix(toks[k].Fold, "و") && len(toks[k].Forms()) > 1 {
			// the next name carries "و"
		} else {
			break
		}
		m = st.mentionAt(k)
	}
	return out
}

// relatives are relative pronouns: the verb after one has its subject
// before it.
var relatives = set("التي", "الذي", "اللذين", "اللتين", "الذين", "اللواتي")

// clauseEnd is the first punctuation from a on that ends a clause.
func clauseEnd(toks []segment.Token, a int) int {
	for k := a; k < len(toks); k++ {
		if toks[k].Punct && (toks[k].Break() || toks[k].Text == "،" || toks[k].Text == ",") {
			return k
		}
	}
	return len(toks)
}

// skipPremises skips "the headquarters of" before the body that occupies
// them; the Arabic construct needs no preposition («مقر المصرف»).
func skipPremises(st *sentenceState, k int) int {
	toks := st.s.Tokens
	if k >= len(toks) || !st.free(k) || !toks[k].HasForm(premises) {
		return k
	}
	k++
	for k < len(toks) && (toks[k].Key == "of" || toks[k].Key == "the") {
		k++
	}
	return k
}

// objectsAfter are the actors an English verb at k acts on, past a short
// adverbial: "raided in recent days the CBL headquarters".
func (x *extraction) objectsAfter(st *sentenceState, k int) []*mention {
	toks := st.s.Tokens
	q := k + 1
	if q < len(toks) && toks[q].HasForm(withWords) {
		q++
	}
	for a, n := q, 0; a < len(toks) && n < 5; a, n = a+1, n+1 {
		if !st.free(a) || toks[a].Punct && toks[a].Break() || toks[a].Key == "to" || toks[a].Key == "and" {
			break
		}
		if toks[a].Key == "the" || toks[a].HasForm(premises) {
			return x.chain(st, a)
		}
	}
	return x.chain(st, q)
}

// holderAt reads "POST ORG … PERSON" at k ("مقتل رئيس جهاز دعم الاستقرار
// التابع للمجلس الرئاسي عبدالغني الككلي", "بمشاركة المبعوث الأممي الخاص إلى
// ليبيا، عبد الله باتيلي") and returns the person, or nil.
func (x *extraction) holderAt(st *sentenceState, k int) *mention {
	var end int
	if org, _, ok := x.postAt(st, k); ok {
		end = org.last
	} else if _, e, ok := positionAt(st.s.Tokens, k); ok {
		end = e // "المبعوث الأممي الخاص إلى ليبيا، X": the post names its body
	} else {
		return nil
	}
	end = pastPostAdjectives(st.s.Tokens, end) // "إقالة المحافظ السابق الصديق الكبير"
	q, _ := x.afterOrg(st, end)
	if p := st.mentionAt(q); p != nil && p.ent.kind == graph.KindPerson {
		return p
	}
	return nil
}

// withChain returns the actors after "مع"/"with" following token a, past
// places and prepositions ("اجتماعا في مدينة سرت مع أعيان مصراتة").
func (x *extraction) withChain(st *sentenceState, a int) []*mention {
	toks := st.s.Tokens
	for q := a; q < len(toks) && q <= a+6; q++ {
		if m := st.covered.at(q); m != nil {
			if m.ent != nil && m.ent.kind != graph.KindPlace {
				return nil
			}
			continue
		}
		if toks[q].Punct && toks[q].Break() {
			return nil
		}
		if toks[q].HasForm(withWords) {
			return x.chain(st, q+1)
		}
	}
	return nil
}

// meetingSubject: in a sentence whose subject is the meeting ("هذا الاجتماع
// يعكس …", "The meeting reflected …"), the actors named took part in it.
func (x *extraction) meetingSubject(st *sentenceState) {
	toks := st.s.Tokens
	k := nextWord(toks, 0)
	if k >= len(toks) {
		return
	}
	// Only the first meeting the sentence names can be its subject.
	var ref *eventRef
	for n := range st.refs {
		r := &st.refs[n]
		if r.ev.eventType != evMeeting {
			continue
		}
		demonstrative := r.tok == k && r.last == k+2                               // "هذا الاجتماع"
		definite := r.tok == k && toks[k].Def                                      // "الاجتماع …"
		english := r.tok == k+1 && (toks[k].Key == "the" || toks[k].Key == "this") // "The meeting …"
		if demonstrative || definite || english {
			ref = r
		}
		break
	}
	if ref == nil {
		return
	}
	for _, m := range st.ms {
		if actor(m) && !st.parties[m.ent] && m.ext-ref.last <= maxWindow {
			x.participate(st, ref, []part{{m, "party"}}, ruleMeetingSubject, confMeetingSubject)
		}
	}
}

// participantCues: "القادة المشاركون من مصراتة" took part in the meeting
// most recently referred to.
func (x *extraction) participantCues(st *sentenceState) {
	ev := x.latest[evMeeting]
	if ev == nil {
		return
	}
	for _, m := range st.ms {
		if m.cue && actor(m) {
			x.relate(graph.ParticipatedIn, m.ent, ev, "party", "", st.s, m.start, m.end, ruleParticipants, confParticipants)
		}
	}
}

// cues: "بمشاركة X" and "برعاية X" give participants and mediators of the
// event the sentence refers to.
func (x *extraction) cues(st *sentenceState) {
	if len(st.refs) == 0 {
		return
	}
	toks := st.s.Tokens
	for k := 0; k < len(toks); k++ {
		if !st.free(k) {
			continue
		}
		for _, c := range []struct {
			list *phraseList
			rule string
			conf float64
		}{{attendance, ruleAttendance, confAttendance}, {mediation, ruleMediation, confMediation}} {
			p, end, ok := longestAt(toks, k, c.list)
			if !ok {
				continue
			}
			ref := nearestRef(st, k)
			if ref == nil {
				continue
			}
			ms := x.chain(st, end)
			sidesEnd := -1 // actors before it are the two sides
			if len(ms) == 0 && c.rule == ruleAttendance {
				// "in the presence of the two parties from … and their
				// counterparts …, as well as X": everyone the list names;
				// the two sides take part, who comes "as well" attends.
				ms = x.longWindow(st, end)
				if _, _, ok := longestAt(toks, end, sides); ok {
					sidesEnd = len(toks)
					for q := end; q < len(toks); q++ {
						if _, _, ok := longestAt(toks, q, asWellAs); ok && st.free(q) {
							sidesEnd = q
							break
						}
					}
				}
			}
			for _, m := range ms {
				role := p.value
				if m.ext < sidesEnd {
					role = "party"
				}
				start, stop := min(ref.start, m.start), max(ref.end, m.end)
				x.relate(graph.ParticipatedIn, m.ent, ref.ev, role, "", st.s, start, stop, c.rule, c.conf)
				st.parties[m.ent] = true
			}
		}
	}
}

// chairs: "جلسته الرسمية برئاسة عقيلة صالح", "a session chaired by X": who
// chairs a session speaks in it; who chairs a meeting hosts it.
// "الوساطة التركية", "Turkish mediation": the country mediates the
// agreement or meeting the sentence names, or else the report's latest.
func (x *extraction) chairs(st *sentenceState) {
	toks := st.s.Tokens
	for k := 0; k < len(toks); k++ {
		if !st.free(k) || !isWord(&toks[k]) {
			continue
		}
		if toks[k].HasForm(mediationNouns) {
			m := st.mentionAt(k + 1) // "الوساطة التركية"
			if m == nil && k > 0 {
				m = st.byTailAny.at(k) // "Turkish mediation"
			}
			if !actor(m) {
				continue
			}
			ref := nearestRef(st, k)
			var ev *entity
			start, end := min(toks[k].Start, m.start), max(toks[k].End, m.end)
			if ref != nil {
				ev, start, end = ref.ev, min(start, ref.start), max(end, ref.end)
			} else if ev = x.latest[evAgreement]; ev == nil {
				continue
			}
			x.relate(graph.ParticipatedIn, m.ent, ev, "mediator", "", st.s, start, end, ruleMediation, confMediation)
			continue
		}
		cue, end, ok := longestAt(toks, k, headedBy)
		if !ok || cue.value != "head" {
			continue
		}
		p := st.mentionAt(end)
		if p == nil || p.ent.kind != graph.KindPerson {
			continue
		}
		for n := range st.refs {
			r := &st.refs[n]
			if r.last > k || k-r.last > 3 || (r.ev.eventType != evSession && r.ev.eventType != evMeeting) {
				continue
			}
			role := "host"
			if r.ev.eventType == evSession {
				role = "speaker"
			}
			x.relate(graph.ParticipatedIn, p.ent, r.ev, role, "", st.s, r.start, p.end, ruleChair, confAttendance)
		}
	}
}

// decisions: "قرار المجلس الرئاسي … وتكليف X", "the council's decision to
// oust X": who decided takes part in the appointment the sentence names;
// "replacing X", "خلفا ل X": X is its target too.
func (x *extraction) decisions(st *sentenceState) {
	toks := st.s.Tokens
	for k := 0; k < len(toks); k++ {
		if !st.free(k) || !isWord(&toks[k]) {
			continue
		}
		if _, end, ok := longestAt(toks, k, replacements); ok {
			ref := nearestRef(st, k, evAppointment)
			if m := st.mentionAt(end); ref != nil && m != nil && m.ent.kind == graph.KindPerson {
				x.relate(graph.ParticipatedIn, m.ent, ref.ev, "target", "", st.s, min(ref.start, toks[k].Start), max(ref.end, m.end), ruleDecision, confAttendance)
			}
			continue
		}
		if !toks[k].HasForm(decisionWords) {
			continue
		}
		var m *mention
		switch {
		case toks[k].Arabic:
			m = st.mentionAt(k + 1) // "قرار المجلس الرئاسي"
		case k+2 < len(toks) && (toks[k+1].Key == "by" || toks[k+1].Key == "of"):
			m = st.mentionAt(nextWord(toks, k+2))
			if m == nil && toks[k+2].Key == "the" {
				m = st.mentionAt(k + 3)
			}
		case k > 1 && toks[k-1].Text == "'s" || k > 1 && toks[k-1].Text == "’s":
			m = st.byTailAny.at(k - 1) // "the council's decision"
		case k > 3 && beforeAcronym(toks, k) < k:
			// "The Presidential Council’s (PC) decision"
			if p := beforeAcronym(toks, k); p > 0 && (toks[p-1].Text == "'s" || toks[p-1].Text == "’s") {
				m = st.byTailAny.at(p - 1)
			}
		}
		if !actor(m) {
			continue
		}
		ref := nearestRef(st, k, evAppointment)
		if ref == nil {
			continue
		}
		x.relate(graph.ParticipatedIn, m.ent, ref.ev, "party", "", st.s, min(ref.start, m.start, toks[k].Start), max(ref.end, m.end), ruleDecision, confAttendance)
	}
}

// nearestRef is the agreement or meeting named last before token k, or else
// first after it, within maxWindow tokens.
func nearestRef(st *sentenceState, k int, types ...string) *eventRef {
	if len(types) == 0 {
		types = []string{evAgreement, evMeeting}
	}
	var best *eventRef
	for n := range st.refs {
		r := &st.refs[n]
		if r.ev.eventType != types[0] && (len(types) < 2 || r.ev.eventType != types[1]) {
			continue
		}
		if r.tok < k {
			if k-r.last <= maxWindow {
				best = r
			}
		} else if best == nil {
			if r.tok-k <= maxWindow {
				return r
			}
			return nil
		}
	}
	return best
}

// jointForces: "تشكيل قوة مشتركة" / "form a joint force" in a sentence that
// refers to an agreement creates an organisation the agreement
// established; "القوة المشتركة" / "the joint force" later refers back to it.
func (x *extraction) jointForces(st *sentenceState) {
	toks := st.s.Tokens
	for k := 0; k < len(toks); k++ {
		if !isWord(&toks[k]) || !st.free(k) {
			continue
		}
		if toks[k].HasForm(createWords) {
			fs, fe, ok := x.forcePhrase(st, k+1)
			if !ok {
				continue
			}
			ref := nearestRef(st, k, evAgreement)
			if ref == nil {
				continue
			}
			ag := ref.ev
			if ag.force == nil {
				ag.force = x.newEntity(entity{kind: graph.KindOrganization, subtype: "military", agreement: ag, seq: len(x.all),
					nameAr: "القوة المشتركة"})
				x.all = append(x.all, ag.force)
				x.forces = append(x.forces, ag.force)
			}
			start, end := toks[fs].Start, toks[fe-1].End
			x.addMention(ag.force, start, end)
			x.relate(graph.Established, ag, ag.force, "", "", st.s, min(ref.start, toks[k].Start), max(ref.end, end), ruleJointForce, confJointForce)
			k = fe - 1
			continue
		}
		if len(x.forces) == 0 {
			continue
		}
		// "القوة المشتركة", "the joint force"
		if toks[k].Arabic && toks[k].Def {
			if fs, fe, ok := x.forcePhrase(st, k); ok && toks[fe-1].Def {
				x.addMention(x.forces[len(x.forces)-1], toks[fs].Start, toks[fe-1].End)
				k = fe - 1
			}
		} else if toks[k].Key == "the" {
			if fs, fe, ok := x.forcePhrase(st, k+1); ok {
				x.addMention(x.forces[len(x.forces)-1], toks[fs].Start, toks[fe-1].End)
				k = fe - 1
			}
		}
	}
}

// forcePhrase reads "قوة [adjective] مشتركة" or "[a] joint [adjective]
// force" at k (quotes allowed) and returns its tokens.
func (x *extraction) forcePhrase(st *sentenceState, k int) (int, int, bool) {
	toks := st.s.Tokens
	k = nextWord(toks, k)
	if k >= len(toks) || !st.free(k) {
		return 0, 0, false
	}
	if toks[k].Arabic {
		if !toks[k].HasForm(forceWords) {
			return 0, 0, false
		}
		for q := k + 1; q < len(toks) && q <= k+2; q++ {
			if !isWord(&toks[q]) {
				break
			}
			if toks[q].HasForm(jointWords) {
				return k, q + 1, true
			}
		}
		return 0, 0, false
	}
	if toks[k].Key == "a" || toks[k].Key == "an" || toks[k].Key == "the" {
		k++
	}
	if k >= len(toks) || !toks[k].KeyIn(jointWords) {
		return 0, 0, false
	}
	for q := k + 1; q < len(toks) && q <= k+2; q++ {
		if toks[q].KeyIn(forceWords) {
			return k, q + 1, true
		}
	}
	return 0, 0, false
}

// locations: an event named with "في [مدينة] PLACE" / "in PLACE" right after
// it happened there.
func (x *extraction) locations(st *sentenceState) {
	toks := st.s.Tokens
	for n := range st.refs {
		r := &st.refs[n]
		if !placed(r.ev) {
			continue
		}
		// "the Tripoli clashes", "a Sirte meeting": an English place
		// right before the event word.
		if pl := st.byTailAny.at(r.tok); pl != nil && !toks[r.tok].Arabic && pl.ent.kind == graph.KindPlace && !locative(toks, pl) {
			x.relate(graph.OccurredIn, r.ev, pl.ent, "", "", st.s, pl.start, r.end, ruleLocation, confLocation)
		}
		free := 0
		hit := false // "clashes … rocked the Libyan capital"
		for q := r.last; q < len(toks) && free <= 7; q++ {
			if m := st.covered.at(q); m != nil {
				if hit && m.ent != nil && m.ent.kind == graph.KindPlace {
					x.relate(graph.OccurredIn, r.ev, m.ent, "", "", st.s, r.start, m.end, ruleLocation, confLocation)
					break
				}
				if m.ent != nil && m.ent.kind == graph.KindPlace && m.ext == q && m.skip > 0 && strings.HasPrefix(toks[q].Fold, "ب") {
					x.relate(graph.OccurredIn, r.ev, m.ent, "", "", st.s, r.start, m.end, ruleLocation, confLocation)
					break
				}
				if actor(m) {
					q = m.last - 1 // the participants: "met Misrata leaders in Sirte"
					continue
				}
				break
			}
			free++
			t := &toks[q]
			if t.Punct && t.Break() {
				// "التقى X، في مدينة سرت، وفدا": a comma before "في" is fine.
				if (t.Text == "،" || t.Text == ",") && q+1 < len(toks) && (toks[q+1].Key == "في" || toks[q+1].Key == "in") {
					continue
				}
				break
			}
			if !isWord(t) {
				continue
			}
			if t.Arabic && t.HasForm(cityWords) && strings.HasPrefix(t.Fold, "ب") {
				// "بمدينة سرت"
				if m := st.mentionAt(q + 1); m != nil && m.ent.kind == graph.KindPlace {
					x.relate(graph.OccurredIn, r.ev, m.ent, "", "", st.s, r.start, m.end, ruleLocation, confLocation)
				}
				break
			}
			if t.Key == "في" || t.Key == "in" || t.Key == "at" || t.Key == "inside" || t.HasForm(insideWords) {
				p := q + 1
				if p < len(toks) && toks[p].Key == "the" {
					p++
				}
				if p < len(toks) && (toks[p].HasForm(cityWords) || toks[p].HasForm(capitalWord)) && st.free(p) {
					p++
					if p < len(toks) && toks[p].Key == "of" {
						p++
					}
				}
				if m := st.mentionAt(p); m != nil && m.ent.kind == graph.KindPlace {
					x.relate(graph.OccurredIn, r.ev, m.ent, "", "", st.s, r.start, m.end, ruleLocation, confLocation)
				}
				break
			}
			if t.HasForm(between) {
				continue // the parties follow: "اشتباكات بين A و B في طرابلس"
			}
			if t.HasForm(hitVerbs) {
				hit = true
				continue
			}
			if t.HasForm(speechVerbs) || eventNounKind(t) != nil {
				break
			}
		}
	}
}

// venues: "شهدت مدينة سرت اجتماعا", "Sirte hosted a meeting": the place
// that witnessed or hosted the event is where it occurred.
func (x *extraction) venues(st *sentenceState) {
	toks := st.s.Tokens
	for k := 0; k < len(toks); k++ {
		if !st.free(k) || !isWord(&toks[k]) || !toks[k].HasForm(venueVerbs) {
			continue
		}
		var place *mention
		if toks[k].Arabic {
			q := nextWord(toks, k+1)
			if q < len(toks) && toks[q].HasForm(cityWords) && st.free(q) {
				q++
			}
			place = st.mentionAt(q)
		} else {
			place = st.byTailAny.at(k)
		}
		if place == nil || place.ent.kind != graph.KindPlace {
			continue
		}
		for n := range st.refs {
			r := &st.refs[n]
			from := max(k, place.last)
			if r.tok >= from && r.tok-from <= 3 && placed(r.ev) {
				x.relate(graph.OccurredIn, r.ev, place.ent, "", "", st.s, min(toks[k].Start, place.start), r.end, ruleVenue, confLocation)
				break
			}
		}
	}
}

// topics: phrases of the topic lexicon in a sentence that refers to an
// agreement or meeting become topics of it.
func (x *extraction) topics(st *sentenceState) {
	if len(st.refs) == 0 {
		return
	}
	toks := st.s.Tokens
	for k := 0; k < len(toks); k++ {
		p, end, ok := longestAt(toks, k, topics)
		if !ok {
			continue
		}
		for _, r := range st.refs {
			if placed(r.ev) {
				if r.ev.topics == nil {
					r.ev.topics = map[string]bool{}
				}
				r.ev.topics[p.value] = true
			}
		}
		k = end - 1
	}
}

// statements: a speech verb with an actor as subject ("أكد اللواء خالد
// المحجوب", "Haftar said") is a statement by that actor, one per speaker
// and article; events named after the verb are what it is about.
func (x *extraction) statements(st *sentenceState) {
	toks := st.s.Tokens
	for k := 0; k < len(toks); k++ {
		t := &toks[k]
		if !isWord(t) || !st.free(k) {
			continue
		}
		typ := ""
		switch {
		case t.HasForm(speechVerbs) || blames(toks, k):
			typ = evStatement
		case t.HasForm(denyVerbs):
			typ = evDenial
		case (t.HasForm(issueVerbs) || t.HasForm(sendVerbs)) && statementNear(toks, k):
			typ = evStatement // "X issued a statement", «أصدر X بيانا»
			if wordWithin(toks, k, 8, rejectionNouns) {
				typ = evDenial // "issued a statement reiterating its rejection of …"
			}
		default:
			continue
		}
		var sps []*mention
		if !t.Arabic && k > 0 && toks[k-1].HasForm(passives) {
			// "has been accused by Amnesty International": the agent.
			if k+1 < len(toks) && toks[k+1].Key == "by" {
				sps = x.chain(st, k+2)
			}
		} else {
			sps = x.speakersOf(st, k)
		}
		if len(sps) == 0 && x.lastSpeaker != nil && statementSubject(toks, k) {
			// «ونفى البيان», "the statement denied": the statement's
			// speaker says it.
			sps = []*mention{{ent: x.lastSpeaker, start: toks[k].Start, end: toks[k].End}}
		}
		for _, sp := range sps {
			x.said(st, k, typ, sp)
		}
	}
}

// said records a statement or denial by the speaker at verb k.
func (x *extraction) said(st *sentenceState, k int, typ string, sp *mention) {
	toks := st.s.Tokens
	t := &toks[k]
	key := speakerKey{typ, sp.ent}
	ev := x.speakers[key]
	if ev == nil {
		ev = x.newEvent(typ, t.Start)
		x.speakers[key] = ev
	}
	x.addMention(ev, t.Start, t.End)
	st.said = append(st.said, saidAt{ev, k})
	x.relate(graph.ParticipatedIn, sp.ent, ev, "speaker", "", st.s, min(t.Start, sp.start), max(t.End, sp.end), ruleSpeaker, confSpeaker)
	x.lastSpeaker = sp.ent
	x.spokeDuring(st, k, sp)
	for _, m := range x.addressees(st, k, sp) {
		x.relate(graph.ParticipatedIn, m.ent, ev, "target", "", st.s, t.Start, m.end, ruleAddressee, confAttendance)
		x.addressedCouncil(st, k, sp, m)
	}
	// "ورفض مجلس النواب قرار المجلس الرئاسي", "rejected the decision":
	// the decision is the report's appointment, whatever else the
	// sentence goes on to name.
	disputed := false
	if typ == evDenial {
		if d := x.decisionAfter(st, k); d >= 0 && x.latest[evAppointment] != nil {
			x.relate(graph.Disputes, ev, x.latest[evAppointment], "", "", st.s, t.Start, toks[d].End, ruleDisputes, confAbout)
			disputed = true
		}
	}
	about := false
	for _, r := range st.refs {
		if r.tok > k && r.tok-k <= maxWindow && r.ev != ev && during(st, &r) < 0 {
			x.relate(graph.About, ev, r.ev, "", "", st.s, t.Start, r.end, ruleAbout, confAbout)
			if typ == evDenial && !disputed {
				x.relate(graph.Disputes, ev, r.ev, "", "", st.s, t.Start, r.end, ruleDisputes, confAbout)
			}
			about = true
		}
	}
	if typ == evDenial && !about && !disputed {
		x.claim(st, ev, sp.ent, k)
	}
}

// addressees are who a statement is addressed to: "told the Security
// Council", "wrote to Guterres", "sent a letter to the Secretary-General
// of the United Nations, Antonio Guterres", «بعث رسالة إلى …».
func (x *extraction) addressees(st *sentenceState, k int, sp *mention) []*mention {
	toks := st.s.Tokens
	var out []*mention
	keep := func(m *mention) {
		if !actor(m) || m.ent == sp.ent {
			return
		}
		// "the UN Secretary-General, Antonio Guterres": the holder.
		if m.ent.kind == graph.KindOrganization {
			if _, end, ok := positionAt(toks, m.last); ok {
				q, _ := x.afterOrg(st, end)
				if p := st.mentionAt(q); p != nil && p.ent.kind == graph.KindPerson {
					m = p
				}
			}
		}
		out = append(out, m)
	}
	if !toks[k].Arabic && toks[k].HasForm(addressVerbs) {
		q := k + 1
		if q < len(toks) && toks[q].Key == "the" {
			q++
		}
		keep(st.mentionAt(q)) // "warned the Security Council"
	}
	if blames(toks, k) {
		// "blamed the government", «وحمل صالح المسؤولية … على عاتق
		// حكومة الوحدة الوطنية»: whom the speaker blames.
		if !toks[k].Arabic {
			q := k + 1
			if q < len(toks) && toks[q].Key == "the" {
				q++
			}
			keep(st.mentionAt(q))
			return out
		}
		for q := k + 1; q < len(toks) && q <= k+maxWindow; q++ {
			if toks[q].Punct && toks[q].Break() {
				break
			}
			if toks[q].Key == "عاتق" {
				keep(st.mentionAt(nextWord(toks, q+1)))
				break
			}
		}
		return out
	}
	if !toks[k].HasForm(sendVerbs) && !statementNear(toks, k) {
		return out
	}
	for q := k + 1; q < len(toks) && q <= k+8; q++ {
		if toks[q].Punct && toks[q].Break() && toks[q].Text != "," && toks[q].Text != "،" {
			break
		}
		if toks[q].HasForm(toWords) && toks[q].Key != "before" {
			for _, m := range x.chain(st, q+1) {
				keep(m)
			}
			break
		}
	}
	return out
}

// decisionAfter is a decision word within six words after k, or -1.
func (x *extraction) decisionAfter(st *sentenceState, k int) int {
	toks := st.s.Tokens
	// Six words, not counting the names of who rejected: «ورفض كل من
	// مجلس النواب والمجلس الأعلى للدولة قرار المجلس الرئاسي».
	for q, n := k+1, 0; q < len(toks) && n <= 6; q++ {
		if toks[q].Punct && toks[q].Break() {
			return -1
		}
		if toks[q].HasForm(decisionWords) {
			return q
		}
		if st.free(q) {
			n++
		}
	}
	return -1
}

// claim: a denial that names no event disputes what it denies, a claim
// read as the clause after the verb ("نفت اللجنة تخليها عن دورها", "denied
// abandoning its role"), up to the end of the clause.
func (x *extraction) claim(st *sentenceState, denial, speaker *entity, k int) {
	toks := st.s.Tokens
	a := k + 1
	if m := st.mentionAt(nextWord(toks, a)); m != nil && m.ent == speaker {
		a = m.tail // Arabic: the speaker follows the verb
	}
	a = nextWord(toks, a)
	end := a
	for q := a; q < len(toks) && q-a < 15; q++ {
		if toks[q].Punct && toks[q].Break() {
			break
		}
		end = q + 1
	}
	if end <= a {
		return
	}
	c := x.newEvent(evOther, toks[a].Start)
	c.claimOf = speaker
	x.addMention(c, toks[a].Start, toks[end-1].End)
	x.relate(graph.Disputes, denial, c, "", "", st.s, toks[k].Start, toks[end-1].End, ruleDisputes, confAbout)
}

// placed reports events that happen somewhere and are about something:
// not what someone said.
func placed(ev *entity) bool {
	return ev.eventType != evStatement && ev.eventType != evDenial && ev.eventType != evOther
}
