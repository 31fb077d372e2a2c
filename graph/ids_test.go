package graph

import (
	"strconv"
	"testing"
)

// EvidenceID writes its numbers in place: the ids are those of the parts
// joined as strings, which stored graphs hold.
func TestEvidenceIDParts(t *testing.T) {
	for _, span := range [][2]int{{0, 0}, {7, 42}, {1234, 98765}, {-1, 3}} {
		want := newID("evidence", "rel", "doc", strconv.Itoa(span[0]), strconv.Itoa(span[1]))
		if got := EvidenceID("rel", "doc", span[0], span[1]); got != want {
			t.Errorf("EvidenceID(%v) = %s, want %s", span, got, want)
		}
	}
}
