package ingest

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest/records"
)

// TestArticleLinesGoesOnAfterBadLines reads a stream with every kind of bad
// line: each is reported with its line and code, and the good ones after it
// are still read.
func TestArticleLinesGoesOnAfterBadLines(t *testing.T) {
	long := `{"text":"` + strings.Repeat("x", 200) + `"}`
	in := "\xef\xbb\xbf" + `{"id":"a","text":"نص","published":"2025-10-20T08:00:00Z"}` + "\n" + // 1
		"\n" + // 2: blank
		`{oops}` + "\n" + // 3
		long + "\n" + // 4: over the limit
		`{"id":"b","text":"text","extra":1}` + "\n" + // 5: unknown field when strict
		`{"text":""}` + "\n" + // 6
		`{"text":"a"} {"text":"b"}` + "\n" + // 7: two values
		"{\"text\":\"\xff\"}\n" + // 8: not UTF-8
		`{"id":"c","text":"last"}` // 9: no final newline
	type step struct {
		id   string
		line int
		code graph.Code
	}
	want := []step{{"a", 1, ""}, {"", 3, graph.Invalid}, {"", 4, graph.TooLarge}, {"", 5, graph.Invalid},
		{"", 6, graph.Invalid}, {"", 7, graph.Invalid}, {"", 8, graph.Invalid}, {"c", 9, ""}}
	lines := NewArticleLines(strings.NewReader(in), 100)
	lines.Strict = true
	var got []step
	for {
		a, err := lines.Next()
		if err == io.EOF {
			break
		}
		var bad *records.Error
		switch {
		case errors.As(err, &bad):
			if bad.Line != lines.Line() {
				t.Errorf("error at line %d, Line() = %d", bad.Line, lines.Line())
			}
			got = append(got, step{"", bad.Line, graph.ErrorCode(bad.Err)})
		case err != nil:
			t.Fatal(err)
		default:
			got = append(got, step{a.ID, lines.Line(), ""})
			if a.ID == "a" && (a.Published != "2025-10-20" || a.Language != "ar") {
				t.Errorf("article a not cleaned: %+v", a)
			}
		}
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("step %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestArticleLinesLenientByDefault(t *testing.T) {
	lines := NewArticleLines(strings.NewReader(`{"text":"t","extra":true}`+"\n"), 1000)
	if a, err := lines.Next(); err != nil || a.Text != "t" {
		t.Fatalf("Next = %+v, %v; an unknown field is ignored unless Strict", a, err)
	}
	if _, err := lines.Next(); err != io.EOF {
		t.Fatalf("then %v, want EOF", err)
	}
}
