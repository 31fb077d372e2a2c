package neo4jstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/polgraph/polgraph/graph"
	neo4jstore "github.com/polgraph/polgraph/graph/neo4j"
	"github.com/polgraph/polgraph/graph/storetest"
)

// slowRead counts through tens of billions of numbers: minutes of work on
// any machine, so a limit of a second always falls inside it. Its column
// name finds it in SHOW TRANSACTIONS.
const slowRead = "UNWIND range(1, 50000000000) AS i WITH i WHERE i = -1 RETURN count(i) AS polgraph_slow_probe"

// holdWriters takes the writers' lock as another process's write would.
const holdWriters = "MATCH (m:Meta {name: 'changes'}) SET m.writer = 'timeout test' RETURN m.seq"

// waitingWriter is the statement with which a writer takes the lock
// (write.go).
const waitingWriter = "SET m.writer = $token"

// waitGone waits until Neo4j runs no transaction whose statement holds
// fragment. Neo4j looks for timed-out transactions every couple of
// seconds, so this polls; the bound only keeps a failure from hanging.
func waitGone(t *testing.T, sess neo4j.SessionWithContext, fragment string) {
	t.Helper()
	for start := time.Now(); ; time.Sleep(100 * time.Millisecond) {
		res, err := sess.Run(bg, "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS $f RETURN count(*)",
			map[string]any{"f": fragment})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := res.Single(bg)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Values[0] == int64(0) {
			return
		}
		if time.Since(start) > 2*time.Minute {
			t.Fatalf("a transaction running %q is still there", fragment)
		}
	}
}

// within runs f, failing the test if it has not returned in a couple of
// minutes: the work given to it runs for minutes unless stopped.
func within(t *testing.T, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(2 * time.Minute):
		t.Fatal("the store call outlived its time limit: nothing stopped it")
		return nil
	}
}

// limit is one of the two ways a call's time runs out, with its store: the
// request's deadline (the store's own limit an hour away), or the store's
// limit (Config.QueryTimeout) with no deadline. Either way the call is
// Timeout.
type limit struct {
	name     string
	store    *neo4jstore.Store
	ctx      func() (context.Context, context.CancelFunc)
	deadline bool // the context's deadline, not Neo4j, ends the call
}

func limits(t *testing.T) []limit {
	hour := testConfig(t)
	hour.QueryTimeout = time.Hour
	second := testConfig(t)
	second.QueryTimeout = time.Second
	return []limit{
		{name: "deadline", store: open(t, hour), deadline: true,
			ctx: func() (context.Context, context.CancelFunc) { return context.WithTimeout(bg, time.Second) }},
		{name: "store limit", store: open(t, second),
			ctx: func() (context.Context, context.CancelFunc) { return context.WithCancel(bg) }},
	}
}

// checkTimeout fails unless err is the Timeout that l gives.
func checkTimeout(t *testing.T, what string, l limit, err error, neo4jCodes ...string) {
	t.Helper()
	if !graph.Is(err, graph.Timeout) {
		t.Fatalf("%s: %v (code %q), want %q", what, err, graph.ErrorCode(err), graph.Timeout)
	}
	if l.deadline {
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: the error %v does not wrap context.DeadlineExceeded", what, err)
		}
		return
	}
	// Nothing on the client ended the call: Neo4j did, by the timeout.
	var n4j *neo4j.Neo4jError
	if !errors.As(err, &n4j) || !slices.Contains(neo4jCodes, n4j.Code) {
		t.Errorf("%s: the error %v is not one of Neo4j's %v", what, err, neo4jCodes)
	}
}

// TestTimeLimitStopsSlowRead: a read that outlasts its time limit is
// Timeout, and leaves no transaction running in Neo4j.
func TestTimeLimitStopsSlowRead(t *testing.T) {
	cfg := testConfig(t)
	sess := rawSession(t, cfg)
	for _, l := range limits(t) {
		t.Run(l.name, func(t *testing.T) {
			ctx, cancel := l.ctx()
			defer cancel()
			err := within(t, func() error { return l.store.ReadForTest(ctx, slowRead) })
			checkTimeout(t, "slow read", l, err, "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration")
			waitGone(t, sess, "polgraph_slow_probe")
			// The store still answers.
			if _, err := l.store.Stats(bg); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestTimeLimitStopsWriteWaitingForLock: a write that waits for the
// writers' lock past its time limit is Timeout, leaves no transaction
// behind and writes nothing; once the lock is free, writes go through.
func TestTimeLimitStopsWriteWaitingForLock(t *testing.T) {
	cfg := testConfig(t)
	holder := rawSession(t, cfg)
	sess := rawSession(t, cfg)
	ls := limits(t)
	for _, l := range ls {
		t.Run(l.name, func(t *testing.T) {
			tx, err := holder.BeginTransaction(bg)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Close(bg)
			res, err := tx.Run(bg, holdWriters, nil)
			if err == nil {
				_, err = res.Consume(bg)
			}
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := l.ctx()
			defer cancel()
			err = within(t, func() error { _, err := l.store.Apply(ctx, storetest.Fixture()); return err })
			// Neo4j stops a lock wait with its own code, not the
			// timeout's: the store knows the timeout had passed.
			checkTimeout(t, "write behind the lock", l, err, "Neo.ClientError.Transaction.LockClientStopped",
				"Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration")
			waitGone(t, sess, waitingWriter)
			if err := tx.Rollback(bg); err != nil {
				t.Fatal(err)
			}
			if st, err := l.store.Stats(bg); err != nil || st.Changes != 0 || len(st.Entities) != 0 {
				t.Errorf("after the timed-out write: %+v, %v; want nothing written", st, err)
			}
		})
	}
	if _, err := ls[0].store.Apply(bg, storetest.Fixture()); err != nil {
		t.Fatalf("a write once the lock is free: %v", err)
	}
}

// begins records the transaction timeouts of the BEGIN messages the store
// sends (the driver's Bolt log).
type begins struct {
	mu       sync.Mutex
	timeouts []int64 // ms; -1 for none sent
}

func (b *begins) LogClientMessage(_ string, msg string, args ...any) {
	line := fmt.Sprintf(msg, args...)
	meta, ok := strings.CutPrefix(line, "BEGIN ")
	if !ok {
		return
	}
	var m struct {
		Timeout *int64 `json:"tx_timeout"`
	}
	if err := json.Unmarshal([]byte(meta), &m); err != nil {
		m.Timeout = new(int64)
		*m.Timeout = -2 // unreadable: fails any check below
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if m.Timeout == nil {
		b.timeouts = append(b.timeouts, -1)
	} else {
		b.timeouts = append(b.timeouts, *m.Timeout)
	}
}

func (b *begins) LogServerMessage(string, string, ...any) {}

func (b *begins) take() []int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.timeouts
	b.timeouts = nil
	return out
}

// TestDeadlineIsTheTransactionTimeout reads what the store tells Neo4j:
// every read and write transaction's timeout is the store's limit, or the
// time left before the request's deadline when that is sooner.
func TestDeadlineIsTheTransactionTimeout(t *testing.T) {
	cfg := testConfig(t)
	cfg.QueryTimeout = time.Hour
	s := open(t, cfg)
	log := &begins{}
	s.SetBoltLoggerForTest(log)
	calls := func(ctx context.Context) {
		t.Helper()
		if _, err := s.Apply(ctx, storetest.Fixture()); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Search(ctx, graph.SearchQuery{Text: "Haftar"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Paths(ctx, graph.PathQuery{From: storetest.KhaledHaftar, To: storetest.Misrata}); err != nil {
			t.Fatal(err)
		}
	}

	calls(bg)
	got := log.take()
	if len(got) < 3 {
		t.Fatalf("saw %d transactions begin, want at least 3", len(got))
	}
	for _, ms := range got {
		if ms != time.Hour.Milliseconds() {
			t.Errorf("without a deadline, a transaction timeout of %d ms, want the store's %d", ms, time.Hour.Milliseconds())
		}
	}

	ctx, cancel := context.WithTimeout(bg, time.Minute)
	defer cancel()
	calls(ctx)
	got = log.take()
	if len(got) < 3 {
		t.Fatalf("saw %d transactions begin, want at least 3", len(got))
	}
	for _, ms := range got {
		if ms <= 0 || ms > time.Minute.Milliseconds() {
			t.Errorf("with a minute left, a transaction timeout of %d ms, want (0, %d]", ms, time.Minute.Milliseconds())
		}
	}
}
