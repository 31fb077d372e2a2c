package neo4jstore

import (
	"context"
	"errors"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/polgraph/polgraph/graph"
)

// ctxErr turns a done context into a graph error that still wraps
// context.Canceled or context.DeadlineExceeded, as memstore does.
func ctxErr(ctx context.Context) error { return graph.ContextError(ctx) }

// translate turns what the driver returns into a *graph.Error: this is the
// one place where driver errors cross into polgraph. Errors that already are
// graph errors (returned by our own transaction functions) pass unchanged.
func (s *Store) translate(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var ge *graph.Error
	if errors.As(err, &ge) {
		return ge
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
		if cerr := ctxErr(ctx); cerr != nil {
			return cerr
		}
		return &graph.Error{Code: graph.Unavailable, Message: "the request was cancelled or timed out", Err: err}
	}
	// The driver gives up retrying with the errors it met; judge by the last.
	cause := err
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) && len(limit.Errors) > 0 {
		cause = limit.Errors[len(limit.Errors)-1]
		if errors.As(cause, &ge) {
			return ge
		}
	}
	unavailable := func(msg string) error {
		s.log.Warn("neo4j: "+msg, "err", err)
		return &graph.Error{Code: graph.Unavailable, Message: msg, Err: err}
	}
	var n4j *neo4j.Neo4jError
	var conn *neo4j.ConnectivityError
	var auth *neo4j.InvalidAuthenticationError
	switch {
	case errors.As(cause, &n4j):
		switch {
		case n4j.Code == "Neo.ClientError.Schema.ConstraintValidationFailed":
			return &graph.Error{Code: graph.Conflict, Message: "the write conflicts with what the graph holds", Err: err}
		case strings.HasPrefix(n4j.Code, "Neo.ClientError.Transaction.TransactionTimedOut"):
			return unavailable("the query took longer than the time limit (" + s.timeout.String() + ")")
		case strings.HasPrefix(n4j.Code, "Neo.ClientError.Security."):
			return unavailable("Neo4j refused the credentials")
		case n4j.Code == "Neo.ClientError.Database.DatabaseNotFound":
			return unavailable("Neo4j has no database " + s.db)
		case strings.HasPrefix(n4j.Code, "Neo.TransientError.General.Memory"),
			strings.HasPrefix(n4j.Code, "Neo.TransientError.General.TransactionMemoryLimit"):
			return &graph.Error{Code: graph.TooLarge, Message: "the request needs more memory than Neo4j allows one transaction", Err: err}
		case strings.HasPrefix(n4j.Code, "Neo.TransientError."), n4j.IsRetriable():
			return unavailable("Neo4j is busy or unavailable")
		}
		s.log.Error("neo4j: query failed", "code", n4j.Code, "err", err)
		return &graph.Error{Code: graph.Internal, Message: "the graph database could not answer", Err: err}
	case errors.As(cause, &conn), errors.As(cause, &auth), limit != nil, neo4j.IsRetryable(cause):
		return unavailable("the graph database is unavailable")
	}
	s.log.Error("neo4j: call failed", "err", err)
	return &graph.Error{Code: graph.Internal, Message: "the graph database could not answer", Err: err}
}

// asNeo4j is errors.As for the driver's server error.
func asNeo4j(err error, target **neo4j.Neo4jError) bool { return errors.As(err, target) }

// errRollback is returned by a write transaction function that found
// nothing to write, so that its lock is released without a commit. It never
// leaves the package.
var errRollback = errors.New("neo4jstore: nothing to write")
