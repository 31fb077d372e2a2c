package ingest

import (
	"strings"
	"unicode/utf8"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest/segment"
)

// Compound modifiers: "Tripoli-based council", "NATO-backed uprising",
// "UNSMIL-facilitated roadmap" name a known entity before the hyphen. The
// tokeniser keeps the compound one word; the part before the hyphen is
// matched against the gazetteer on its own, and "X-based ORG" says where
// the organisation is based (rule affiliation).
var hyphenSuffixes = map[string]bool{"based": true, "backed": true, "led": true, "supported": true,
	"recognized": true, "recognised": true, "brokered": true, "facilitated": true, "mediated": true,
	"allied": true, "aligned": true, "affiliated": true, "run": true, "controlled": true, "sponsored": true,
	"funded": true, "appointed": true, "held": true}

func (x *extraction) hyphenAt(s *segment.Sentence, i int) *mention {
	t := &s.Tokens[i]
	if t.Arabic || t.Punct {
		return nil
	}
	cut := strings.LastIndex(t.Text, "-")
	if cut <= 0 || !hyphenSuffixes[strings.ToLower(t.Text[cut+1:])] {
		return nil
	}
	prefix := t.Text[:cut]
	sents := segment.Split(prefix)
	if len(sents) != 1 {
		return nil
	}
	toks := sents[0].Tokens
	gm, ok := x.p.gaz.Matcher().At(toks, 0)
	if !ok || gm.End != len(toks) {
		return nil
	}
	e := gm.Entries[0]
	return x.newMention(mention{i: i, j: i + 1, ext: i, last: i + 1, kind: e.EntityKind(), rule: "gazetteer", entries: gm.Entries,
		full: true, trim: utf8.RuneCountInString(t.Text) - utf8.RuneCountInString(prefix), modifier: strings.ToLower(t.Text[cut+1:])})
}

// appointedModifiers: "PC-appointed Deputy Governor Abdul Fattah Ghafar":
// the body before the hyphen appointed the person the phrase names.
func (x *extraction) appointedModifiers(st *sentenceState) {
	toks := st.s.Tokens
	for _, m := range st.ms {
		if m.modifier != "appointed" || !actor(m) {
			continue
		}
		// The post before the name ("Deputy Governor") may be part of
		// the name's construction or not.
		q := m.last
		for n := 0; n < 3 && st.mentionAt(q) == nil; n++ {
			_, end, ok := positionAt(toks, q)
			if !ok {
				break
			}
			q = end
		}
		p := st.covered.at(q)
		if p == nil || p.ent == nil || p.ent.kind != graph.KindPerson {
			continue
		}
		parts := []part{{m, "party"}, {p, "target"}}
		ref := x.refer(st, evAppointment, m.i, m.last, parts)
		x.participate(st, ref, parts, ruleEventNamed, confConstruct)
	}
}
