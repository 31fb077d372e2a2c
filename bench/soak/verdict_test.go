package soak

import (
	"strings"
	"testing"
	"time"
)

// passing is the report of a clean run of a minute: 100 reads/s, 2
// documents/s, flat memory.
func passing() *Report {
	flat := func(float64) float64 { return 40 }
	ms := samples(time.Minute, flat)
	for i := range ms {
		ms[i].RSS, ms[i].RSSAnon = 80<<20, 45<<20
	}
	r := &Report{
		Settings: Settings{Rate: 100, DocRate: 2},
		Reads:    Reads{Requests: 6000, Rate: 100},
		Ingest: Ingest{Posted: 120, Acked: 120, Created: 120, Rate: 2, DocsBefore: 800, DocsAfter: 921,
			ExtraDocs: []string{"gazetteer"}},
		Memory: Memory{Samples: ms, Trends: map[string]Trend{}},
	}
	for _, s := range []string{SeriesHeapGoal, SeriesRSS, SeriesRSSAnon} {
		r.Memory.Trends[s] = TrendOf(ms, s, time.Minute)
	}
	return r
}

func TestJudge(t *testing.T) {
	embedded := LimitsFor("embedded")
	for _, tc := range []struct {
		name   string
		limits Limits
		change func(r *Report)
		want   string // a failure's words; "" for a pass
		others int    // failures besides it
	}{
		{"clean run", embedded, func(*Report) {}, "", 0},
		{"a failed read", embedded, func(r *Report) {
			r.Reads.Errors, r.Reads.Failed = 1, map[string]int{"503": 1}
		}, "1 of 6000 reads failed (503 ×1)", 0},
		{"a failed read in the warm-up", embedded, func(r *Report) { r.Reads.WarmupErrors = 2 }, "2 reads failed during the warm-up", 0},
		{"no reads", embedded, func(r *Report) { r.Reads.Requests, r.Reads.Rate = 0, 0 }, "no reads were made", 1},
		{"reads fell behind", embedded, func(r *Report) { r.Reads.Rate = 80 }, "reads reached 80.0/s of the 100/s asked", 0},
		{"reads just within the rate", embedded, func(r *Report) { r.Reads.Rate = 91 }, "", 0},
		{"a failed post", embedded, func(r *Report) {
			r.Ingest.Posted, r.Ingest.Errors, r.Ingest.Failed = 121, 1, map[string]int{"transport": 1}
		}, "1 of 121 document posts failed (transport ×1)", 0},
		{"a post answered unchanged", embedded, func(r *Report) {
			r.Ingest.Unchanged, r.Ingest.Created, r.Ingest.DocsAfter = 1, 119, 920
		}, "1 new documents were answered 200 unchanged", 0},
		{"an acknowledged document missing", embedded, func(r *Report) { r.Ingest.Missing = []string{"d1 (404 <nil>)"} },
			"1 acknowledged documents cannot be read back (first: d1", 0},
		{"a document acknowledged twice", embedded, func(r *Report) { r.Ingest.Duplicates = []string{"d2"} },
			"1 documents were acknowledged more than once", 0},
		{"a document too many in the store", embedded, func(r *Report) { r.Ingest.DocsAfter = 922 },
			"documents rose by 122, want 121", 0},
		{"a document too few in the store", embedded, func(r *Report) { r.Ingest.DocsAfter = 919 },
			"documents rose by 119, want 121", 0},
		{"nothing acknowledged", embedded, func(r *Report) {
			r.Ingest = Ingest{Posted: 120, Errors: 120, Failed: map[string]int{"500": 120}, Rate: 2, DocsBefore: 800, DocsAfter: 800}
		}, "no document was acknowledged", 1},
		{"posts fell behind", embedded, func(r *Report) { r.Ingest.Rate = 1.5 }, "documents were posted at 1.50/s of the 2.00/s asked", 0},
		{"no ingest asked", embedded, func(r *Report) {
			r.Settings.DocRate = 0
			r.Ingest = Ingest{DocsBefore: 800, DocsAfter: 800}
		}, "", 0},
		{"the server died", embedded, func(r *Report) { r.ServerExit = "signal: killed" }, "the server exited during the run: signal: killed", 0},
		{"no memory samples", embedded, func(r *Report) { r.Memory.Samples = nil }, "no memory samples", 0},
		{"heap leaking", embedded, func(r *Report) {
			// 40 MiB/min over a minute: past max(16, 4) + 120 × 96 KiB = 27.25.
			r.Memory.Trends[SeriesHeapGoal] = Trend{Mean: 40, Slope: 40, Growth: 40}
		}, "heap_goal grew 40.0 MiB/min (40.0 MiB over the run), above the 27.2 MiB allowed", 0},
		{"heap growing with the data", embedded, func(r *Report) {
			r.Memory.Trends[SeriesHeapGoal] = Trend{Mean: 40, Slope: 25, Growth: 25}
		}, "", 0},
		{"the same growth on Neo4j", LimitsFor("neo4j"), func(r *Report) {
			r.Memory.Trends[SeriesHeapGoal] = Trend{Mean: 40, Slope: 25, Growth: 25}
		}, "heap_goal grew 25.0 MiB/min (25.0 MiB over the run), above the 16.0 MiB allowed", 0},
		{"a big heap's share", LimitsFor("neo4j"), func(r *Report) {
			r.Memory.Trends[SeriesHeapGoal] = Trend{Mean: 1000, Slope: 90, Growth: 90}
		}, "", 0},
		{"a big heap leaking", LimitsFor("neo4j"), func(r *Report) {
			r.Memory.Trends[SeriesHeapGoal] = Trend{Mean: 1000, Slope: 110, Growth: 110}
		}, "above the 100.0 MiB allowed", 0},
		{"resident memory leaking", LimitsFor("neo4j"), func(r *Report) {
			r.Memory.Trends[SeriesRSSAnon] = Trend{Mean: 45, Slope: 20, Growth: 20}
		}, "rss_anon grew 20.0 MiB/min", 0},
		{"heap in use swinging, not judged", LimitsFor("neo4j"), func(r *Report) {
			r.Memory.Trends[SeriesHeapInuse] = Trend{Mean: 30, Slope: 60, Growth: 60}
		}, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := passing()
			tc.change(r)
			v := Judge(r, tc.limits)
			if tc.want == "" {
				if !v.Pass || len(v.Failures) != 0 {
					t.Fatalf("verdict %s, want PASS", v)
				}
				return
			}
			if v.Pass {
				t.Fatalf("verdict PASS, want a failure with %q", tc.want)
			}
			found := false
			for _, f := range v.Failures {
				found = found || strings.Contains(f, tc.want)
			}
			if !found || len(v.Failures) != 1+tc.others {
				t.Fatalf("failures %q, want %d with one of them %q", v.Failures, 1+tc.others, tc.want)
			}
		})
	}
}

func TestCheckedSeries(t *testing.T) {
	withAnon := []MemSample{{RSS: 80 << 20, RSSAnon: 40 << 20}}
	if got := CheckedSeries(withAnon); len(got) != 2 || got[0] != SeriesHeapGoal || got[1] != SeriesRSSAnon {
		t.Fatalf("a process of this machine: judged %v, want heap_goal and rss_anon", got)
	}
	// A server attached by URL: only the RSS it reports of itself.
	if got := CheckedSeries([]MemSample{{RSS: 80 << 20}}); got[1] != SeriesRSS {
		t.Fatalf("an attached server: judged %v, want heap_goal and rss", got)
	}
	r := passing()
	for i := range r.Memory.Samples {
		r.Memory.Samples[i].RSSAnon = 0
	}
	r.Memory.Trends[SeriesRSS] = Trend{Mean: 80, Slope: 30, Growth: 30}
	if v := Judge(r, LimitsFor("neo4j")); v.Pass || !strings.Contains(v.String(), "rss grew") {
		t.Fatalf("verdict %s: want the whole RSS judged when its anonymous part is not known", v)
	}
}

func TestAllowed(t *testing.T) {
	l := Limits{GrowthShare: 0.1, GrowthFloorMiB: 16, PerDocKiB: 96}
	for _, tc := range []struct {
		mean float64
		docs int
		want float64
	}{
		{40, 0, 16},             // the floor
		{400, 0, 40},            // the share
		{40, 1024, 16 + 96},     // the floor and the data
		{1000, 2048, 100 + 192}, // the share and the data
	} {
		if got := l.Allowed(Trend{Mean: tc.mean}, tc.docs); got != tc.want {
			t.Errorf("mean %v MiB, %d docs: %v MiB allowed, want %v", tc.mean, tc.docs, got, tc.want)
		}
	}
}
