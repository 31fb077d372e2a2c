package main

import (
	"slices"
	"testing"

	"github.com/polgraph/polgraph/bench/soak"
)

func TestParseMix(t *testing.T) {
	got, err := parseMix(" relations=3, paths=1 ")
	if err != nil || !slices.Equal(got, []soak.Share{{Kind: soak.Relations, Weight: 3}, {Kind: soak.Paths, Weight: 1}}) {
		t.Fatalf("parseMix = %v, %v", got, err)
	}
	if got, err := parseMix(""); err != nil || !slices.Equal(got, soak.DefaultMix) {
		t.Fatalf("empty -mix: %v, %v; want the default mix", got, err)
	}
	for _, bad := range []string{"relations", "relations=x", "relations=-1", "relations=2,"} {
		if _, err := parseMix(bad); err == nil {
			t.Errorf("parseMix(%q): no error", bad)
		}
	}
}
