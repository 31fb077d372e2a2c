package graph

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// A few mentions added to a long list by binary search give what the
// general union gives: each span once, in order.
func TestUnionMentionsInsertsIntoLongLists(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	mention := func() Mention {
		d := fmt.Sprintf("doc-%02d", rng.IntN(30))
		s := rng.IntN(50)
		return Mention{Document: d, Start: s, End: s + 1 + rng.IntN(3), Text: "x"}
	}
	for range 300 {
		var a, b []Mention
		for range 65 + rng.IntN(200) {
			a = append(a, mention())
		}
		a = unionMentions(nil, a) // sorted and unique, as stored
		for range rng.IntN(9) {
			b = append(b, mention())
		}
		if rng.IntN(3) == 0 && len(b) > 0 {
			b = append(b, a[rng.IntN(len(a))]) // one already there
		}
		got := unionMentions(a, b)
		want := slices.Clone(a)
		for _, m := range b {
			if !slices.ContainsFunc(want, mentionSpan{m.Document, m.Start, m.End}.of) {
				want = append(want, m)
			}
		}
		slices.SortFunc(want, compareMentions)
		want = slices.CompactFunc(want, func(x, y Mention) bool { return compareMentions(x, y) == 0 })
		if !slices.Equal(got, want) {
			t.Fatalf("union of %d and %d mentions: got %d, want %d", len(a), len(b), len(got), len(want))
		}
	}
}
