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
// Time limits give Timeout: the context's deadline, and Neo4j's own
// transaction timeout (which transact sets from that deadline).
// Cancellation, connectivity, exhausted retries and refused credentials
// give Unavailable.
func (s *Store) translate(ctx context.Context, err error) error {
	return s.translateTx(ctx, err, false)
}

// translateTx is translate for a transaction that has run for ranOut or
// not: once its timeout has passed, Neo4j stopping it (a terminated
// transaction, a lock wait cut short) is the timeout at work, where
// otherwise it is an operator's or a shutdown's doing.
func (s *Store) translateTx(ctx context.Context, err error, ranOut bool) error {
	if err == nil {
		return nil
	}
	var ge *graph.Error
	if errors.As(err, &ge) {
		return ge
	}
	// A time limit that ran out while the driver retried a server it
	// could not reach is an outage, not a slow query: the client should
	// come back later (503 with Retry-After), not narrow its question.
	if unreachable(err) && !errors.Is(ctx.Err(), context.Canceled) {
		s.log.Warn("neo4j: the graph database is unreachable", "err", err)
		return &graph.Error{Code: graph.Unavailable, Message: "the graph database is unreachable", Err: err}
	}
	if cerr := ctxErr(ctx); cerr != nil {
		return cerr
	}
	deadline := func() error {
		return &graph.Error{Code: graph.Timeout, Message: "the request's time limit ran out", Err: err}
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return deadline()
	case errors.Is(err, context.Canceled):
		return &graph.Error{Code: graph.Unavailable, Message: "the request was cancelled", Err: err}
	}
	// The driver gives up retrying with the errors it met; judge by the last.
	// Neither its retry limit nor its connectivity error unwraps, so a
	// context error inside them (the retry loop records a done context's
	// error last; a read or write cut short by the context is a lost
	// connection) is looked for by hand.
	cause := err
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) && len(limit.Errors) > 0 {
		cause = limit.Errors[len(limit.Errors)-1]
		if errors.As(cause, &ge) {
			return ge
		}
	}
	var conn *neo4j.ConnectivityError
	if errors.As(cause, &conn) && errors.Is(conn.Inner, context.DeadlineExceeded) || errors.Is(cause, context.DeadlineExceeded) {
		return deadline()
	}
	timeout := func() error {
		return &graph.Error{Code: graph.Timeout, Message: "Neo4j stopped the query at its time limit", Err: err}
	}
	unavailable := func(msg string) error {
		s.log.Warn("neo4j: "+msg, "err", err)
		return &graph.Error{Code: graph.Unavailable, Message: msg, Err: err}
	}
	var n4j *neo4j.Neo4jError
	var auth *neo4j.InvalidAuthenticationError
	switch {
	case errors.As(cause, &n4j):
		switch {
		case n4j.Code == "Neo.ClientError.Schema.ConstraintValidationFailed":
			return &graph.Error{Code: graph.Conflict, Message: "the write conflicts with what the graph holds", Err: err}
		case strings.HasPrefix(n4j.Code, "Neo.ClientError.Transaction.TransactionTimedOut"),
			ranOut && stopped(n4j.Code):
			return timeout()
		case stopped(n4j.Code):
			return unavailable("Neo4j stopped the transaction")
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
	case strings.Contains(cause.Error(), "Bolt versions are supported"):
		// A server starting or overloaded answers the Bolt handshake
		// with no version; the driver says so in an error of no type.
		return unavailable("the graph database did not complete the Bolt handshake")
	}
	s.log.Error("neo4j: call failed", "err", err)
	return &graph.Error{Code: graph.Internal, Message: "the graph database could not answer", Err: err}
}

// unreachable reports whether the driver's last attempt, before any
// deadline ended its retries, failed to reach the server: a connection
// refused, reset or closed, and not one cut short by the context.
func unreachable(err error) bool {
	attempts := []error{err}
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) {
		attempts = limit.Errors
	}
	for i := len(attempts) - 1; i >= 0; i-- {
		e := attempts[i]
		if errors.Is(e, context.DeadlineExceeded) && !isConnectivity(e) {
			continue // the deadline that ended the retries; look at the attempt before it
		}
		var conn *neo4j.ConnectivityError
		return errors.As(e, &conn) && !errors.Is(conn.Inner, context.DeadlineExceeded) && !errors.Is(conn.Inner, context.Canceled)
	}
	return false
}

func isConnectivity(err error) bool {
	var conn *neo4j.ConnectivityError
	return errors.As(err, &conn)
}

// stopped reports the codes of a transaction that Neo4j terminated: by its
// timeout, by an operator (TERMINATE TRANSACTION) or on shutdown. A lock
// wait cut short says LockClientStopped (a client error since 5.0, a
// transient one before); statements after the termination say Terminated.
func stopped(code string) bool {
	return strings.HasSuffix(code, ".Transaction.LockClientStopped") || strings.HasSuffix(code, ".Transaction.Terminated")
}

// asNeo4j is errors.As for the driver's server error.
func asNeo4j(err error, target **neo4j.Neo4jError) bool { return errors.As(err, target) }

// errRollback is returned by a write transaction function that found
// nothing to write, so that its lock is released without a commit. It never
// leaves the package.
var errRollback = errors.New("neo4jstore: nothing to write")
