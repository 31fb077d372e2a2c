package ingest

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/names"
	"github.com/polgraph/polgraph/ingest/arabic"
	"github.com/polgraph/polgraph/ingest/gazetteer"
	"github.com/polgraph/polgraph/ingest/segment"
)

// extraction is the state of one article going through the pipeline: the
// entities found so far and what in-document coreference needs to find
// them again.
type extraction struct {
	p     *Pipeline
	doc   graph.Document
	runes []rune
	// offsets are the byte offsets of the runes in doc.Text (and its
	// length), when the text is valid UTF-8.
	offsets []int
	sents   []segment.Sentence
	date    string
	prec    string
	// pub is the publication day, when known to the day: relative dates
	// ("أمس", "on Monday") resolve against it.
	pub      time.Time
	pubKnown bool

	byKey    map[entityKey]*entity // every entity but events
	all      []*entity             // in order of creation
	surnames map[string]*entity    // last-name key → the person most recently named in full
	groups   []*entity
	latest   map[string]*entity     // event type → the event most recently referred to
	speakers map[speakerKey]*entity // statement events by type and speaker
	forces   []*entity              // joint forces, latest last
	orgHeads map[string]*entity     // head noun class ("council") → the organisation last named with it
	holders  map[string][]*entity   // post ("chief of staff") → the people the report says hold it
	dateline *datelineAt            // the place the report opens with
	// lastSpeaker made the report's latest statement: "the statement
	// denied …", «ونفى البيان» speak for it.
	lastSpeaker *entity

	drafts   []*draft
	draftIdx map[draftKey]*draft

	scratch *scratch
}

type entityKey struct {
	kind graph.Kind
	key  string
}

type speakerKey struct {
	typ     string
	speaker *entity
}

// entity is an entity of the article before ids are assigned; events and
// joint forces get their keys only at the end, from their participants.
type entity struct {
	kind     graph.Kind
	key      string
	subtype  string
	name     string
	nameAr   string
	title    string
	titleAr  string
	aliases  []string
	entry    *gazetteer.Entry
	mentions []graph.Mention
	spans    spanSet

	surnames []string // last-name keys, for coreference
	heads    []string // organisations: head noun classes of the names ("council"), once computed

	// groups
	place *entity
	noun  string
	adjs  []string

	// events
	eventType string
	topics    map[string]bool // nil until one is read
	force     *entity         // the joint force an agreement established
	first     int             // rune offset of the first mention
	seq       int             // creation order
	date      eventDate
	claimOf   *entity   // a claim: the speaker who denied it
	places    []*entity // where rules said it happened
	// taking are the PARTICIPATED_IN drafts ending at the event, in order
	// of creation: its participants are asked for many times, and a
	// report has many drafts.
	taking []*draft

	// joint forces
	agreement *entity

	id      string
	related bool // the end of some draft, once the batch is built
}

func (p *Pipeline) newExtraction(a Article) *extraction {
	doc := document(a)
	x := &extraction{p: p, doc: doc}
	x.date, x.prec = p.eventDate(a.Published)
	if x.prec == "day" {
		if t, err := time.Parse("2006-01-02", x.date); err == nil {
			x.pub, x.pubKnown = t, true
		}
	}
	x.scratch = p.scratch.Get().(*scratch)
	sc := x.scratch
	x.byKey, x.surnames, x.orgHeads = emptied(&sc.byKey), emptied(&sc.surnames), emptied(&sc.orgHeads)
	x.holders, x.latest, x.speakers = emptied(&sc.holders), emptied(&sc.latest), emptied(&sc.speakers)
	x.draftIdx, x.all, x.drafts = emptied(&sc.draftIdx), sc.all[:0], sc.drafts[:0]
	x.scratch.gazetteer.reset()
	x.runes, x.offsets = decode(x.scratch.runes[:0], x.scratch.offsets[:0], doc.Text)
	if x.offsets != nil {
		x.sents = x.scratch.split.SplitAt(doc.Text, x.runes, x.offsets)
	} else {
		x.sents = x.scratch.split.Split(doc.Text, x.runes)
	}
	return x
}

// scratch is the memory an extraction works in and gives back when its
// batch is built: the runes of the text, its sentences and tokens, the
// gazetteer's answers, the indexes of a sentence's rules, the mentions,
// entities and drafts. Nothing of the batch points into it.
type scratch struct {
	runes     []rune
	offsets   []int
	split     segment.Splitter
	gazetteer gazetteerMemo
	sentence  sentenceState // the sentence being read, in memory kept for the next
	covered   []bool        // coveredTokens
	// recognised are the mentions of the sentence being read.
	recognised []*mention
	// sets and queue are gazetteerFacts's.
	sets  [3]map[string]bool
	queue []*gazetteer.Entry
	// The extraction's indexes and lists, emptied for each article.
	byKey                      map[entityKey]*entity
	surnames, orgHeads, latest map[string]*entity
	holders                    map[string][]*entity
	speakers                   map[speakerKey]*entity
	draftIdx                   map[draftKey]*draft
	all                        []*entity
	drafts                     []*draft
	entityAt, relationAt       map[string]int // the batch's, by id
	// The memory of the mentions, entities and drafts, and of the
	// entities' mention lists (NormalizeEntity copies them to the batch).
	mentionSlab  slab[mention]
	entitySlab   slab[entity]
	draftSlab    slab[draft]
	mentionLists listArena[graph.Mention]
}

// factSets returns three empty sets of ids.
func (sc *scratch) factSets() (a, b, c map[string]bool) {
	return emptied(&sc.sets[0]), emptied(&sc.sets[1]), emptied(&sc.sets[2])
}

// emptied empties the map at m, making it if there is none, and returns
// it: maps kept from one article to the next are not grown again.
func emptied[K comparable, V any](m *map[K]V) map[K]V {
	if *m == nil {
		*m = map[K]V{}
	}
	clear(*m)
	return *m
}

// slab hands out values of T from blocks kept from one extraction to the
// next: an article has hundreds of mentions, entities and drafts, which
// die with its extraction.
type slab[T any] struct {
	blocks [][]T
	used   int // values handed out since reset
}

const slabBlock = 64

// new returns a value that is v, good until reset.
func (s *slab[T]) new(v T) *T {
	b := s.used / slabBlock
	if b == len(s.blocks) {
		s.blocks = append(s.blocks, make([]T, slabBlock))
	}
	p := &s.blocks[b][s.used%slabBlock]
	*p = v
	s.used++
	return p
}

// reset takes back every value handed out; they must no longer be used.
// They are not cleared (new overwrites them): what they point to, the
// last articles' strings and lists, stays alive until then, but clearing
// costs the collector's write barriers twice per value.
func (s *slab[T]) reset() { s.used = 0 }

// listArena hands out the memory of growing lists from blocks kept from
// one extraction to the next.
type listArena[T any] struct {
	blocks [][]T
	block  int // the block being handed out
	used   int // its values handed out since reset
}

// grow returns list copied to room for twice as many values, good until
// reset.
func (a *listArena[T]) grow(list []T) []T {
	n := max(2*len(list), 4)
	if n > slabBlock {
		return append(make([]T, 0, n), list...) // too long to keep
	}
	if a.block < len(a.blocks) && a.used+n > slabBlock {
		a.block, a.used = a.block+1, 0
	}
	if a.block == len(a.blocks) {
		a.blocks = append(a.blocks, make([]T, slabBlock))
	}
	room := a.blocks[a.block][a.used : a.used : a.used+n]
	a.used += n
	return append(room, list...)
}

// reset takes back every list handed out. They are not cleared, as slab
// values are not.
func (a *listArena[T]) reset() { a.block, a.used = 0, 0 }

func (x *extraction) newMention(m mention) *mention { return x.scratch.mentionSlab.new(m) }
func (x *extraction) newEntity(e entity) *entity    { return x.scratch.entitySlab.new(e) }
func (x *extraction) newDraft(d draft) *draft       { return x.scratch.draftSlab.new(d) }

// release gives the extraction's scratch memory back; x is done with.
// Memory grown for a very long text is left to the collector rather than
// kept for reports a thousand times shorter.
func (x *extraction) release() {
	x.scratch.runes, x.scratch.offsets = x.runes, x.offsets
	x.scratch.all, x.scratch.drafts = x.all[:0], x.drafts[:0]
	x.scratch.mentionSlab.reset()
	x.scratch.entitySlab.reset()
	x.scratch.draftSlab.reset()
	x.scratch.mentionLists.reset()
	if cap(x.runes) <= maxKeptRunes {
		x.p.scratch.Put(x.scratch)
	}
	x.scratch, x.runes, x.offsets, x.sents = nil, nil, nil, nil
}

// maxKeptRunes bounds the texts whose scratch memory is kept.
const maxKeptRunes = 1 << 20

// decode appends the runes of s to runes, as []rune(s) has them, and the
// byte offset of each and len(s) to offsets, in one pass over the text.
// offsets is nil when s is not valid UTF-8: its runes are no slices of it.
func decode(runes []rune, offsets []int, s string) ([]rune, []int) {
	runes, offsets = slices.Grow(runes, len(s)), slices.Grow(offsets, len(s)+1)
	valid := true
	for i, r := range s {
		if r == utf8.RuneError && valid {
			_, n := utf8.DecodeRuneInString(s[i:])
			valid = n > 1
		}
		runes = append(runes, r)
		offsets = append(offsets, i)
	}
	if !valid {
		return runes, nil
	}
	return runes, append(offsets, len(s))
}

// slice is the text of the runes [start, end): a slice of the document's
// text, which batches hold anyway, when it is valid UTF-8.
func (x *extraction) slice(start, end int) string {
	if x.offsets == nil {
		return string(x.runes[start:end])
	}
	return x.doc.Text[x.offsets[start]:x.offsets[end]]
}

// dateOf is the date of an event: read from the text, else the
// publication date.
func (x *extraction) dateOf(ev *entity) (date, precision string) {
	if ev.date.date != "" {
		return ev.date.date, ev.date.precision
	}
	return x.date, x.prec
}

// get returns the entity of kind and key, creating it with init.
func (x *extraction) get(kind graph.Kind, key string, init func(*entity)) *entity {
	k := entityKey{kind, key}
	if e := x.byKey[k]; e != nil {
		return e
	}
	e := x.newEntity(entity{kind: kind, key: key, seq: len(x.all)})
	if init != nil {
		init(e)
	}
	x.byKey[k] = e
	x.all = append(x.all, e)
	return e
}

// fromEntry is the entity of a gazetteer entry.
func (x *extraction) fromEntry(g *gazetteer.Entry) *entity {
	return x.get(g.EntityKind(), g.ID, func(e *entity) {
		e.entry, e.subtype, e.name, e.nameAr = g, g.Subtype, g.Name, g.NameAr
		e.title, e.titleAr = g.Title, g.TitleAr
		e.aliases = slices.Clip(g.Aliases) // shared: appendNew copies first
		if e.kind == graph.KindPerson {
			for _, ks := range x.p.gaz.NameKeys(g) {
				if len(ks) >= 2 {
					e.surnames = appendNew(e.surnames, ks[len(ks)-1])
				}
			}
		}
	})
}

func appendNew[T comparable](list []T, v T) []T {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// coveredTokens reports which of the n tokens of a sentence are inside the
// constructions of mentions: the candidates added after recognition
// (surnames, descriptions, roles) are read only outside them. The answer
// is in scratch memory, good until the next call.
func (x *extraction) coveredTokens(ms []*mention, n int) []bool {
	covered := append(x.scratch.covered[:0], make([]bool, n)...)
	for _, m := range ms {
		for k := m.ext; k < min(m.last, n); k++ {
			covered[k] = true
		}
	}
	x.scratch.covered = covered
	return covered
}

func (x *extraction) newEvent(typ string, first int) *entity {
	e := x.newEntity(entity{kind: graph.KindEvent, eventType: typ, first: first, seq: len(x.all)})
	x.all = append(x.all, e)
	return e
}

// addMention records that the entity is named at [start, end).
func (x *extraction) addMention(e *entity, start, end int) {
	if !e.spans.add(start, end) {
		return
	}
	if len(e.mentions) == cap(e.mentions) {
		e.mentions = x.scratch.mentionLists.grow(e.mentions)
	}
	e.mentions = append(e.mentions, graph.Mention{Document: x.doc.ID, Start: start, End: end, Text: x.slice(start, end)})
}

// spanSet is the rune spans an entity is named at or a relation is read
// from: most have a few, kept in place; more go in a map.
type spanSet struct {
	few  [4][2]int
	n    int // spans in few
	more map[[2]int]bool
}

// add records the span [start, end) and reports whether it is new.
func (s *spanSet) add(start, end int) bool {
	k := [2]int{start, end}
	if slices.Contains(s.few[:s.n], k) || s.more[k] {
		return false
	}
	if s.n < len(s.few) {
		s.few[s.n] = k
		s.n++
		return true
	}
	if s.more == nil {
		s.more = map[[2]int]bool{}
	}
	s.more[k] = true
	return true
}

// resolve gives each mention of the sentence its entity, in text order, and
// adds the one-word mentions that refer back to a person named in full
// earlier in the document. Mentions that cannot be resolved are dropped.
func (x *extraction) resolve(s *segment.Sentence, ms []*mention) []*mention {
	ms = append(ms, x.surnameCandidates(s, ms)...)
	ms = append(ms, x.anaphorCandidates(s, ms)...)
	ms = append(ms, x.roleCandidates(s, ms)...)
	slices.SortStableFunc(ms, byStart)
	out := ms[:0] // the mentions resolved, in place
	for _, m := range ms {
		e := x.entityOf(s, m)
		if e == nil {
			continue
		}
		m.ent = e
		x.addMention(e, m.start, m.end)
		if m.ante == nil {
			x.rememberOrg(e)
		}
		if e.kind == graph.KindPerson {
			if m.title != "" {
				e.title, e.titleAr = m.title, m.titleAr
			}
			if m.full {
				x.rememberPerson(s, m, e)
			}
		}
		if m.full && m.rule != "gazetteer" && !m.surname {
			surface := x.slice(m.start, m.end)
			if surface != e.name && surface != e.nameAr {
				e.aliases = appendNew(e.aliases, surface)
			}
		}
		out = append(out, m)
	}
	// A group's place mention points at the resolved place.
	for _, m := range out {
		if m.group != nil && m.inner != nil && m.inner.ent != nil && m.ent.place == nil {
			m.ent.place = m.inner.ent
		}
	}
	return out
}

// rememberPerson indexes a person named in full by the last word of the
// name as written and of its gazetteer names, so a later bare surname finds
// the person most recently named.
func (x *extraction) rememberPerson(s *segment.Sentence, m *mention, e *entity) {
	if m.j-m.i >= 2 {
		last := &s.Tokens[m.j-1]
		if last.Key != "" {
			e.surnames = appendNew(e.surnames, last.Key)
		}
	}
	for _, k := range e.surnames {
		x.surnames[k] = e
	}
}

// entityOf resolves one mention.
func (x *extraction) entityOf(s *segment.Sentence, m *mention) *entity {
	if m.ante != nil {
		return m.ante
	}
	if m.surname {
		if e := x.surnameOf(s, m); e != nil {
			return e
		}
		// A title and a surname: a known person whose name ends so and who
		// holds that title, if there is exactly one.
		if m.title != "" {
			var match []*gazetteer.Entry
			for _, g := range x.p.gaz.Matcher().PeopleByLastName(s.Tokens[m.i].Key) {
				if g.Title == m.title {
					match = append(match, g)
				}
			}
			if len(match) == 1 {
				return x.fromEntry(match[0])
			}
		}
		return nil
	}
	if len(m.entries) > 0 {
		g := m.entries[0]
		if len(m.entries) > 1 {
			// Ambiguous name: take the candidate already named in this
			// document, if exactly one is; otherwise do not guess.
			var seen []*gazetteer.Entry
			for _, c := range m.entries {
				if x.byKey[entityKey{c.EntityKind(), c.ID}] != nil {
					seen = append(seen, c)
				}
			}
			if len(seen) != 1 {
				return nil
			}
			g = seen[0]
		}
		return x.fromEntry(g)
	}
	switch m.kind {
	case graph.KindGroup:
		return x.groupOf(m)
	case graph.KindPerson, graph.KindOrganization, graph.KindPlace:
		if m.key == "" {
			return nil
		}
		return x.get(m.kind, m.key, func(e *entity) {
			e.name, e.nameAr, e.subtype = m.name, m.nameAr, m.subtype
			if e.name == "" {
				e.name = arabic.Transliterate(m.nameAr)
			}
		})
	}
	return nil
}

// surnameCandidates are single words not inside another mention whose key
// is the last name of a person named in full earlier in the document.
func (x *extraction) surnameCandidates(s *segment.Sentence, ms []*mention) []*mention {
	if len(x.surnames) == 0 {
		return nil
	}
	covered := x.coveredTokens(ms, len(s.Tokens))
	var out []*mention
	toks := s.Tokens
	for k := range toks {
		t := &toks[k]
		if covered[k] || !isWord(t) || t.KeyIn(surnameStops) {
			continue
		}
		if !t.Arabic && !t.Upper {
			continue
		}
		for _, f := range t.Forms() {
			if x.surnames[f] == nil {
				continue
			}
			// "الدور الكبير": a definite word right after a definite noun is
			// an adjective, not the surname al-Kabir.
			if t.Arabic && t.Def && k > 0 && toks[k-1].Arabic && toks[k-1].Def && !toks[k-1].Punct {
				break
			}
			m := x.newMention(mention{i: k, j: k + 1, ext: k, last: k + 1, kind: graph.KindPerson, rule: "surname", surname: true})
			if f != t.Key {
				m.skip = t.ProcliticRunes(f)
			}
			x.span(s, m)
			out = append(out, m)
			break
		}
	}
	return out
}

// surnameOf resolves a one-word mention to the person most recently named
// in full with that last name, or nil.
func (x *extraction) surnameOf(s *segment.Sentence, m *mention) *entity {
	t := &s.Tokens[m.i]
	for _, f := range t.Forms() {
		if e := x.surnames[f]; e != nil {
			return e
		}
	}
	return nil
}

// groupOf resolves a group phrase: to a group of this document with the same
// place and noun (and no conflicting adjectives), else to a new group.
func (x *extraction) groupOf(m *mention) *entity {
	if m.inner == nil || m.group == nil {
		return nil
	}
	if m.inner.ent == nil {
		m.inner.ent = x.entityOf(nil, m.inner)
	}
	if m.inner.ent == nil {
		return nil
	}
	place := m.inner.ent
	for n := len(x.groups) - 1; n >= 0; n-- {
		g := x.groups[n]
		if g.place == place && g.noun == m.group.noun && (subset(m.group.adjs, g.adjs) || subset(g.adjs, m.group.adjs)) {
			// "قيادات مصراتة" in a headline and "قيادات أمنية وعسكرية في
			// مدينة مصراتة" below are one group: keep the fuller description.
			if len(m.group.adjs) > len(g.adjs) {
				g.adjs = m.group.adjs
				if s := x.slice(m.start, m.end); names.IsArabicLetter(firstLetter(s)) {
					if g.nameAr != "" {
						g.aliases = appendNew(g.aliases, g.nameAr)
					}
					g.nameAr = s
				}
			}
			return g
		}
	}
	surface := x.slice(m.start, m.end)
	g := x.newEntity(entity{kind: graph.KindGroup, place: place, noun: m.group.noun, adjs: m.group.adjs, seq: len(x.all)})
	if names.IsArabicLetter(firstLetter(surface)) {
		g.nameAr = surface
	}
	x.all = append(x.all, g)
	x.groups = append(x.groups, g)
	return g
}

// nameGroup keys and names a group once its description is final: place,
// adjectives in canonical order, noun ("group/misrata/security-military-leaders").
func nameGroup(g *entity) {
	placeKey := strings.ReplaceAll(strings.TrimPrefix(g.place.key, "place/"), " ", "-")
	g.key = "group/" + placeKey + "/" + g.noun
	if len(g.adjs) > 0 {
		g.key = "group/" + placeKey + "/" + strings.Join(g.adjs, "-") + "-" + g.noun
	}
	g.name = groupName(g.adjs, g.noun, g.place.name)
	// Both names are rendered from the description, never the phrase as
	// written, so reports wording the group differently agree on its
	// names (the phrase is an alias).
	if g.place.nameAr != "" {
		if written := g.nameAr; written != "" {
			g.aliases = appendNew(g.aliases, written)
		}
		g.nameAr = groupNameAr(g.adjs, g.noun, g.place.nameAr)
	}
}

// groupNameAr renders a group read in English text in Arabic: "قيادات
// أمنية وعسكرية من مصراتة".
func groupNameAr(adjs []string, noun, place string) string {
	nouns := map[string]string{"leaders": "قيادات", "notables": "أعيان", "sheikhs": "مشايخ", "elders": "حكماء"}
	words := map[string]string{"security": "أمنية", "military": "عسكرية", "political": "سياسية", "social": "اجتماعية",
		"tribal": "قبلية", "civil": "مدنية", "local": "محلية"}
	out := nouns[noun]
	for n, a := range adjs {
		if n == 0 {
			out += " " + words[a]
		} else {
			out += " و" + words[a]
		}
	}
	return out + " من " + place
}

func firstLetter(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

// subset reports every element of a among b.
func subset[T comparable](a, b []T) bool {
	for _, v := range a {
		if !slices.Contains(b, v) {
			return false
		}
	}
	return true
}

// groupName renders "security and military leaders of Misrata".
func groupName(adjs []string, noun, place string) string {
	if len(adjs) == 0 {
		return noun + " of " + place
	}
	return joinAnd(adjs) + " " + noun + " of " + place
}

// joinAnd joins "a", "a and b", "a, b and c".
func joinAnd(list []string) string {
	switch len(list) {
	case 0:
		return ""
	case 1:
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " and " + list[len(list)-1]
}
