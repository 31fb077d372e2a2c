package neo4jstore

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/polgraph/polgraph/graph"
)

// TestTranslate pins down how driver errors become graph errors: this needs
// no Neo4j.
func TestTranslate(t *testing.T) {
	s := &Store{db: "neo4j", timeout: 30 * time.Second, log: slog.New(slog.DiscardHandler)}
	own := graph.Errorf(graph.NotFound, "no entity has id x")
	live := context.Background()
	cancelled, cancel := context.WithCancel(live)
	cancel()
	expired, cancel := context.WithDeadline(live, time.Now().Add(-time.Second))
	defer cancel()
	n4j := func(code string) error { return &neo4j.Neo4jError{Code: code, Msg: "m"} }
	cases := []struct {
		name   string
		ctx    context.Context
		err    error
		ranOut bool // the transaction ran as long as its timeout
		code   graph.Code
		wraps  error // the error must still wrap this
	}{
		{name: "ours", ctx: live, err: own, code: graph.NotFound},
		{name: "ours after retries", ctx: live, err: &neo4j.TransactionExecutionLimit{Errors: []error{own}}, code: graph.NotFound},
		{name: "constraint", ctx: live, err: n4j("Neo.ClientError.Schema.ConstraintValidationFailed"), code: graph.Conflict},
		{name: "transient", ctx: live, err: n4j("Neo.TransientError.Transaction.DeadlockDetected"), code: graph.Unavailable},
		{name: "memory", ctx: live, err: n4j("Neo.TransientError.General.MemoryPoolOutOfMemoryError"), code: graph.TooLarge},
		{name: "auth", ctx: live, err: n4j("Neo.ClientError.Security.Unauthorized"), code: graph.Unavailable},
		{name: "no database", ctx: live, err: n4j("Neo.ClientError.Database.DatabaseNotFound"), code: graph.Unavailable},
		{name: "syntax", ctx: live, err: n4j("Neo.ClientError.Statement.SyntaxError"), code: graph.Internal},
		{name: "connectivity", ctx: live, err: &neo4j.ConnectivityError{Inner: io.EOF}, code: graph.Unavailable},
		{name: "retries exhausted", ctx: live, err: &neo4j.TransactionExecutionLimit{Cause: "timeout",
			Errors: []error{&neo4j.ConnectivityError{Inner: io.EOF}}}, code: graph.Unavailable},
		{name: "cancelled", ctx: cancelled, err: context.Canceled, code: graph.Unavailable, wraps: context.Canceled},
		{name: "cancelled, as the driver says it", ctx: cancelled, err: &neo4j.ConnectivityError{Inner: context.Canceled},
			code: graph.Unavailable, wraps: context.Canceled},
		{name: "anything else", ctx: live, err: errors.New("boom"), code: graph.Internal},
		{name: "handshake refused by a starting server", ctx: live,
			err: errors.New("none of the server offered Bolt versions are supported (offered: [])"), code: graph.Unavailable},

		// Time limits. Neo4j's timeout, whether the client's (ours, from
		// the deadline) or the server's setting:
		{name: "server timeout, client configured", ctx: live, err: n4j("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"), code: graph.Timeout},
		{name: "server timeout, server configured", ctx: live, err: n4j("Neo.ClientError.Transaction.TransactionTimedOut"), code: graph.Timeout},
		{name: "server timeout after retries", ctx: live, err: &neo4j.TransactionExecutionLimit{
			Errors: []error{n4j("Neo.TransientError.Transaction.DeadlockDetected"), n4j("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration")}}, code: graph.Timeout},
		// A lock wait or a transaction that Neo4j stopped is the timeout
		// at work once the timeout has passed, and an operator's or a
		// shutdown's doing before.
		{name: "lock wait stopped at the timeout", ctx: live, err: n4j("Neo.ClientError.Transaction.LockClientStopped"), ranOut: true, code: graph.Timeout},
		{name: "lock wait stopped before it", ctx: live, err: n4j("Neo.ClientError.Transaction.LockClientStopped"), code: graph.Unavailable},
		{name: "lock wait stopped, Neo4j 4", ctx: live, err: n4j("Neo.TransientError.Transaction.LockClientStopped"), ranOut: true, code: graph.Timeout},
		{name: "terminated at the timeout", ctx: live, err: n4j("Neo.TransientError.Transaction.Terminated"), ranOut: true, code: graph.Timeout},
		{name: "terminated before it", ctx: live, err: n4j("Neo.TransientError.Transaction.Terminated"), code: graph.Unavailable},
		// The context's deadline, however the driver reports it.
		{name: "deadline", ctx: expired, err: context.DeadlineExceeded, code: graph.Timeout, wraps: context.DeadlineExceeded},
		{name: "deadline during a read", ctx: expired, err: &neo4j.ConnectivityError{Inner: context.DeadlineExceeded},
			code: graph.Timeout, wraps: context.DeadlineExceeded},
		{name: "deadline, whatever the error", ctx: expired, err: n4j("Neo.TransientError.Transaction.DeadlockDetected"),
			code: graph.Timeout, wraps: context.DeadlineExceeded},
		{name: "deadline error from a context not ours", ctx: live, err: context.DeadlineExceeded, code: graph.Timeout},
		{name: "deadline inside a connectivity error", ctx: live, err: &neo4j.ConnectivityError{Inner: context.DeadlineExceeded}, code: graph.Timeout},
		{name: "deadline ending the retries of a query", ctx: live, err: &neo4j.TransactionExecutionLimit{Cause: "timeout",
			Errors: []error{n4j("Neo.TransientError.Transaction.DeadlockDetected"), context.DeadlineExceeded}}, code: graph.Timeout},
		// Unless every attempt failed to reach Neo4j: that is an outage
		// (a killed server refuses connections), whenever it ends.
		{name: "deadline ending the retries of an unreachable server", ctx: expired, err: &neo4j.TransactionExecutionLimit{Cause: "timeout",
			Errors: []error{&neo4j.ConnectivityError{Inner: io.EOF}, &neo4j.ConnectivityError{Inner: syscall.ECONNREFUSED}, context.DeadlineExceeded}},
			code: graph.Unavailable},
		{name: "deadline after a connection refused", ctx: expired, err: &neo4j.ConnectivityError{Inner: syscall.ECONNREFUSED}, code: graph.Unavailable},
		{name: "cancelled after a connection refused", ctx: cancelled, err: &neo4j.TransactionExecutionLimit{
			Errors: []error{&neo4j.ConnectivityError{Inner: syscall.ECONNREFUSED}, context.Canceled}}, code: graph.Unavailable, wraps: context.Canceled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := s.translateTx(c.ctx, c.err, c.ranOut)
			var ge *graph.Error
			if !errors.As(err, &ge) || ge.Code != c.code {
				t.Fatalf("translateTx(%v, ran out: %v) = %v, want code %s", c.err, c.ranOut, err, c.code)
			}
			if c.wraps != nil && !errors.Is(err, c.wraps) {
				t.Errorf("the error %v does not wrap %v", err, c.wraps)
			}
			if !c.ranOut {
				if err2 := s.translate(c.ctx, c.err); graph.ErrorCode(err2) != c.code {
					t.Errorf("translate = %v, translateTx without running out %v", err2, err)
				}
			}
		})
	}
	if s.translate(live, nil) != nil {
		t.Errorf("translate(nil) != nil")
	}
}

// TestTxTimeout: a transaction's timeout is the store's, or the time left
// on the caller's deadline if that is sooner.
func TestTxTimeout(t *testing.T) {
	const limit = 30 * time.Second
	bg := context.Background()
	if got, err := txTimeout(bg, limit); err != nil || got != limit {
		t.Errorf("no deadline: %v, %v; want %v", got, err, limit)
	}
	later, cancel := context.WithTimeout(bg, time.Hour)
	defer cancel()
	if got, err := txTimeout(later, limit); err != nil || got != limit {
		t.Errorf("a deadline after the limit: %v, %v; want %v", got, err, limit)
	}
	sooner, cancel := context.WithTimeout(bg, 5*time.Second)
	defer cancel()
	if got, err := txTimeout(sooner, limit); err != nil || got > 5*time.Second || got < time.Millisecond {
		t.Errorf("a deadline in 5s: %v, %v; want at most 5s", got, err)
	}
	past, cancel := context.WithDeadline(bg, time.Now().Add(-time.Millisecond))
	defer cancel()
	if got, err := txTimeout(past, limit); !graph.Is(err, graph.Timeout) || !errors.Is(err, context.DeadlineExceeded) || got != 0 {
		t.Errorf("a deadline passed: %v, %v; want a Timeout that wraps context.DeadlineExceeded", got, err)
	}
	// A timeout of 0 would tell Neo4j "no timeout": less than a
	// millisecond left, which Neo4j cannot count, is no time at all.
	if got, err := txTimeout(nearlyDone{bg, time.Now().Add(100 * time.Microsecond)}, limit); !graph.Is(err, graph.Timeout) {
		t.Errorf("under a millisecond left: %v, %v; want Timeout", got, err)
	}
}

// nearlyDone reports a deadline under a millisecond away (or just past, on
// a slow machine) without having ended, as a real context may a moment
// before its timer fires.
type nearlyDone struct {
	context.Context
	at time.Time
}

func (c nearlyDone) Deadline() (time.Time, bool) { return c.at, true }
