package graph

import "testing"

// TestSpanBoundsAgreeWithContains checks the rule backends use in queries
// against Window.Contains over every combination of some awkward dates.
func TestSpanBoundsAgreeWithContains(t *testing.T) {
	dates := []string{"", "2024", "2025", "2025-03", "2025-03-01", "2025-03-15", "2025-03-31", "2025-04", "2025-10-20", "2026"}
	windows := []string{"", "2025", "2025-03", "2025-03-15", "2025-03-31", "2025-10-20"}
	for _, date := range dates {
		for _, first := range dates {
			for _, last := range dates {
				r := Relation{Date: date, FirstSeen: first, LastSeen: last}
				start, end, ok := r.SpanBounds()
				for _, wf := range windows {
					for _, wt := range windows {
						w := Window{From: wf, To: wt}
						from, to := w.Bounds()
						got := w.Open() || ok && (from == "" || end >= from) && (to == "" || start <= to)
						if want := w.Contains(r.Span()); got != want {
							t.Fatalf("relation date %q seen %q..%q, window %+v: bounds say %v, Contains %v", date, first, last, w, got, want)
						}
					}
				}
			}
		}
	}
}
