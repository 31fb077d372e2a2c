package ingest

import (
	"context"
	"sort"
	"time"

	"github.com/polgraph/polgraph/graph"
)

// Events across reports. Within one day, the same event read in two
// reports gets one id from its key (type, core participants, date). Reports
// a few days apart ("yesterday" in one, "on Thursday" in the next, or a
// report published late) give different dates and so different ids:
// Store applies a batch and then merges each of its events into an
// event already stored that is the same event —
//
//   - same type (statements and denials are never merged: one person says
//     many things),
//   - dates at most MergeWindowDays apart,
//   - overlapping participants: at least half of the two events' core
//     participants together are shared (Jaccard ≥ 0.5),
//   - not known to have happened in different places.
//
// The event already stored is kept; the merge is recorded by the store
// (graph.MergeRecord), so it can be shown, and later reports of the
// dropped id resolve to the kept one.

// MergeWindowDays is how far apart two reports may date one event.
const MergeWindowDays = 3

// mergeable are the event types merged across reports.
var mergeable = map[string]bool{evAgreement: true, evMeeting: true, evVisit: true, evSession: true,
	evAppointment: true, evClash: true, evAttack: true, evProtest: true}

// coreRoles are the roles that make an event what it is.
var coreRoles = map[string]bool{"party": true, "host": true, "speaker": true, "target": true}

// Store applies the batch and merges its events into the same events
// already reported. It returns the Apply result and the merges made.
func Store(ctx context.Context, st graph.Store, b *graph.Batch) (graph.ApplyResult, []graph.MergeRecord, error) {
	res, err := st.Apply(ctx, b)
	if err != nil {
		return res, nil, err
	}
	merges, err := MergeEvents(ctx, st, b)
	return res, merges, err
}

// MergeEvents merges each event of an applied batch into the stored event
// it is the same as, if any.
func MergeEvents(ctx context.Context, st graph.Store, b *graph.Batch) ([]graph.MergeRecord, error) {
	var out []graph.MergeRecord
	for _, e := range b.Entities {
		if e.Kind != graph.KindEvent || !mergeable[e.EventType] || e.DatePrecision != "day" {
			continue
		}
		day, err := time.Parse("2006-01-02", e.Date)
		if err != nil {
			continue
		}
		mine, err := eventFacts(ctx, st, e.ID)
		if err != nil {
			return out, err
		}
		if len(mine.parts) == 0 {
			continue
		}
		w := graph.Window{From: day.AddDate(0, 0, -MergeWindowDays).Format("2006-01-02"),
			To: day.AddDate(0, 0, MergeWindowDays).Format("2006-01-02")}
		best, bestScore := "", 0.0
		seen := map[string]bool{e.ID: true}
		for _, actor := range mine.sorted() {
			page, err := st.Events(ctx, graph.EventQuery{Actor: actor, Types: []string{e.EventType}, Window: w, Limit: graph.MaxPageSize})
			if err != nil {
				return out, err
			}
			for _, c := range page.Items {
				if seen[c.ID] {
					continue
				}
				seen[c.ID] = true
				theirs, err := eventFacts(ctx, st, c.ID)
				if err != nil {
					return out, err
				}
				if mine.place != "" && theirs.place != "" && mine.place != theirs.place {
					continue
				}
				if s := jaccard(mine.parts, theirs.parts); s >= 0.5 && (s > bestScore || s == bestScore && c.ID < best) {
					best, bestScore = c.ID, s
				}
			}
		}
		if best == "" {
			continue
		}
		rec, err := st.Merge(ctx, best, e.ID)
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// facts are what identifies an event: its core participants and place.
type facts struct {
	parts map[string]bool
	place string
}

func (f facts) sorted() []string {
	out := make([]string, 0, len(f.parts))
	for p := range f.parts {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func eventFacts(ctx context.Context, st graph.Store, id string) (facts, error) {
	f := facts{parts: map[string]bool{}}
	q := graph.RelationQuery{Entity: id, Types: []graph.RelType{graph.ParticipatedIn, graph.OccurredIn}, Limit: graph.MaxPageSize}
	for {
		page, err := st.Relations(ctx, q)
		if err != nil {
			return f, err
		}
		for _, r := range page.Items {
			switch {
			case r.Type == graph.ParticipatedIn && r.To == id && coreRoles[r.Role]:
				f.parts[r.From] = true
			case r.Type == graph.OccurredIn && r.From == id && f.place == "":
				f.place = r.To
			}
		}
		if page.Next == "" {
			return f, nil
		}
		q.Cursor = page.Next
	}
}

func jaccard(a, b map[string]bool) float64 {
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}
