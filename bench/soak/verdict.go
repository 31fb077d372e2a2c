package soak

import (
	"fmt"
	"slices"
	"strings"
)

// Limits are what a run must stay within to pass.
//
// Memory: a leak is memory that keeps growing while the load stays the
// same. The run's second half is fitted with a straight line (Trend), and
// its slope taken over the whole run (Growth) is the memory a leak of that
// rate adds in a run as long as this one. That must stay within
//
//	max(GrowthFloorMiB, GrowthShare × mean) + PerDocKiB × documents ingested
//
// The share makes the limit scale with the server (a leak of 10 % of the
// heap in ten minutes is a leak whether the heap is 50 MiB or 5 GiB). The
// floor keeps noise from failing a small server: a heap of a few tens of
// MiB moves by several MiB as requests come and go and as the GC paces
// itself, and the fit of a 60-second run's second half (30 samples) is
// easily a few MiB off. The per-document allowance is the memory the
// graph itself gains from the ingested reports, which is the store's data,
// not a leak: the embedded store keeps the whole graph in the server's
// heap, so every report adds its document, evidence and mentions there
// (Neo4j keeps them in its own process: set it to 0 there).
type Limits struct {
	GrowthShare    float64 `json:"growth_share"`
	GrowthFloorMiB float64 `json:"growth_floor_mib"`
	PerDocKiB      float64 `json:"per_doc_kib"`
	// MinRateShare is the share of the asked rates (reads and documents a
	// second) a run must reach: a run that fell behind did not apply the
	// load it reports. Below 1 for the edges of a short run, where a
	// request more or less is a few percent.
	MinRateShare float64 `json:"min_rate_share"`
}

// LimitsFor are the limits of a store. The memory a report adds is data
// only where the server keeps the graph, in the embedded store: there
// PerDocKiB allows EmbeddedPerDocKiB; Neo4j keeps the graph in its own
// process, so the server may grow by nothing per report.
func LimitsFor(store string) Limits {
	l := Limits{GrowthShare: 0.10, GrowthFloorMiB: 16, MinRateShare: 0.9}
	if store == "embedded" {
		l.PerDocKiB = EmbeddedPerDocKiB
	}
	return l
}

// EmbeddedPerDocKiB is the growth allowed per report on the embedded
// store. Measured in process (ingest.Store into memstore on the soak's
// seeded graph of 10,000 relations, live heap after runtime.GC), a report
// of Reports adds 17–18 KiB of live heap, steadily over 2,000 reports
// (over a few hundred the figure swings between 5 and 18 KiB, as the
// store's maps grow in steps). The heap goal is twice the live heap
// (GOGC=100) and resident memory follows the heap's peak, so the data
// alone raises the judged figures by about 35 KiB per report; a server
// under the soak's reads, posting 20 reports a second for a minute, grew
// by about 50 KiB per report. 96 KiB covers that with room, and still
// catches a leak of a few MiB a minute in a ten-minute run at 2 reports
// a second.
const EmbeddedPerDocKiB = 96

// CheckedSeries are the memory figures the verdict bounds: the heap goal,
// which follows live data and not the GC's sawtooth (heap in use swings by
// up to the whole live heap between two samples, so its fitted slope is
// noise on a short run; it is reported, not judged), and the anonymous
// resident memory, which catches what grows outside the Go heap (stacks,
// runtime) without counting the pages of the embedded store's file that
// reads map in. Where RSSAnon is not known (a server attached by URL), the
// whole RSS is judged instead.
func CheckedSeries(samples []MemSample) []string {
	rss := SeriesRSSAnon
	if len(samples) == 0 || samples[0].RSSAnon == 0 {
		rss = SeriesRSS
	}
	return []string{SeriesHeapGoal, rss}
}

// Allowed is the growth a figure may show in a run that ingested docs.
func (l Limits) Allowed(t Trend, docs int) float64 {
	return max(l.GrowthFloorMiB, l.GrowthShare*t.Mean) + float64(docs)*l.PerDocKiB/1024
}

// Verdict says whether a run passed and, if not, why.
type Verdict struct {
	Pass     bool     `json:"pass"`
	Failures []string `json:"failures"`
}

func (v Verdict) String() string {
	if v.Pass {
		return "PASS"
	}
	return "FAIL: " + strings.Join(v.Failures, "; ")
}

// Judge gives a run's verdict: it fails on any read or write that was not
// answered 2xx, on any acknowledged document missing or stored twice, on
// rates not reached, and on memory growth past the limits.
func Judge(r *Report, l Limits) Verdict {
	var fails []string
	failf := func(format string, args ...any) { fails = append(fails, fmt.Sprintf(format, args...)) }
	if r.ServerExit != "" {
		failf("the server exited during the run: %s", r.ServerExit)
	}

	if r.Reads.Requests == 0 {
		failf("no reads were made")
	}
	if r.Reads.Errors > 0 {
		failf("%d of %d reads failed (%s)", r.Reads.Errors, r.Reads.Requests, statusList(r.Reads.Failed))
	}
	if r.Reads.WarmupErrors > 0 {
		failf("%d reads failed during the warm-up", r.Reads.WarmupErrors)
	}
	if want := float64(r.Settings.Rate); want > 0 && r.Reads.Rate < l.MinRateShare*want {
		failf("reads reached %.1f/s of the %.0f/s asked", r.Reads.Rate, want)
	}

	in := r.Ingest
	if in.Errors > 0 {
		failf("%d of %d document posts failed (%s)", in.Errors, in.Posted, statusList(in.Failed))
	}
	if in.Unchanged > 0 {
		failf("%d new documents were answered 200 unchanged, as if the store held them already", in.Unchanged)
	}
	if r.Settings.DocRate > 0 {
		if in.Acked == 0 {
			failf("no document was acknowledged")
		}
		if in.Rate < l.MinRateShare*r.Settings.DocRate {
			failf("documents were posted at %.2f/s of the %.2f/s asked", in.Rate, r.Settings.DocRate)
		}
	}
	if len(in.Missing) > 0 {
		failf("%d acknowledged documents cannot be read back (first: %s)", len(in.Missing), in.Missing[0])
	}
	if len(in.Duplicates) > 0 {
		failf("%d documents were acknowledged more than once (first: %s)", len(in.Duplicates), in.Duplicates[0])
	}
	if want := in.Created + len(in.ExtraDocs); in.DocsAfter-in.DocsBefore != want {
		why := ""
		if in.Errors > 0 {
			// A post the server gave up on (its time limit) may have
			// been stored all the same.
			why = fmt.Sprintf("; %d posts failed and may have been stored", in.Errors)
		}
		failf("the store's documents rose by %d, want %d (%d created, %d other new documents%s)",
			in.DocsAfter-in.DocsBefore, want, in.Created, len(in.ExtraDocs), why)
	}

	if len(r.Memory.Samples) == 0 {
		failf("no memory samples")
	}
	for _, series := range CheckedSeries(r.Memory.Samples) {
		t := r.Memory.Trends[series]
		if allowed := l.Allowed(t, in.Acked); t.Growth > allowed {
			failf("%s grew %.1f MiB/min (%.1f MiB over the run), above the %.1f MiB allowed", series, t.Slope, t.Growth, allowed)
		}
	}
	return Verdict{Pass: len(fails) == 0, Failures: nonNil(fails)}
}

// statusList is "503 ×2, transport ×1", the largest count first.
func statusList(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s ×%d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
