package memstore

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/polgraph/polgraph/graph"
)

// looks is a context that counts how often the store asks it whether it
// is done, and reports its deadline passed from look number expireAt on
// (never, for 0): a deadline that runs out in the middle of a traversal,
// at the same point on every run.
type looks struct {
	context.Context
	n        atomic.Int64
	expireAt int64
}

func (c *looks) Deadline() (time.Time, bool) { return time.Now().Add(time.Hour), true }

func (c *looks) Err() error {
	if n := c.n.Add(1); c.expireAt > 0 && n >= c.expireAt {
		return context.DeadlineExceeded
	}
	return nil
}

// TestDeadlineDuringTraversalIsTimeout: a path search or a network that
// runs past its deadline stops with Timeout, which still wraps
// context.DeadlineExceeded.
func TestDeadlineDuringTraversalIsTimeout(t *testing.T) {
	s, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	// A place where 5,000 events occurred, and an entity connected to
	// nothing: a walk from the place reads every event before it is done.
	hub := graph.Entity{ID: graph.EntityID(graph.KindPlace, "hub"), Kind: graph.KindPlace, Name: "Hub"}
	alone := graph.Entity{ID: graph.EntityID(graph.KindPerson, "nobody's neighbour"), Kind: graph.KindPerson, Name: "Alone"}
	b := &graph.Batch{Documents: []graph.Document{{ID: benchDoc, Title: "bench", Text: "0123456789"}},
		Entities: []graph.Entity{hub, alone}}
	for i := range 5000 {
		e := benchID(graph.KindEvent, i)
		b.Entities = append(b.Entities, graph.Entity{ID: e, Kind: graph.KindEvent, Name: "Event", EventType: "meeting"})
		b.Relations = append(b.Relations, benchRel(graph.OccurredIn, e, hub.ID, "", i%10))
	}
	if _, err := s.Apply(bg, b); err != nil {
		t.Fatal(err)
	}
	from := hub.ID
	calls := map[string]func(ctx context.Context) error{
		"Paths": func(ctx context.Context) error {
			_, err := s.Paths(ctx, graph.PathQuery{From: from, To: alone.ID, MaxDepth: graph.MaxPathDepth})
			return err
		},
		"Network": func(ctx context.Context) error {
			_, err := s.Network(ctx, graph.NetworkQuery{Entity: from, Depth: graph.MaxNetworkDepth, Limit: graph.MaxNetworkNodes})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			// With time to spare, the call looks at its context more than
			// once: at the start, and during the walk.
			c := &looks{Context: bg}
			if err := call(c); err != nil {
				t.Fatal(err)
			}
			if c.n.Load() < 2 {
				t.Fatalf("the call looked at its context %d times: no check during the walk to test", c.n.Load())
			}
			// The deadline passes after the first look, the one before
			// the walk.
			err := call(&looks{Context: bg, expireAt: 2})
			if !graph.Is(err, graph.Timeout) || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("deadline passed during the walk: %v (code %q), want %q wrapping context.DeadlineExceeded",
					err, graph.ErrorCode(err), graph.Timeout)
			}
		})
	}
}

// TestExpiredContext: every call on an expired deadline is Timeout, on a
// cancelled context Unavailable.
func TestExpiredContext(t *testing.T) {
	s, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Apply(bg, benchGraph()); err != nil {
		t.Fatal(err)
	}
	id := benchID(graph.KindPerson, 0)
	expired, cancel := context.WithDeadline(bg, time.Now().Add(-time.Second))
	defer cancel()
	cancelled, cancel := context.WithCancel(bg)
	cancel()
	calls := map[string]func(ctx context.Context) error{
		"Entity": func(ctx context.Context) error { _, err := s.Entity(ctx, id); return err },
		"Search": func(ctx context.Context) error {
			_, err := s.Search(ctx, graph.SearchQuery{Text: "Khaled"})
			return err
		},
		"Relations": func(ctx context.Context) error {
			_, err := s.Relations(ctx, graph.RelationQuery{Entity: id})
			return err
		},
		"Network": func(ctx context.Context) error { _, err := s.Network(ctx, graph.NetworkQuery{Entity: id}); return err },
		"Events":  func(ctx context.Context) error { _, err := s.Events(ctx, graph.EventQuery{}); return err },
		"Apply": func(ctx context.Context) error {
			_, err := s.Apply(ctx, &graph.Batch{Entities: []graph.Entity{benchPerson(benchPersons)}})
			return err
		},
	}
	for name, call := range calls {
		if err := call(expired); !graph.Is(err, graph.Timeout) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s past the deadline: %v, want Timeout wrapping context.DeadlineExceeded", name, err)
		}
		if err := call(cancelled); !graph.Is(err, graph.Unavailable) || !errors.Is(err, context.Canceled) {
			t.Errorf("%s cancelled: %v, want Unavailable wrapping context.Canceled", name, err)
		}
	}
}
