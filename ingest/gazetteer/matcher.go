package gazetteer

import (
	"sort"
	"strings"
	"unicode"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/names"
	"github.com/polgraph/polgraph/ingest/segment"
)

// Matcher finds gazetteer names in tokenised text: the longest sequence of
// word keys equal to some name's keys, allowing Arabic proclitics on the
// first word ("وبمصراتة") and, for capitalised Latin words, the loose
// skeletons of graph/names ("Hifter" for "Haftar").
type Matcher struct {
	exact, loose *node
	fullName     map[string][]*Entry // "first\x00last" → people
	lastName     map[string][]*Entry // last key → people
}

type node struct {
	next    map[string]*node
	entries []*Entry
	caps    bool // an acronym ends here: the text must be in capitals too
	// looseBelow marks a first word of the exact trie under which some name
	// has a key whose loose form differs from it. Under any other first
	// key the loose trie is the exact one, so a loose walk that keys the
	// first word exactly (an Arabic word) can only find there what the
	// exact walk found.
	looseBelow bool
}

func (n *node) child(k string) *node {
	if n.next == nil {
		n.next = map[string]*node{}
	}
	c := n.next[k]
	if c == nil {
		c = &node{}
		n.next[k] = c
	}
	return c
}

func (n *node) add(e *Entry) {
	for _, x := range n.entries {
		if x == e {
			return
		}
	}
	n.entries = append(n.entries, e)
	sort.Slice(n.entries, func(i, j int) bool { return n.entries[i].ID < n.entries[j].ID })
}

// keys are the match keys of a name, as graph/names computes them.
func keys(name string) []string { return names.Tokens(segment.KeyText(name)) }

// looseKey is a key's skeleton when it is long enough to mean something.
func looseKey(k string) string {
	if s := names.Skeleton(k); len(s) >= 4 {
		return "~" + s
	}
	return k
}

// isAcronym reports names like "GNU", "HoR", "LNA" that must be matched in
// capitals, so "gnu" or "hor" in running text do not count.
func isAcronym(name string) bool {
	caps, n := 0, 0
	for _, r := range name {
		if unicode.IsLetter(r) {
			n++
			if unicode.IsUpper(r) {
				caps++
			}
		}
	}
	return n <= 6 && caps >= 2 && !strings.Contains(name, " ")
}

func newMatcher(entries []*Entry) *Matcher {
	m := &Matcher{exact: &node{}, loose: &node{}, fullName: map[string][]*Entry{}, lastName: map[string][]*Entry{}}
	addTo := func(idx map[string][]*Entry, k string, e *Entry) {
		for _, x := range idx[k] {
			if x == e {
				return
			}
		}
		idx[k] = append(idx[k], e)
	}
	for _, e := range entries {
		for _, name := range e.Names() {
			ks := keys(name)
			n, l := m.exact, m.loose
			for _, k := range ks {
				lk := looseKey(k)
				n = n.child(k)
				l = l.child(lk)
				if lk != k {
					m.exact.child(ks[0]).looseBelow = true
				}
			}
			n.add(e)
			l.add(e)
			if isAcronym(name) {
				n.caps, l.caps = true, true
			}
			if e.EntityKind() == "Person" && len(ks) >= 2 {
				addTo(m.fullName, ks[0]+"\x00"+ks[len(ks)-1], e)
				addTo(m.lastName, ks[len(ks)-1], e)
			}
		}
	}
	return m
}

// FirstKeys returns the keys that a name's first word has. At finds no name
// at a word none of whose Forms is one of them, unless the word is a
// capitalised Latin one, which may start a name by its skeleton.
func (m *Matcher) FirstKeys() []string {
	keys := make([]string, 0, len(m.exact.next))
	for k := range m.exact.next {
		keys = append(keys, k)
	}
	return keys
}

// StartsLoose reports whether a capitalised Latin word with the key may
// start a name by its skeleton.
func (m *Matcher) StartsLoose(key string) bool { return m.loose.next[looseKey(key)] != nil }

// Match is a gazetteer name found in text.
type Match struct {
	Start, End int      // token indexes [Start, End) in the sentence
	Skip       int      // runes of proclitics at the start of the first token that are not part of the name
	Entries    []*Entry // the entries with this name; more than one means ambiguous
	Loose      bool     // matched by skeleton, not exactly
}

// At returns the longest gazetteer name starting at token i.
func (m *Matcher) At(toks []segment.Token, i int) (Match, bool) {
	if i >= len(toks) || toks[i].Punct || toks[i].Key == "" {
		return Match{}, false
	}
	best, ok, looseBelow := m.walk(m.exact, toks, i, false)
	if ok || toks[i].Arabic && !looseBelow {
		return best, ok
	}
	best, ok, _ = m.walk(m.loose, toks, i, true)
	return best, ok
}

// walk returns the longest match from token i in the trie at root, and
// whether a first-level node it entered is looseBelow.
func (m *Matcher) walk(root *node, toks []segment.Token, i int, loose bool) (best Match, found, looseBelow bool) {
	key := func(t *segment.Token) string {
		if loose && !t.Arabic {
			if !t.Upper {
				return ""
			}
			return looseKey(t.Key)
		}
		return t.Key
	}
	first := &toks[i]
	for fi, form := range first.Forms() {
		k := form
		if loose && !first.Arabic {
			if fi > 0 || !first.Upper {
				break
			}
			k = looseKey(form)
		}
		n := root.next[k]
		if n == nil {
			continue
		}
		looseBelow = looseBelow || n.looseBelow
		end := i + 1
		for {
			if len(n.entries) > 0 && (!found || end > best.End) && m.acceptable(n, toks, i, end) {
				best = Match{Start: i, End: end, Entries: n.entries, Loose: loose}
				if fi > 0 {
					best.Skip = first.ProcliticRunes(form)
				}
				found = true
			}
			j := end
			for j < len(toks) && (toks[j].Transparent() || (!toks[j].Punct && toks[j].Key == "")) {
				j++
			}
			if j >= len(toks) || toks[j].Punct {
				break
			}
			c := n.next[key(&toks[j])]
			if c == nil {
				break
			}
			n, end = c, j+1
		}
	}
	return best, found, looseBelow
}

// acceptable applies the case rules to Latin matches: an acronym must be
// written in capitals, and a Latin name needs at least one capitalised word
// or number, so ordinary lower-case words do not match.
func (m *Matcher) acceptable(n *node, toks []segment.Token, i, end int) bool {
	latin, capital := false, false
	for j := i; j < end; j++ {
		t := &toks[j]
		if t.Punct || t.Key == "" {
			continue
		}
		if t.Arabic {
			return true
		}
		latin = true
		if t.Upper || t.Digits {
			capital = true
		}
	}
	if !latin {
		return true
	}
	if n.caps && end-i == 1 && toks[i].Caps < 2 {
		return false
	}
	if !capital && words(toks, i, end) >= 2 && allOrganizations(n.entries) {
		// "Libya's presidential council", "the central bank": news write
		// bodies in lower case; two words of a known body's name are
		// specific enough, one ("council") is not.
		return true
	}
	return capital
}

func words(toks []segment.Token, i, end int) int {
	n := 0
	for j := i; j < end; j++ {
		if !toks[j].Punct && toks[j].Key != "" {
			n++
		}
	}
	return n
}

func allOrganizations(es []*Entry) bool {
	for _, e := range es {
		if e.EntityKind() != graph.KindOrganization {
			return false
		}
	}
	return len(es) > 0
}

// PeopleByFullName returns the people whose name has these first and last
// keys ("خالد" … "حفتر"), for names written with an extra middle name.
func (m *Matcher) PeopleByFullName(first, last string) []*Entry {
	return m.fullName[first+"\x00"+last]
}

// PeopleByLastName returns the people whose name ends with the key.
func (m *Matcher) PeopleByLastName(last string) []*Entry { return m.lastName[last] }

// LastNames returns the keys PeopleByLastName knows.
func (m *Matcher) LastNames() []string {
	keys := make([]string, 0, len(m.lastName))
	for k := range m.lastName {
		keys = append(keys, k)
	}
	return keys
}
