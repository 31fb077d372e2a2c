package graph

import (
	"cmp"
	"maps"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
)

// DocumentEntity is the graph node that stands for a document, so MENTIONS
// and REPORTS have somewhere to start.
func DocumentEntity(d *Document) Entity {
	name := d.Title
	if name == "" {
		name = d.URL
	}
	if name == "" {
		name = "document " + d.ID[:8]
	}
	return Entity{ID: d.ID, Kind: KindDocument, Subtype: d.Source, Name: name, Aliases: []string{},
		Date: d.Published, FirstSeen: d.Published, LastSeen: d.Published}
}

// UpsertEntity combines a stored entity with an incoming one for the same id:
// non-empty incoming scalars win, lists are unioned and sorted, so applying
// the same input twice gives the same result. The kind never changes.
// Versions of one event-data record are ordered by Revision instead: the
// newest states the record's attributes, whatever order they arrive in.
func UpsertEntity(old, in Entity) Entity {
	out := old
	if in.Revision != 0 && in.Revision < old.Revision {
		// An older version of an event-data record: it may add names and
		// mentions, never roll back what the newer version says.
		in = Entity{Aliases: in.Aliases, Topics: in.Topics, MergedFrom: in.MergedFrom, Mentions: in.Mentions,
			FirstSeen: in.FirstSeen, LastSeen: in.LastSeen}
	}
	if in.Revision > old.Revision {
		// A newer version of the record replaces what it states, even
		// where it now says less (a date made coarser, fatalities withdrawn).
		out.Revision = in.Revision
		out.Date, out.DatePrecision = in.Date, in.DatePrecision
		out.Fatalities, out.Goldstein, out.QuadClass = in.Fatalities, in.Goldstein, in.QuadClass
		out.Summary, out.Subtype, out.EventType, out.Cameo = in.Summary, in.Subtype, in.EventType, in.Cameo
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&out.Subtype, in.Subtype)
	set(&out.Name, in.Name)
	set(&out.NameAr, in.NameAr)
	if out.Key == "" { // the key is the identity the id derives from: a merged-in entity keeps its own
		out.Key = in.Key
	}
	set(&out.Title, in.Title)
	set(&out.TitleAr, in.TitleAr)
	set(&out.GeoPrecision, in.GeoPrecision)
	set(&out.EventType, in.EventType)
	if laterDate(out.Date, out.DatePrecision, in.Date, in.DatePrecision) {
		out.Date, out.DatePrecision = in.Date, in.DatePrecision
	}
	set(&out.Cameo, in.Cameo)
	if in.QuadClass != 0 {
		out.QuadClass = in.QuadClass
	}
	if in.Goldstein != nil {
		out.Goldstein = in.Goldstein
	}
	if in.Fatalities != nil {
		out.Fatalities = in.Fatalities
	}
	set(&out.Summary, in.Summary)
	if in.Lat != nil && in.Lon != nil {
		out.Lat, out.Lon = in.Lat, in.Lon
	}
	out.Aliases = unionStrings(old.Aliases, in.Aliases)
	out.Topics = unionStrings(old.Topics, in.Topics)
	out.MergedFrom = unionStrings(old.MergedFrom, in.MergedFrom)
	out.Mentions = unionMentions(old.Mentions, in.Mentions)
	out.FirstSeen = MinDate(old.FirstSeen, in.FirstSeen)
	out.LastSeen = MaxDate(old.LastSeen, in.LastSeen)
	return NormalizeEntity(out)
}

// NormalizeEntity puts an entity in its stored form: aliases exclude the name
// and Arabic name, lists are sorted and never nil where the contract shows
// them.
func NormalizeEntity(e Entity) Entity {
	// Extraction normalises every entity of every batch: one allocation.
	var aliases []string
	if len(e.Aliases) > 0 {
		aliases = make([]string, 0, len(e.Aliases))
	}
	for _, a := range e.Aliases {
		a = strings.TrimSpace(a)
		if a != "" && a != e.Name && a != e.NameAr {
			aliases = append(aliases, a)
		}
	}
	e.Aliases = sortedSet(aliases)
	if len(e.Aliases) == 0 {
		e.Aliases = []string{}
	}
	if len(e.Topics) == 0 {
		e.Topics = nil
	} else {
		e.Topics = unionStrings(nil, e.Topics)
	}
	e.Mentions = unionMentions(nil, e.Mentions)
	return e
}

// UpsertRelation combines a stored relation with an incoming one for the same
// id: evidence is unioned by id (incoming wins), and the derived fields are
// recomputed.
func UpsertRelation(old, in Relation) Relation {
	out := old
	if in.Title != "" {
		out.Title = in.Title
	}
	if in.Date != "" && (out.Date == "" || in.Date < out.Date) {
		out.Date = in.Date // the earliest: order-independent
	}
	if in.Count > out.Count {
		out.Count = in.Count
	}
	byID := map[string]Evidence{}
	for _, e := range old.Evidence {
		byID[e.ID] = e
	}
	for _, e := range in.Evidence {
		byID[e.ID] = e
	}
	out.Evidence = make([]Evidence, 0, len(byID))
	for _, e := range byID {
		out.Evidence = append(out.Evidence, e)
	}
	return Derive(out)
}

// Derive sorts a relation's evidence and recomputes what follows from it:
// EvidenceCount, FirstSeen, LastSeen, and Confidence, the chance that at
// least one piece is right if each were independent: 1 − Π(1 − cᵢ), the
// product taken in ascending order of cᵢ (see ConfidenceOf).
func Derive(r Relation) Relation {
	r.Other = nil
	if r.Evidence == nil {
		r.Evidence = []Evidence{}
	}
	SortEvidence(r.Evidence)
	r.EvidenceCount = len(r.Evidence)
	r.FirstSeen, r.LastSeen = "", ""
	var buf [32]float64 // most relations have a few pieces: no allocation
	confidences := buf[:0]
	for _, e := range r.Evidence {
		confidences = append(confidences, e.Confidence)
		r.FirstSeen = MinDate(r.FirstSeen, e.Date)
		r.LastSeen = MaxDate(r.LastSeen, e.Date)
	}
	slices.Sort(confidences)
	r.Confidence = combinedConfidence(confidences)
	return r
}

// SortEvidence puts evidence in the order Derive leaves it: by document,
// then start, then id.
func SortEvidence(ev []Evidence) {
	slices.SortFunc(ev, func(a, b Evidence) int {
		if a.Document != b.Document {
			return strings.Compare(a.Document, b.Document)
		}
		if a.Start != b.Start {
			return cmp.Compare(a.Start, b.Start)
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// SortMentions puts mentions in the order an entity keeps them: by
// document, then span.
func SortMentions(ms []Mention) { slices.SortFunc(ms, compareMentions) }

// ConfidenceOf is the Confidence Derive gives a relation whose evidence
// has, for each confidence c, tally[c] pieces with it: a store that keeps
// only the tally (not every piece) derives the same figure, to the bit.
// Floating-point products depend on their order, so both multiply in
// ascending order of confidence.
func ConfidenceOf(tally map[float64]int) float64 {
	var confidences []float64
	for _, c := range slices.Sorted(maps.Keys(tally)) {
		for range tally[c] {
			confidences = append(confidences, c)
		}
	}
	return combinedConfidence(confidences)
}

// combinedConfidence is 1 − Π(1 − cᵢ) over confidences, ascending, to four
// places; 1 for none: an unasserted relation (MENTIONS, REPORTS) is
// recorded, not inferred.
func combinedConfidence(ascending []float64) float64 {
	if len(ascending) == 0 {
		return 1
	}
	miss := 1.0
	for _, c := range ascending {
		miss *= 1 - c
	}
	return math.Round((1-miss)*10000) / 10000
}

// EntityEqual and RelationEqual tell an upsert that changed nothing from one
// that did, so re-applying a batch records no change.
func EntityEqual(a, b Entity) bool     { return reflect.DeepEqual(a, b) }
func RelationEqual(a, b Relation) bool { return reflect.DeepEqual(a, b) }

func unionStrings(a, b []string) []string {
	if len(a) == 0 && len(b) == 0 {
		if a != nil {
			return a
		}
		return b
	}
	// Sorted, then without repeats: the same strings in the same order as
	// deduplicating first, with one allocation.
	out := make([]string, 0, len(a)+len(b))
	for _, l := range [2][]string{a, b} {
		for _, s := range l {
			if s != "" {
				out = append(out, s)
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return sortedSet(out)
}

// sortedSet sorts list and drops repeats, in list's memory.
func sortedSet(list []string) []string {
	if len(list) == 0 {
		return list
	}
	sort.Strings(list)
	n := 1
	for _, s := range list[1:] {
		if s != list[n-1] {
			list[n] = s
			n++
		}
	}
	return list[:n:n]
}

// unionMentions is every mention of a and b once (by span), ordered by
// document, start and end.
func unionMentions(a, b []Mention) []Mention {
	if len(a) == 0 && len(b) == 0 {
		return nil
	}
	if len(a) > 64 && len(b) <= 8 && slices.IsSortedFunc(a, compareMentions) {
		return insertMentions(a, b)
	}
	out := make([]Mention, 0, len(a)+len(b))
	var seen map[mentionSpan]bool // only for long lists: short ones are scanned
	for _, l := range [2][]Mention{a, b} {
		for _, m := range l {
			k := mentionSpan{m.Document, m.Start, m.End}
			if len(out) >= 16 && seen == nil {
				seen = make(map[mentionSpan]bool, cap(out))
				for _, o := range out {
					seen[mentionSpan{o.Document, o.Start, o.End}] = true
				}
			}
			if seen != nil {
				if seen[k] {
					continue
				}
				seen[k] = true
			} else if slices.ContainsFunc(out, k.of) {
				continue
			}
			out = append(out, m)
		}
	}
	slices.SortFunc(out, compareMentions)
	return out
}

// insertMentions adds a few mentions to a long sorted list by binary
// search: an actor named in thousands of reports gets one more mention
// with each, and building a set of the thousands each time made a batch
// naming it often quadratic.
func insertMentions(a, b []Mention) []Mention {
	out := make([]Mention, len(a), len(a)+len(b))
	copy(out, a)
	for _, m := range b {
		i, found := slices.BinarySearchFunc(out, m, compareMentions)
		if !found {
			out = slices.Insert(out, i, m)
		}
	}
	return out
}

// compareMentions orders mentions by document, then span.
func compareMentions(x, y Mention) int {
	if c := strings.Compare(x.Document, y.Document); c != 0 {
		return c
	}
	if c := cmp.Compare(x.Start, y.Start); c != 0 {
		return c
	}
	return cmp.Compare(x.End, y.End)
}

// mentionSpan is what makes mentions one: the same span of a document.
type mentionSpan struct {
	doc        string
	start, end int
}

func (k mentionSpan) of(m Mention) bool {
	return m.Document == k.doc && m.Start == k.start && m.End == k.end
}

// MinDate and MaxDate are the rules for first and last seen: the earlier
// (later) of two dates, an empty date being none.
func MinDate(a, b string) string {
	if a == "" || (b != "" && b < a) {
		return b
	}
	return a
}

func MaxDate(a, b string) string {
	if b > a {
		return b
	}
	return a
}

// laterDate reports whether a new date (d, p) should replace the stored one
// (old, oldP): a more precise date wins, then the earlier one, so that
// reports dating one event a day apart converge on one date whatever order
// they arrive in, and re-applying either changes nothing.
func laterDate(old, oldP, d, p string) bool {
	if d == "" {
		return false
	}
	if old == "" {
		return true
	}
	if r, oldR := len(d), len(old); r != oldR {
		return r > oldR
	}
	if d != old {
		return d < old
	}
	return oldP == "" && p != ""
}
