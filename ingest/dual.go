package ingest

import (
	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest/gazetteer"
	"github.com/polgraph/polgraph/ingest/segment"
)

// The two chambers in one dual noun: «مجلسا النواب والدولة», «مجلسي النواب
// والأعلى للدولة» name the House of Representatives and the High Council
// of State together, a construction Libyan reports use all the time. It
// is read as two mentions joined by «و», so the rules see two actors.
var (
	dualCouncil = set("مجلسا", "مجلسي")
	// the second chamber, after «و»: «الدولة», «الأعلى للدولة»
	stateWords  = set("الدولة", "الأعلى")
	highWord    = set("الأعلى")
	ofStateWord = set("للدولة", "الدولة")
	deputiesKey = keysOf("النواب")[0]
)

func (x *extraction) dualCouncilsAt(s *segment.Sentence, i int) *mention {
	toks := s.Tokens
	if !toks[i].Arabic || !toks[i].HasForm(dualCouncil) || i+2 >= len(toks) || toks[i+1].Key != deputiesKey {
		return nil
	}
	hor, ok1 := x.p.gaz.Entry("org/house-of-representatives")
	hcs, ok2 := x.p.gaz.Entry("org/high-council-of-state")
	if !ok1 || !ok2 {
		return nil
	}
	j := i + 2
	t := &toks[j]
	if !t.Arabic || !t.HasForm(stateWords) || len(t.Forms()) < 2 { // "والدولة", "والأعلى"
		return nil
	}
	end := j + 1
	if t.HasForm(highWord) && end < len(toks) && toks[end].HasForm(ofStateWord) {
		end++
	}
	first := x.newMention(mention{i: i, j: i + 2, ext: i, last: i + 2, kind: graph.KindOrganization, rule: "gazetteer",
		entries: []*gazetteer.Entry{hor}, full: true})
	second := x.newMention(mention{i: j, j: end, ext: j, last: end, skip: t.ProcliticRunes(t.Forms()[1]), kind: graph.KindOrganization,
		rule: "gazetteer", entries: []*gazetteer.Entry{hcs}, full: true})
	first.next = second
	return first
}
