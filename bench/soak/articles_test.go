package soak

import (
	"context"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest"
)

func TestReportsAreNewDocuments(t *testing.T) {
	r := Reports{Run: "t1"}
	urls, texts := map[string]bool{}, map[string]bool{}
	for n := range 2000 {
		a := r.Article(n)
		if urls[a.URL] {
			t.Fatalf("report %d repeats URL %s", n, a.URL)
		}
		urls[a.URL], texts[a.Text] = true, true
		wantLang := []string{"en", "ar"}[n%2]
		if a.Language != wantLang || isArabic(a.Text) != (wantLang == "ar") {
			t.Fatalf("report %d: language %s, Arabic text %v; want %s", n, a.Language, isArabic(a.Text), wantLang)
		}
	}
	// Texts repeat, as wire reports retell: the URL makes the document.
	if len(texts) < 100 {
		t.Fatalf("%d distinct texts in 2000 reports: the cast, places and topics should vary more", len(texts))
	}
	if (Reports{Run: "t2"}).Article(0).URL == r.Article(0).URL {
		t.Fatal("two runs' first reports share a URL")
	}
	if r.Article(7) != r.Article(7) {
		t.Fatal("the same report twice differs")
	}
}

// The reports go through the whole pipeline: persons, places and events in
// both languages.
func TestReportsAreExtracted(t *testing.T) {
	pipe, err := ingest.New(ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for n := range 4 {
		a := Reports{Run: "t"}.Article(n)
		b, err := pipe.Extract(context.Background(), ingest.Article(a))
		if err != nil {
			t.Fatalf("report %d: %v", n, err)
		}
		kinds := map[graph.Kind]int{}
		for _, e := range b.Entities {
			kinds[e.Kind]++
		}
		if kinds[graph.KindPerson] == 0 || kinds[graph.KindPlace] == 0 || kinds[graph.KindEvent] == 0 {
			t.Errorf("report %d (%s) gave %v: want persons, places and events", n, a.Language, kinds)
		}
		if len(b.Documents) == 0 || b.Documents[0].URL != a.URL {
			t.Errorf("report %d: the batch's first document is not the report's", n)
		}
	}
}
