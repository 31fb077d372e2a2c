package ingest

import (
	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest/gazetteer"
	"github.com/polgraph/polgraph/ingest/segment"
)

// Forces named after a commander: "قوات حفتر", "Haftar's forces", "forces
// loyal to Khalifa Haftar" name the armed organisation the person belongs
// to in the gazetteer, not the person. A bare surname is enough when every
// known person of that name who belongs to an armed organisation belongs to
// the same one (Khalifa, Khaled and Saddam Haftar: the General Command), so "قوات حفتر" is the General
// Command while "حفتر" alone stays an unresolved mention.
var (
	forcesWords = set("قوات", "قوة", "ميليشيات", "مليشيات", "forces", "troops", "militias", "fighters")
	// forcesLinks stand between English "forces" and the commander.
	forcesLinks = concat(phrases("", "loyal to", "of", "affiliated with", "led by", "commanded by", "under"))
)

func (x *extraction) forcesAt(s *segment.Sentence, i int) *mention {
	toks := s.Tokens
	t := &toks[i]
	if !isWord(t) {
		return nil
	}
	if t.HasForm(forcesWords) {
		j := i + 1
		if !t.Arabic {
			_, end, ok := longestAt(toks, j, forcesLinks)
			if !ok {
				return nil
			}
			j = end
		} else if t.Def {
			return nil // "القوات المسلحة": a name of its own
		}
		org, end := x.commanderAt(toks, j)
		if org == nil {
			return nil
		}
		m := x.newMention(mention{i: i, j: end, ext: i, last: end, kind: graph.KindOrganization, rule: ruleForces,
			entries: []*gazetteer.Entry{org}, full: true})
		m.inner = x.commanderNamed(toks, j)
		return m
	}
	// "Haftar's forces", "Haftar forces"
	if t.Arabic {
		return nil
	}
	org, end := x.commanderAt(toks, i)
	if org == nil {
		return nil
	}
	if end < len(toks) && (toks[end].Text == "'s" || toks[end].Text == "’s") {
		end++
	}
	if end >= len(toks) || !toks[end].HasForm(forcesWords) {
		return nil
	}
	m := x.newMention(mention{i: i, j: end + 1, ext: i, last: end + 1, kind: graph.KindOrganization, rule: ruleForces,
		entries: []*gazetteer.Entry{org}, full: true})
	m.inner = x.commanderNamed(toks, i)
	return m
}

// commanderNamed is the person named in full at token j ("قوات خليفة
// حفتر", "Khalifa Haftar's forces"), or nil: a bare surname names no one.
func (x *extraction) commanderNamed(toks []segment.Token, j int) *mention {
	gm, ok := x.gazetteerMatch(toks, j)
	if !ok || len(gm.Entries) != 1 || gm.Entries[0].EntityKind() != graph.KindPerson || gm.End-gm.Start < 2 {
		return nil
	}
	return x.newMention(mention{i: gm.Start, j: gm.End, ext: gm.Start, last: gm.End, skip: gm.Skip, kind: graph.KindPerson,
		rule: "gazetteer", entries: gm.Entries, full: true})
}

// commanderAt reads a known person (full name or bare surname) at token j
// and returns the one armed organisation they all belong to.
func (x *extraction) commanderAt(toks []segment.Token, j int) (*gazetteer.Entry, int) {
	if j >= len(toks) {
		return nil, 0
	}
	var people []*gazetteer.Entry
	end := j + 1
	if gm, ok := x.gazetteerMatch(toks, j); ok && allKind(gm.Entries, graph.KindPerson) {
		people, end = gm.Entries, gm.End
	} else if isWord(&toks[j]) && toks[j].HasForm(x.p.lastNames) {
		for _, f := range toks[j].Forms() {
			if ps := x.p.gaz.Matcher().PeopleByLastName(f); len(ps) > 0 {
				people = ps
				break
			}
		}
	}
	var org *gazetteer.Entry
	for _, p := range people {
		var mine *gazetteer.Entry
		for _, id := range p.MemberOf {
			if g, ok := x.p.gaz.Entry(id); ok && g.EntityKind() == graph.KindOrganization && g.Subtype == "military" {
				mine = g
				break
			}
		}
		if mine == nil {
			continue // forces are armed: a relative outside the army is not meant
		}
		if org != nil && mine != org {
			return nil, 0
		}
		org = mine
	}
	return org, end
}
