package records

import (
	"errors"
	"io"
	"testing"
)

func TestReadAll(t *testing.T) {
	broken := errors.New("disk gone")
	steps := []struct {
		row int
		err error
	}{{1, nil}, {0, &Error{Line: 3, Column: "event_date", Err: errors.New("bad")}}, {2, nil}, {0, io.EOF}}
	next := func(steps []struct {
		row int
		err error
	}) func() (int, error) {
		i := 0
		return func() (int, error) { s := steps[i]; i++; return s.row, s.err }
	}
	rows, skipped, err := ReadAll(next(steps))
	if err != nil || len(rows) != 2 || rows[1] != 2 || len(skipped) != 1 || skipped[0].Error() != "line 3: event_date: bad" {
		t.Fatalf("ReadAll = %v, %v, %v", rows, skipped, err)
	}
	steps[2].err = broken
	rows, _, err = ReadAll(next(steps))
	if !errors.Is(err, broken) || len(rows) != 1 {
		t.Fatalf("a reader failing: rows %v, err %v", rows, err)
	}
	if e := (&Error{Line: 2, Err: io.ErrUnexpectedEOF}); e.Error() != "line 2: unexpected EOF" || !errors.Is(e, io.ErrUnexpectedEOF) {
		t.Errorf("Error without a column: %q", e)
	}
}
