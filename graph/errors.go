package graph

import (
	"errors"
	"fmt"
)

// Code classifies an Error. The API maps each code to one HTTP status.
type Code string

// Error codes. Exposed in API problem documents: do not rename.
const (
	Invalid     Code = "invalid"
	NotFound    Code = "not_found"
	Conflict    Code = "conflict"
	Unavailable Code = "unavailable"
	TooLarge    Code = "too_large"
	Internal    Code = "internal"
	// Precondition: a conditional write (Edit.IfMatch) found the object
	// changed since the client read it.
	Precondition Code = "precondition_failed"
	// Timeout: the request's time limit ran out before the store answered.
	Timeout Code = "timeout"
)

// Error is the one error type of polgraph. Message is safe to show a client;
// Err, if set, is the underlying cause and is only logged. Candidates lists
// the entities an ambiguous name could mean (with Conflict).
type Error struct {
	Code       Code
	Message    string
	Param      string   // the request parameter at fault, if any
	Candidates []Entity // for ambiguous names
	Err        error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err: its *Error's code, Internal for any
// other error, "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries code. Handy in tests: graph.Is(err, graph.NotFound).
func Is(err error, code Code) bool { return err != nil && ErrorCode(err) == code }
