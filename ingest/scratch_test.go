package ingest

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestScratch(t *testing.T) {
	text := os.Getenv("SCRATCH")
	if text == "" {
		t.Skip()
	}
	p := testPipeline(t)
	v := newView(extractText(t, p, text))
	for _, e := range v.b.Entities {
		fmt.Printf("E %s %q %s m=%d\n", e.Kind, e.Name, e.Key, len(e.Mentions))
	}
	fmt.Println(strings.Join(v.relations(), "\n"))
}
