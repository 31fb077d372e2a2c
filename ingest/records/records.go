// Package records holds what the readers of structured event files
// (ingest/acled, ingest/gdelt) share: the error of one bad record, which a
// reader reports and skips, and the loop that reads a file to its end.
package records

import (
	"errors"
	"fmt"
	"io"
)

// Error is a record that could not be read; the reader goes on after it.
type Error struct {
	Line   int    // the record's first line in the file
	Column string // the column at fault, "" for the record as a whole
	Err    error
}

func (e *Error) Error() string {
	if e.Column != "" {
		return fmt.Sprintf("line %d: %s: %v", e.Line, e.Column, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// ReadAll calls next until io.EOF, keeping the rows and the records
// skipped (*Error). Any other error ends the reading and is returned with
// what was read before it.
func ReadAll[T any](next func() (T, error)) (rows []T, skipped []*Error, err error) {
	for {
		row, err := next()
		var bad *Error
		switch {
		case err == io.EOF:
			return rows, skipped, nil
		case errors.As(err, &bad):
			skipped = append(skipped, bad)
		case err != nil:
			return rows, skipped, err
		default:
			rows = append(rows, row)
		}
	}
}
