package neo4jstore

import (
	"context"
	"errors"
	"io"
	"log/slog"
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
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	n4j := func(code string) error { return &neo4j.Neo4jError{Code: code, Msg: "m"} }
	cases := []struct {
		name string
		ctx  context.Context
		err  error
		code graph.Code
	}{
		{"ours", context.Background(), own, graph.NotFound},
		{"ours after retries", context.Background(), &neo4j.TransactionExecutionLimit{Errors: []error{own}}, graph.NotFound},
		{"constraint", context.Background(), n4j("Neo.ClientError.Schema.ConstraintValidationFailed"), graph.Conflict},
		{"timeout", context.Background(), n4j("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"), graph.Unavailable},
		{"transient", context.Background(), n4j("Neo.TransientError.Transaction.DeadlockDetected"), graph.Unavailable},
		{"memory", context.Background(), n4j("Neo.TransientError.General.MemoryPoolOutOfMemoryError"), graph.TooLarge},
		{"auth", context.Background(), n4j("Neo.ClientError.Security.Unauthorized"), graph.Unavailable},
		{"no database", context.Background(), n4j("Neo.ClientError.Database.DatabaseNotFound"), graph.Unavailable},
		{"syntax", context.Background(), n4j("Neo.ClientError.Statement.SyntaxError"), graph.Internal},
		{"connectivity", context.Background(), &neo4j.ConnectivityError{Inner: io.EOF}, graph.Unavailable},
		{"retries exhausted", context.Background(), &neo4j.TransactionExecutionLimit{Cause: "timeout",
			Errors: []error{&neo4j.ConnectivityError{Inner: io.EOF}}}, graph.Unavailable},
		{"cancelled", cancelled, context.Canceled, graph.Unavailable},
		{"anything else", context.Background(), errors.New("boom"), graph.Internal},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := s.translate(c.ctx, c.err)
			var ge *graph.Error
			if !errors.As(err, &ge) || ge.Code != c.code {
				t.Fatalf("translate(%v) = %v, want code %s", c.err, err, c.code)
			}
			if c.ctx.Err() != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("a cancelled call's error %v does not wrap context.Canceled", err)
			}
		})
	}
	if s.translate(context.Background(), nil) != nil {
		t.Errorf("translate(nil) != nil")
	}
}
