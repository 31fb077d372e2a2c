package graph

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// A store that keeps only how many pieces of evidence have each
// confidence must derive what Derive derives from the pieces, exactly:
// the two backends are compared field by field.
func TestConfidenceOfMatchesDerive(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	levels := []float64{0.35, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99}
	for trial := range 2000 {
		n := rng.IntN(40)
		r := Relation{ID: "r"}
		tally := map[float64]int{}
		for i := range n {
			c := levels[rng.IntN(len(levels))]
			if rng.IntN(4) == 0 {
				c = float64(rng.IntN(10000)) / 10000 // any figure a rule may give
			}
			tally[c]++
			r.Evidence = append(r.Evidence, Evidence{ID: fmt.Sprint(i), Document: fmt.Sprint(rng.IntN(5)), Start: rng.IntN(100), Confidence: c})
		}
		rng.Shuffle(len(r.Evidence), func(i, j int) { r.Evidence[i], r.Evidence[j] = r.Evidence[j], r.Evidence[i] })
		if got, want := ConfidenceOf(tally), Derive(r).Confidence; got != want {
			t.Fatalf("trial %d: ConfidenceOf(%v) = %v, Derive gives %v", trial, tally, got, want)
		}
	}
	if got := ConfidenceOf(nil); got != 1 {
		t.Errorf("ConfidenceOf(no evidence) = %v, want 1 (unasserted)", got)
	}
	if got := ConfidenceOf(map[float64]int{0.5: 2, 0.9: 0}); got != 0.75 {
		t.Errorf("ConfidenceOf(two at 0.5) = %v, want 0.75", got)
	}
}
