package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkExtractCorpus measures extraction throughput on the 27 real
// reports of ../shared/corpus (read there, never copied), one article at a
// time on one goroutine, so articles/s is per core.
//
//	go test ./ingest -run '^$' -bench ExtractCorpus -cpu 1 -count 5
func BenchmarkExtractCorpus(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "articles", "*.json"))
	if len(files) == 0 {
		if os.Getenv("CI") != "" {
			b.Fatal("CI is set but the corpus is missing")
		}
		b.Skip("the shared corpus is not here")
	}
	var arts []Article
	bytes := 0
	for _, f := range files {
		as, err := ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range as {
			bytes += len(a.Text)
		}
		arts = append(arts, as...)
	}
	p := testPipeline(b)
	ctx := context.Background()
	b.SetBytes(int64(bytes / len(arts)))
	b.ReportAllocs() // allocation drives GC, a fifth of extraction's time
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := p.Extract(ctx, arts[i%len(arts)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}
