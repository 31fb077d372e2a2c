package main

import (
	"fmt"
	"io"
	"slices"

	"github.com/polgraph/polgraph/bench/measure"
)

// printSummary writes the medians over the runs as Markdown tables, the
// form docs/BENCHMARKS.md quotes.
func printSummary(w io.Writer, res *Results) {
	if res == nil {
		return
	}
	fmt.Fprintf(w, "\n%s\n%s\n", res.Machine, res.Settings)

	fmt.Fprintf(w, "\n| store | relations | Apply, relations/s (median) | min–max | runs |\n|---|---:|---:|---:|---:|\n")
	for _, r := range res.Runs {
		if len(r.Apply) == 0 {
			continue
		}
		rate := func(a Apply) float64 { return a.RelationsPerS }
		lo, hi := minMax(r.Apply, rate)
		fmt.Fprintf(w, "| %s | %d | %.0f | %.0f–%.0f | %d |\n", r.Store, r.Relations, median(r.Apply, rate), lo, hi, len(r.Apply))
	}
	if b := res.Baseline; b != nil && len(b.Batched) > 0 && len(b.PerRow) > 0 {
		var ratios []float64
		for i := range min(len(b.Batched), len(b.PerRow)) {
			ratios = append(ratios, b.Batched[i]/b.PerRow[i])
		}
		id := func(x float64) float64 { return x }
		fmt.Fprintf(w, "\nNeo4j Apply of %d relations: batched %.0f relations/s, one row per statement %.0f relations/s, ratio %.1f× (medians of %d alternating runs)\n",
			b.Relations, median(b.Batched, id), median(b.PerRow, id), median(ratios, id), len(ratios))
	}

	fmt.Fprintf(w, "\n| store | relations | question | store p50 | p95 | p99 | API p50 | p95 | p99 | API/store at p50 |\n|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range res.Runs {
		for _, name := range sortedKeys(r.Queries) {
			ps := r.Queries[name]
			d := func(f func(measure.Latency) float64) float64 {
				return median(ps, func(p Pair) float64 { return f(p.Direct) })
			}
			a := func(f func(measure.Latency) float64) float64 {
				return median(ps, func(p Pair) float64 { return f(p.API) })
			}
			fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %.2f× |\n", r.Store, r.Relations, name,
				msf(d(p50)), msf(d(p95)), msf(d(p99)), msf(a(p50)), msf(a(p95)), msf(a(p99)),
				median(ps, func(p Pair) float64 { return p.Overhead }))
		}
	}

	for _, r := range res.Runs {
		if len(r.Floor) > 0 {
			fmt.Fprintf(w, "\n%s, %d relations: HTTP floor (GET /healthz, same client and server) p50 %s, p99 %s\n", r.Store, r.Relations,
				msf(median(r.Floor, p50)), msf(median(r.Floor, p99)))
		}
	}

	fmt.Fprintf(w, "\n| store | relations | load | req/s (median) | p50 | p99 | workers |\n|---|---:|---|---:|---:|---:|---:|\n")
	for _, r := range res.Runs {
		for _, name := range sortedKeys(r.Load) {
			ls := r.Load[name]
			fmt.Fprintf(w, "| %s | %d | %s | %.0f | %s | %s | %d |\n", r.Store, r.Relations, name,
				median(ls, func(l measure.Load) float64 { return l.Throughput }),
				msf(median(ls, func(l measure.Load) float64 { return l.P50 })),
				msf(median(ls, func(l measure.Load) float64 { return l.P99 })), ls[0].Workers)
		}
	}

	fmt.Fprintf(w, "\n| store | relations | serve ready (median) | RSS | RSS added per million relations | Go heap in use |\n|---|---:|---:|---:|---:|---:|\n")
	for _, r := range res.Runs {
		if len(r.Start) == 0 {
			continue
		}
		fmt.Fprintf(w, "| %s | %d | %.2f s | %.0f MiB | %.0f MiB | %.0f MiB |\n", r.Store, r.Relations,
			median(r.Start, func(s Start) float64 { return s.ReadySeconds }),
			median(r.Start, func(s Start) float64 { return float64(s.RSSBytes) })/(1<<20),
			median(r.Start, func(s Start) float64 { return s.BytesPerMillion })/(1<<20),
			median(r.Start, func(s Start) float64 { return s.HeapBytes })/(1<<20))
	}
}

func p50(l measure.Latency) float64 { return l.P50 }
func p95(l measure.Latency) float64 { return l.P95 }
func p99(l measure.Latency) float64 { return l.P99 }

func msf(v float64) string {
	if v < 1 {
		return fmt.Sprintf("%.3f ms", v)
	}
	return fmt.Sprintf("%.1f ms", v)
}

func minMax[T any](xs []T, f func(T) float64) (lo, hi float64) {
	for i, x := range xs {
		v := f(x)
		if i == 0 || v < lo {
			lo = v
		}
		if i == 0 || v > hi {
			hi = v
		}
	}
	return lo, hi
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
