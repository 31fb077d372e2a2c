package ingest

import (
	"slices"
	"strings"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest/segment"
)

// Where an event happened when no rule tied a place to its words
// directly: reports often put the place a clause away ("Clashes … centered
// in Tripoli's southern neighborhood of Abu Salim", "حضر إلى مقر معسكر
// التكبالي لحضور اجتماع"), or only in the dateline ("TRIPOLI: …").
// Weaker evidence than the direct rules, so lower confidences.
const (
	confSentencePlace = 0.5
	confDateline      = 0.4

	// placeReach is how far (tokens) from the event's words a place may
	// stand and still be where it happened.
	placeReach = 15
)

// districtWords may stand between a preposition and a place: "in the
// southern neighborhood of Abu Salim", «في منطقة أبو سليم».
var districtWords = set("city", "town", "neighborhood", "neighbourhood", "district", "area", "suburb",
	"southern", "northern", "eastern", "western", "central", "of", "the",
	"مدينة", "منطقة", "حي", "ضاحية", "مقر", "معسكر")

// basedWords before a place make it where an actor is based, not where
// an event happened: "the Tripoli-based", "which controls southern Tripoli".
var basedWords = set("based", "headquartered", "controls", "controlled", "ومقره", "ومقرها", "مقره", "مقرها", "سيطرت", "يسيطر", "تسيطر")

// sentencePlaces gives each event the sentence names, and no rule placed,
// the nearest place the sentence sets something in, or a place inside the
// one a rule gave ("clashes in the capital" … "centered in Tripoli's
// neighborhood of Abu Salim").
func (x *extraction) sentencePlaces(st *sentenceState) {
	for n := range st.refs {
		r := &st.refs[n]
		if !placed(r.ev) {
			continue
		}
		// A narrower place than one given may stand further away: it
		// only refines.
		reach := placeReach
		if len(r.ev.places) > 0 {
			reach = maxWindow
		}
		var best *mention
		bestDist := reach + 1
		for _, m := range st.ms {
			if m.nested || m.ent == nil || m.ent.kind != graph.KindPlace || !(placeLocative(st, m) || motionTo(st, r, m)) || refBetween(st, r, m) {
				continue
			}
			d := m.ext - r.last
			if m.ext < r.tok {
				d = r.tok - m.last
			}
			switch {
			case d > reach:
			case best != nil && x.inside(m.ent, best.ent):
				best, bestDist = m, d // the narrower of two: "Tripoli's … Abu Salim"
			case best != nil && x.inside(best.ent, m.ent):
			case d < bestDist:
				best, bestDist = m, d
			}
		}
		if best != nil && len(r.ev.places) > 0 && !slices.ContainsFunc(r.ev.places, func(p *entity) bool { return x.inside(best.ent, p) }) {
			best = nil // placed already, and this place is no narrower
		}
		if best != nil {
			x.relate(graph.OccurredIn, r.ev, best.ent, "", "", st.s, min(r.start, best.start), max(r.end, best.end), ruleSentencePlace, confSentencePlace)
		}
	}
}

// setIn are the prepositions that set something in a place; not "إلى",
// "to", "من", "from", which say whom a post or help is for ("envoy to
// Libya", "بتسهيل من تركيا").
var setIn = set("في", "داخل", "قرب", "بمقر", "حول", "in", "at", "inside", "near", "within", "around")

// comeVerbs go to the place where something happens: "حضر إلى مقر معسكر
// التكبالي لحضور اجتماع", "arrived in Tripoli for talks".
var comeVerbs = set("حضر", "وصل", "وصلت", "توجه", "توجهت", "arrived", "came", "went", "travelled", "traveled")

// motionTo reports the place a deployment or visit goes to, right after
// its participants: «دخول قوات وزارة الدفاع لمطار معيتيقة», "forces
// entered Tripoli", "visited Cairo".
func motionTo(st *sentenceState, r *eventRef, m *mention) bool {
	if r.ev.eventType != evDeployment && r.ev.eventType != evVisit || m.ext < r.last || m.ext-r.last > 8 {
		return false
	}
	toks := st.s.Tokens
	if m.skip > 0 && toks[m.i].Arabic {
		return true // «لمطار», «بطرابلس»
	}
	if m.ext == r.last {
		return true // "forces entered Tripoli"
	}
	p := m.ext - 1
	return toks[p].HasForm(toWords) || toks[p].Key == "into"
}

// inside reports a place the gazetteer puts within another.
func (x *extraction) inside(a, b *entity) bool {
	return a.entry != nil && b.entry != nil && x.p.gaz.Within(a.entry.ID, b.entry.ID)
}

// refBetween reports another event named between r and the place: the
// place is that event's ("its meeting in Sirte … the agreement signed
// in Geneva").
func refBetween(st *sentenceState, r *eventRef, m *mention) bool {
	lo, hi := r.last, m.ext
	if m.ext < r.tok {
		lo, hi = m.last, r.tok
	}
	for _, o := range st.refs {
		if o.ev != r.ev && o.tok >= lo && o.tok < hi {
			return true
		}
	}
	return false
}

// placeLocative reports a place that something is set in: "في طرابلس",
// "بطرابلس", "in the southern neighborhood of Abu Salim"; not a place an
// actor is based in or controls, nor one that qualifies the actor named
// right before it ("ممثلي المجلس الأعلى للدولة في ليبيا").
func placeLocative(st *sentenceState, m *mention) bool {
	toks := st.s.Tokens
	if m.skip > 0 && toks[m.i].Arabic && strings.HasPrefix(toks[m.i].Fold, "ب") && !basedBefore(toks, m.ext) {
		return !(state(m.ent) && actor(st.covered.at(m.ext-1)))
	}
	p := m.ext - 1
	for n := 0; p >= 0 && n < 6 && !toks[p].HasForm(setIn) && !toks[p].HasForm(toWords); n++ {
		if (toks[p].Text == "'s" || toks[p].Text == "’s") && p > 0 {
			// "in Tripoli's southern neighborhood of Abu Salim"
			if o := st.covered.at(p - 1); o != nil && o.ent != nil && o.ent.kind == graph.KindPlace {
				p = o.ext - 1
				continue
			}
		}
		if !toks[p].HasForm(districtWords) {
			break
		}
		p--
	}
	switch {
	case p < 0:
		return false
	case toks[p].HasForm(setIn):
	case toks[p].HasForm(toWords) && comeBefore(toks, p):
	default:
		return false
	}
	return !basedBefore(toks, p) && !(state(m.ent) && actor(st.covered.at(p-1)))
}

// comeBefore reports a verb of coming within three words before k, the
// Arabic subject standing between: "حضر القائد إلى".
func comeBefore(toks []segment.Token, k int) bool { return formBefore(toks, k, 3, comeVerbs) }

// basedBefore reports a word of basedWords right before token k.
func basedBefore(toks []segment.Token, k int) bool { return formBefore(toks, k, 2, basedWords) }

// formBefore reports a word of the class within n words before token k.
func formBefore(toks []segment.Token, k, n int, c *segment.Class) bool {
	for p := k - 1; p >= 0 && p >= k-n; p-- {
		if toks[p].HasForm(c) {
			return true
		}
	}
	return false
}

// datelinePlace is the place a report opens with, "TRIPOLI: …", "New
// York, August 22, 2025 (LANA) - …", «طرابلس - …», or nil.
func datelinePlace(s *segment.Sentence, ms []*mention) *mention {
	if s.Index != 0 || len(ms) == 0 {
		return nil
	}
	m := ms[0]
	if m.nested || m.ent == nil || m.ent.kind != graph.KindPlace || m.ext != 0 || m.last >= len(s.Tokens) {
		return nil
	}
	switch s.Tokens[m.last].Text {
	case ":", "-", "–", "—", ",", "(", "،":
		return m
	}
	return nil
}

type datelineAt struct {
	s *segment.Sentence
	m *mention
}

// datelines gives the events no sentence placed the report's dateline.
func (x *extraction) datelines() {
	if x.dateline == nil {
		return
	}
	for _, ev := range x.all {
		// An event nobody takes part in ("meetings with stakeholders")
		// is too vague to place by the dateline alone.
		if ev.kind == graph.KindEvent && placed(ev) && len(ev.places) == 0 && len(x.participants(ev)) > 0 {
			x.relate(graph.OccurredIn, ev, x.dateline.m.ent, "", "", x.dateline.s, x.dateline.m.start, x.dateline.m.end, ruleDateline, confDateline)
		}
	}
}
