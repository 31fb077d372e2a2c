package graph

import (
	"context"
	"encoding/base64"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/polgraph/polgraph/graph/names"
)

// dateEnd widens a coarse date to the last day it covers, so "2025-05"
// compares after every day of May.
func dateEnd(d string) string {
	switch len(d) {
	case 4:
		return d + "-12-31"
	case 7:
		return d + "-31"
	}
	return d
}

// Contains reports whether a dated span [first, last] overlaps the window.
// An undated span ("") overlaps only an open window.
func (w Window) Contains(first, last string) bool {
	if w.Open() {
		return true
	}
	if first == "" && last == "" {
		return false
	}
	if last == "" {
		last = first
	}
	if first == "" {
		first = last
	}
	if w.From != "" && dateEnd(last) < w.From {
		return false
	}
	if w.To != "" && first > dateEnd(w.To) {
		return false
	}
	return true
}

// Span returns the dates a relation covers: its own date if it has one,
// else the dates of its evidence.
func (r *Relation) Span() (first, last string) {
	if r.Date != "" {
		return r.Date, r.Date
	}
	return r.FirstSeen, r.LastSeen
}

// RelationMatches applies the filters of a query that do not depend on
// which end is asked about: types, window, confidence.
func RelationMatches(r *Relation, types []RelType, w Window, minConfidence float64) bool {
	if len(types) > 0 {
		ok := false
		for _, t := range types {
			if r.Type == t {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if !w.Contains(r.Span()) {
		return false
	}
	return r.Confidence >= minConfidence
}

// TraversalTypes are the relation types paths and networks follow when the
// query names none: every asserted type. Document links are left out, or
// every two entities named in one report would look connected.
func TraversalTypes(types []RelType) []RelType {
	if len(types) > 0 {
		return types
	}
	var out []RelType
	for _, t := range RelTypes {
		if t.Asserted() {
			out = append(out, t)
		}
	}
	return out
}

// EncodeCursor and DecodeCursor make pagination cursors opaque, so clients
// do not build them and backends may change what is inside.
func EncodeCursor(last string) string {
	if last == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(last))
}

// DecodeCursor reverses EncodeCursor; a cursor it cannot read is Invalid.
func DecodeCursor(c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) == 0 {
		return "", &Error{Code: Invalid, Message: "cursor is not one this server issued", Param: "cursor"}
	}
	return string(b), nil
}

// RelationCursor reads the cursor of a RelationQuery: the id of the last
// relation of the previous page, or "" for the first page.
func RelationCursor(c string) (string, error) {
	after, err := DecodeCursor(c)
	if err != nil {
		return "", err
	}
	if after != "" && !ValidID(after) {
		return "", &Error{Code: Invalid, Message: "cursor is not one this server issued", Param: "cursor"}
	}
	return after, nil
}

// EventCursor reads the cursor of an EventQuery: the timeline key
// (date, NUL, id) of the last event of the previous page, or "" for the
// first page.
func EventCursor(c string) (string, error) {
	after, err := DecodeCursor(c)
	if err != nil {
		return "", err
	}
	if after != "" && !strings.Contains(after, "\x00") {
		return "", &Error{Code: Invalid, Message: "cursor is not one this server issued", Param: "cursor"}
	}
	return after, nil
}

// ScoreEntity rates how well a query matches an entity: the best score over
// its names, and the name that gave it. It is the default search's rule:
// fuzzy, in either script (SearchQuery.Score applies the options).
func ScoreEntity(query string, e *Entity) (float64, string) {
	q := SearchQuery{Text: query}
	return q.scoreNames(e)
}

// NameScript is the script a name is written in: ScriptArabic if it holds
// an Arabic letter, else ScriptLatin. Name is Latin and NameAr Arabic by
// convention, but aliases come in both, and a name is judged by its letters.
func NameScript(name string) string {
	if names.HasArabic(name) {
		return ScriptArabic
	}
	return ScriptLatin
}

// Score rates an entity against the whole query (kinds, script, exactness):
// the best score over the entity's names in the query's script, and the
// name that gave it; 0 when it is no hit. Both backends and the conformance
// suite's reference rank with it, so they agree hit for hit. Call it on a
// normalised query.
func (q *SearchQuery) Score(e *Entity) (float64, string) {
	if len(q.Kinds) == 0 && e.Kind == KindDocument || len(q.Kinds) > 0 && !slices.Contains(q.Kinds, e.Kind) {
		return 0, ""
	}
	return q.scoreNames(e)
}

func (q *SearchQuery) scoreNames(e *Entity) (float64, string) {
	score := names.Score
	if q.Exact {
		score = names.ScoreExact
	}
	best, matched := 0.0, ""
	for _, n := range e.Names() {
		if q.Script != "" && NameScript(n) != q.Script {
			continue
		}
		if s := score(q.Text, n); s > best {
			best, matched = s, n
		}
	}
	return best, matched
}

// Keys returns, for each token of the query, the index keys (EntityIndexKeys)
// of which a candidate must have one: backends look candidates up by them
// and rank them with Score. A token that no name in the query's script can
// hold (Arabic in a Latin search) has none, so nothing is a candidate.
func (q *SearchQuery) Keys() [][]string {
	keys := names.QueryKeys(q.Text)
	if q.Exact {
		keys = names.QueryKeysExact(q.Text)
	}
	if q.Script == ScriptLatin {
		for i, ks := range keys {
			if len(ks) > 0 && names.HasArabic(ks[0]) {
				keys[i] = nil
			}
		}
	}
	return keys
}

// EntityIndexKeys are the search keys of an entity, over all its names.
func EntityIndexKeys(e *Entity) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range e.Names() {
		for _, k := range names.IndexKeys(n) {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// SortHits orders search hits best first, then by name, then id, and cuts
// them to the limit.
func SortHits(hits []SearchHit, limit int) []SearchHit {
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Entity.Name != b.Entity.Name {
			return strings.ToLower(a.Entity.Name) < strings.ToLower(b.Entity.Name)
		}
		return a.Entity.ID < b.Entity.ID
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}

// Normalize fills defaults and checks bounds; backends call it first.
func (q *SearchQuery) Normalize() error {
	if strings.TrimSpace(q.Text) == "" || len(names.Tokens(q.Text)) == 0 {
		return &Error{Code: Invalid, Message: "search text is empty", Param: "q"}
	}
	if len(q.Text) > 500 {
		return &Error{Code: Invalid, Message: "search text is longer than 500 bytes", Param: "q"}
	}
	if err := checkKinds(q.Kinds); err != nil {
		return err
	}
	switch q.Script {
	case "", ScriptArabic, ScriptLatin:
	default:
		return &Error{Code: Invalid, Message: "script must be arabic, latin or empty", Param: "script"}
	}
	q.Limit = clampLimit(q.Limit, 20)
	return nil
}

// Normalize fills defaults and checks bounds.
func (q *RelationQuery) Normalize() error {
	if err := checkTypes(q.Types); err != nil {
		return err
	}
	switch q.Direction {
	case Both, Outgoing, Incoming:
	default:
		return &Error{Code: Invalid, Message: "direction must be in, out or empty", Param: "direction"}
	}
	if q.MinConfidence < 0 || q.MinConfidence > 1 {
		return &Error{Code: Invalid, Message: "min_confidence must be in [0, 1]", Param: "min_confidence"}
	}
	q.Limit = clampLimit(q.Limit, 50)
	return checkWindow(q.Window)
}

// Normalize fills defaults and checks bounds.
func (q *PathQuery) Normalize() error {
	if q.K == 0 {
		q.K = 3
	}
	if q.MaxDepth == 0 {
		q.MaxDepth = 4
	}
	if q.K < 1 || q.K > MaxPaths {
		return &Error{Code: Invalid, Message: "k must be between 1 and 20", Param: "k"}
	}
	if q.MaxDepth < 1 || q.MaxDepth > MaxPathDepth {
		return &Error{Code: Invalid, Message: "max_depth must be between 1 and 8", Param: "max_depth"}
	}
	if err := checkTypes(q.Types); err != nil {
		return err
	}
	return checkWindow(q.Window)
}

// Normalize fills defaults and checks bounds.
func (q *NetworkQuery) Normalize() error {
	if q.Depth == 0 {
		q.Depth = 1
	}
	if q.Limit == 0 {
		q.Limit = 100
	}
	if q.Depth < 1 || q.Depth > MaxNetworkDepth {
		return &Error{Code: Invalid, Message: "depth must be between 1 and 4", Param: "depth"}
	}
	if q.Limit < 1 || q.Limit > MaxNetworkNodes {
		return &Error{Code: Invalid, Message: "limit must be between 1 and 2000", Param: "limit"}
	}
	if err := checkKinds(q.Kinds); err != nil {
		return err
	}
	if err := checkTypes(q.Types); err != nil {
		return err
	}
	return checkWindow(q.Window)
}

// Normalize fills defaults and checks bounds.
func (q *EventQuery) Normalize() error {
	q.Limit = clampLimit(q.Limit, 50)
	for _, id := range []struct{ v, p string }{{q.Actor, "actor"}, {q.Place, "place"}} {
		if id.v != "" && !ValidID(id.v) {
			return &Error{Code: Invalid, Message: id.p + " must be an entity id", Param: id.p}
		}
	}
	return checkWindow(q.Window)
}

func clampLimit(n, def int) int {
	if n <= 0 {
		return def
	}
	if n > MaxPageSize {
		return MaxPageSize
	}
	return n
}

func checkTypes(ts []RelType) error {
	for _, t := range ts {
		if !t.Valid() {
			return &Error{Code: Invalid, Message: "unknown relation type " + strings.ToValidUTF8(string(t), "?"), Param: "type"}
		}
	}
	return nil
}

func checkKinds(ks []Kind) error {
	for _, k := range ks {
		if !k.Valid() {
			return &Error{Code: Invalid, Message: "unknown entity kind " + strings.ToValidUTF8(string(k), "?"), Param: "kind"}
		}
	}
	return nil
}

// ValidDate reports whether d is YYYY, YYYY-MM or YYYY-MM-DD, and a date
// the calendar has: a report "published" on 2025-10-49 is refused, not
// filed between October and November.
func ValidDate(d string) bool {
	if len(d) != 4 && len(d) != 7 && len(d) != 10 {
		return false
	}
	for i, c := range d {
		if i == 4 || i == 7 {
			if c != '-' {
				return false
			}
		} else if c < '0' || c > '9' {
			return false
		}
	}
	switch len(d) {
	case 7:
		_, err := time.Parse("2006-01", d)
		return err == nil
	case 10:
		_, err := time.Parse("2006-01-02", d)
		return err == nil
	}
	return true
}

func checkWindow(w Window) error {
	if w.From != "" && !ValidDate(w.From) {
		return &Error{Code: Invalid, Message: "from must be a date YYYY-MM-DD", Param: "from"}
	}
	if w.To != "" && !ValidDate(w.To) {
		return &Error{Code: Invalid, Message: "to must be a date YYYY-MM-DD", Param: "to"}
	}
	if w.From != "" && w.To != "" && w.From > dateEnd(w.To) {
		return &Error{Code: Invalid, Message: "from is after to", Param: "from"}
	}
	return nil
}

// ChangeLimit is the page size of a Changes call: 0 or less means 100, and
// no more than MaxPageSize.
func ChangeLimit(limit int) int {
	if limit <= 0 {
		return 100
	}
	return min(limit, MaxPageSize)
}

// Resolve turns an entity id or a name into an id. A name must pick out
// one entity: the best search hits tied at the top are the candidates, and
// more than one is a Conflict that lists them (without their mentions), so
// the caller can ask again with an id. Errors: NotFound (no entity has the
// name), Conflict, Invalid (an empty name), and the store's.
func Resolve(ctx context.Context, st Store, v string) (string, error) {
	if ValidID(v) {
		return v, nil
	}
	hits, err := st.Search(ctx, SearchQuery{Text: v, Limit: 10})
	if err != nil {
		return "", err
	}
	if len(hits) == 0 {
		return "", Errorf(NotFound, "no entity is named %q", clipName(v))
	}
	var top []Entity
	for _, h := range hits {
		if h.Score == hits[0].Score {
			e := h.Entity
			e.Mentions = nil
			top = append(top, e)
		}
	}
	if len(top) > 1 {
		e := Errorf(Conflict, "%q could mean %d entities; give one of the candidates' ids", clipName(v), len(top))
		e.Candidates = top
		return "", e
	}
	return top[0].ID, nil
}

// clipName shortens a name for an error message.
func clipName(s string) string {
	s = strings.ToValidUTF8(s, "?")
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}
