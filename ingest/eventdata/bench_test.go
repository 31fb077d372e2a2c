package eventdata

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/internal/neo4jtest"
	"github.com/polgraph/polgraph/internal/shared"
)

// Import throughput, rows/s, on both stores. The inputs are the shared
// samples made ten times larger in memory (never written out): ACLED rows
// under ten sets of event ids, GDELT rows cited by ten sets of URLs (the
// same events, reported ten times over). Each iteration imports into an
// empty store.
//
//	go test ./ingest/eventdata -run '^$' -bench Import -benchtime 5x
//	NEO4J_URI=bolt://127.0.0.1:7687 go test ./ingest/eventdata -run '^$' -bench Import/neo4j -benchtime 3x

const copies = 10

func acledInput(b *testing.B) ([]byte, int) {
	f, err := os.Open(shared.Path(b, "data", "acled", "events-sample.csv"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	id := -1
	for i, h := range recs[0] {
		if h == "event_id_cnty" {
			id = i
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(recs[0])
	for k := range copies {
		for _, r := range recs[1:] {
			r = append([]string(nil), r...)
			r[id] = fmt.Sprintf("%sC%d", r[id], k)
			w.Write(r)
		}
	}
	w.Flush()
	return buf.Bytes(), copies * (len(recs) - 1)
}

func gdeltInput(b *testing.B) ([]byte, int) {
	data, err := os.ReadFile(shared.Path(b, "data", "gdelt", "v1", "events-sample.tsv"))
	if err != nil {
		b.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	var buf bytes.Buffer
	for k := range copies {
		for _, l := range lines {
			f := strings.Split(l, "\t")
			f[0] = fmt.Sprintf("%s%d", f[0], k)
			if last := len(f) - 1; len(f) == 58 && f[last] != "" {
				f[last] = fmt.Sprintf("%s?copy=%d", f[last], k)
			}
			buf.WriteString(strings.Join(f, "\t") + "\n")
		}
	}
	return buf.Bytes(), copies * len(lines)
}

func BenchmarkImport(b *testing.B) {
	m := newMapper(b)
	inputs := []struct {
		name string
		make func(*testing.B) ([]byte, int)
		imp  func(graph.Store, []byte) error
	}{
		{"acled", acledInput, func(st graph.Store, in []byte) error {
			_, err := m.ImportACLED(ctx, st, bytes.NewReader(in))
			return err
		}},
		{"gdelt", gdeltInput, func(st graph.Store, in []byte) error {
			_, err := m.ImportGDELT(ctx, st, bytes.NewReader(in))
			return err
		}},
	}
	stores := []struct {
		name string
		open func(b *testing.B) graph.Store
	}{
		{"embedded", func(b *testing.B) graph.Store {
			st, err := memstore.Open(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			return st
		}},
		{"neo4j", func(b *testing.B) graph.Store { return neo4jtest.Open(b, neo4jtest.Config(b)) }},
	}
	for _, s := range stores {
		for _, in := range inputs {
			b.Run(s.name+"/"+in.name, func(b *testing.B) {
				data, rows := in.make(b)
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					b.StopTimer()
					st := s.open(b)
					b.StartTimer()
					if err := in.imp(st, data); err != nil {
						b.Fatal(err)
					}
					b.StopTimer()
					if s.name == "embedded" {
						st.Close()
					} else {
						neo4jtest.Wipe(b, neo4jtest.Config(b))
					}
					b.StartTimer()
				}
				b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}
