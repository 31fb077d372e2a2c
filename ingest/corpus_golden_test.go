package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// goldenArticles are corpus reports whose whole extraction is pinned in
// testdata/corpus/NNN.summary.golden.json (structure and offsets, no
// text: the reports belong to their publishers), six in each language.
// Each golden file was reviewed by hand against its report; the errors
// left in them are listed in docs/EXTRACTION.md. A change in what is read
// shows as a reviewable diff.
// Regenerate with: go test ./ingest -run TestCorpusGolden -update
var goldenArticles = []string{"001", "004", "008", "010", "011", "013", "014", "015", "018", "023", "026", "027"}

func TestCorpusGolden(t *testing.T) {
	dir := corpusPath(t, "articles")
	p := testPipeline(t)
	for _, id := range goldenArticles {
		t.Run(id, func(t *testing.T) {
			arts, err := ReadFile(filepath.Join(dir, id+".json"))
			if err != nil {
				t.Fatal(err)
			}
			b, err := p.Extract(context.Background(), arts[0])
			if err != nil {
				t.Fatal(err)
			}
			checkBatch(t, b)
			golden := filepath.Join("testdata", "corpus", id+".summary.golden.json")
			got := batchSummary(b)
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			compareGolden(t, golden, got)
		})
	}
}
