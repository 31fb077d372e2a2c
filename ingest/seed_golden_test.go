package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/polgraph/polgraph/graph"
)

// TestSeedGolden pins the whole graph extracted from the seed report in a
// golden file reviewed by hand: entities by kind and name, relations by
// type and end names, evidence by rule and rune offsets. It holds no text
// of the report (the report belongs to its publisher), so a change in what
// is read shows as a reviewable diff without copying the article.
// Regenerate with: go test ./ingest -run TestSeedGolden -update
func TestSeedGolden(t *testing.T) {
	arts, err := ReadFile(corpusPath(t, filepath.Join("seed", "seed.json")))
	if err != nil {
		t.Fatal(err)
	}
	b, err := testPipeline(t).Extract(context.Background(), arts[0])
	if err != nil {
		t.Fatal(err)
	}
	got := batchSummary(b)
	golden := filepath.Join("testdata", "seed.summary.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("seed extraction differs from %s; review the diff and run with -update if it is right\ngot:\n%s", golden, got)
	}
}

// batchSummary renders a batch without the text of its article: entities
// by kind and name, relations by type and end names, evidence by rule,
// sentence and rune offsets (gazetteer evidence by rule only, so that
// growing the gazetteer does not move every golden file).
func batchSummary(b *graph.Batch) []byte {
	name := map[string]string{}
	for _, d := range b.Documents {
		name[d.ID] = "document:" + d.Source
	}
	type entity struct {
		Kind, Name, Title string
		Key               string   `json:",omitempty"`
		EventType         string   `json:",omitempty"`
		Date              string   `json:",omitempty"`
		DatePrecision     string   `json:",omitempty"`
		Cameo             string   `json:",omitempty"`
		Topics            []string `json:",omitempty"`
		Mentions          int
	}
	var ents []entity
	for _, e := range b.Entities {
		name[e.ID] = e.Name
		ents = append(ents, entity{Kind: string(e.Kind), Name: e.Name, Title: e.Title, Key: e.Key,
			EventType: e.EventType, Date: e.Date, DatePrecision: e.DatePrecision, Cameo: e.Cameo,
			Topics: e.Topics, Mentions: len(e.Mentions)})
	}
	sort.Slice(ents, func(i, j int) bool {
		return ents[i].Kind+ents[i].Name < ents[j].Kind+ents[j].Name
	})
	var rels []string
	for _, r := range b.Relations {
		q := r.Qualifier()
		if q != "" {
			q = " {" + q + "}"
		}
		line := fmt.Sprintf("%s -%s%s-> %s", name[r.From], r.Type, q, name[r.To])
		for _, ev := range r.Evidence {
			if ev.Rule == ruleGazetteer {
				line += " [" + ev.Rule + "]"
				continue
			}
			line += fmt.Sprintf(" [%s s%d %d:%d %.2f]", ev.Rule, ev.Sentence, ev.Start, ev.End, ev.Confidence)
		}
		if r.Count > 0 {
			line += fmt.Sprintf(" ×%d", r.Count)
		}
		rels = append(rels, line)
	}
	sort.Strings(rels)
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(struct {
		Entities  []entity `json:"entities"`
		Relations []string `json:"relations"`
	}{ents, rels})
	return out.Bytes()
}
