package ingest

import (
	"strings"
	"unicode/utf8"

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
	return &mention{i: i, j: i + 1, ext: i, last: i + 1, kind: e.EntityKind(), rule: "gazetteer", entries: gm.Entries,
		full: true, trim: utf8.RuneCountInString(t.Text) - utf8.RuneCountInString(prefix), modifier: strings.ToLower(t.Text[cut+1:])}
}
