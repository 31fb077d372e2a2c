package graph

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// NextLevel keeps exactly the smallest ids that fit, sorted, whatever the
// order they were reached in, and forgets the others.
func TestNextLevelKeepsTheSmallestIDs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{0, 1, 2, 3, 10, 199, 200, 201, 1000, 5000} {
		for _, limit := range []int{1, 2, 50, 201, 400} {
			var next []string
			in := map[string]bool{"centre": true}
			for i := range n {
				// duplicates of rank, random order: ids as a store would list them
				id := fmt.Sprintf("%08d-%d", rng.IntN(n+1), i)
				next = append(next, id)
				in[id] = true
			}
			want := slices.Clone(next)
			slices.Sort(want)
			room := limit - 1
			if len(want) > room {
				want = want[:room]
			}
			all, level, truncated := NextLevel([]string{"centre"}, slices.Clone(next), limit, in)
			if !slices.Equal(level, want) || !slices.Equal(all[1:], want) || all[0] != "centre" {
				t.Fatalf("n=%d limit=%d: kept %v, want %v", n, limit, level, want)
			}
			if truncated != (n > room) || len(in) != 1+len(want) {
				t.Fatalf("n=%d limit=%d: truncated %v, %d left in the set", n, limit, truncated, len(in))
			}
		}
	}
}
