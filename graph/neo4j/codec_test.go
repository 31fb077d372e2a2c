package neo4jstore

import (
	"slices"
	"testing"

	"github.com/polgraph/polgraph/graph"
)

// TestRelKeys checks that relPattern, which creates relationships, names
// every property relProps gives: one it left out would not be stored.
func TestRelKeys(t *testing.T) {
	r := &graph.Relation{ID: "id", Type: graph.HoldsPosition, From: "a", To: "b", Role: "role", Title: "title",
		Count: 2, Date: "2025-10", Confidence: 0.5, EvidenceCount: 1, FirstSeen: "2025-10-01", LastSeen: "2025-10-02",
		Evidence: []graph.Evidence{{ID: "e", Document: "d"}}}
	p := relProps(r, tallyOf(r.Evidence))
	for k := range p {
		if !slices.Contains(relKeys, k) {
			t.Errorf("relProps gives %q, which relKeys lacks", k)
		}
	}
}
