package storetest

import (
	"testing"

	"github.com/polgraph/polgraph/graph"
)

// TestFixture checks the fixture itself, without a store: it validates,
// every offset is a real rune offset into its document, and ids are unique.
func TestFixture(t *testing.T) {
	b := Fixture()
	if err := b.Validate(nil); err != nil {
		t.Fatalf("fixture does not validate: %v", err)
	}
	texts := map[string][]rune{}
	for _, d := range b.Documents {
		texts[d.ID] = []rune(d.Text)
	}
	seen := map[string]bool{}
	for _, e := range b.Entities {
		if seen[e.ID] {
			t.Errorf("entity id %s twice", e.ID)
		}
		seen[e.ID] = true
		for _, m := range e.Mentions {
			if string(texts[m.Document][m.Start:m.End]) != m.Text {
				t.Errorf("%s: mention [%d:%d] is not %q", e.Name, m.Start, m.End, m.Text)
			}
		}
	}
	for _, r := range b.Relations {
		if seen[r.ID] {
			t.Errorf("relation id %s twice", r.ID)
		}
		seen[r.ID] = true
		for _, ev := range r.Evidence {
			text := texts[ev.Document]
			if string(text[ev.Start:ev.End]) != ev.Text {
				t.Errorf("%s: evidence [%d:%d] is %q, not %q", r.Type, ev.Start, ev.End, string(text[ev.Start:ev.End]), ev.Text)
			}
			if string(text[ev.SentenceStart:ev.SentenceStart+len([]rune(ev.SentenceText))]) != ev.SentenceText {
				t.Errorf("%s: sentence at %d is not %q", r.Type, ev.SentenceStart, ev.SentenceText)
			}
		}
	}
	if len(b.Entities) != fixtureEntities {
		t.Errorf("%d entities, want %d", len(b.Entities), fixtureEntities)
	}
	if err := DuplicateBatch().Validate(func(id string) (graph.Kind, bool) {
		for _, e := range b.Entities {
			if e.ID == id {
				return e.Kind, true
			}
		}
		return graph.KindDocument, id == DocAgreement
	}); err != nil {
		t.Errorf("DuplicateBatch does not validate against the fixture: %v", err)
	}
	// Fixture returns a fresh copy each time.
	b.Entities[0].Aliases[0] = "changed"
	if Fixture().Entities[0].Aliases[0] == "changed" {
		t.Errorf("Fixture shares its slices between calls")
	}
}
