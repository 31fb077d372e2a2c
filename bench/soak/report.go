package soak

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/polgraph/polgraph/bench/measure"
)

// Report is what a soak run measured, as polsoak's -json file holds it.
type Report struct {
	Settings Settings `json:"settings"`
	Reads    Reads    `json:"reads"`
	Ingest   Ingest   `json:"ingest"`
	Memory   Memory   `json:"memory"`
	// ServerExit says how the server's process ended, if it ended before
	// the run did; "" while it runs.
	ServerExit string `json:"server_exit,omitempty"`
	// ServerLog is what the server logged, when polsoak started it.
	ServerLog *ServerLog `json:"server_log,omitempty"`
	Verdict   Verdict    `json:"verdict"`
}

// Settings are what the run was asked to do, and where.
type Settings struct {
	Store    string    `json:"store"`
	URL      string    `json:"url"`
	Started  time.Time `json:"started"`
	Duration string    `json:"duration"`
	Warmup   string    `json:"warmup"`
	Rate     int       `json:"reads_per_s"`
	DocRate  float64   `json:"docs_per_s"`
	Mix      []Share   `json:"mix"`
	// Relations is the size of the seeded graph, when polsoak seeded it.
	Relations int     `json:"seeded_relations,omitempty"`
	Machine   string  `json:"machine"`
	Limits    Limits  `json:"limits"`
	Sampling  float64 `json:"memory_interval_s"`
}

// Reads are the fixed-rate reads' answers.
type Reads struct {
	Requests int `json:"requests"`
	Errors   int `json:"errors"`
	// Failed counts failed reads by status ("503"), "transport" for
	// requests that got no answer.
	Failed map[string]int `json:"errors_by_status"`
	// Rate is the rate reached: requests over the span of their start
	// times.
	Rate    float64                  `json:"achieved_per_s"`
	Overall measure.Latency          `json:"overall"`
	Kinds   map[Kind]measure.Latency `json:"kinds"`
	// DuringPosts are the reads that overlapped a document post, and
	// BetweenPosts the others: whether ingest slows reads down.
	DuringPosts  measure.Latency `json:"during_posts"`
	BetweenPosts measure.Latency `json:"between_posts"`
	Windows      []Window        `json:"windows"`
	ErrorSamples []string        `json:"error_samples,omitempty"`
	WarmupErrors int             `json:"warmup_errors"`
}

// Window is a tenth of the run: whether latency or memory drifted.
type Window struct {
	From     float64 `json:"from_s"`
	To       float64 `json:"to_s"`
	Requests int     `json:"requests"`
	Errors   int     `json:"errors"`
	P50      float64 `json:"p50_ms"`
	P99      float64 `json:"p99_ms"`
	Max      float64 `json:"max_ms"`
	Docs     int     `json:"docs_acked"`
	// HeapGoal and RSS are the last memory sample's in the window, MiB.
	HeapGoal float64 `json:"heap_goal_mib"`
	RSS      float64 `json:"rss_mib"`
}

// Ingest is what the document writer posted and what the store kept.
type Ingest struct {
	Posted int `json:"posted"`
	// Acked documents were answered 2xx: Created (201) plus Unchanged
	// (200, which a new document should never get).
	Acked        int             `json:"acked"`
	Created      int             `json:"created"`
	Unchanged    int             `json:"unchanged"`
	Errors       int             `json:"errors"`
	Failed       map[string]int  `json:"errors_by_status"`
	Rate         float64         `json:"achieved_per_s"`
	Latency      measure.Latency `json:"latency"`
	ErrorSamples []string        `json:"error_samples,omitempty"`
	// WarmupPosted and WarmupErrors are the warm-up's posts, reported
	// and not judged.
	WarmupPosted int `json:"warmup_posted"`
	WarmupErrors int `json:"warmup_errors"`
	// DocsBefore and DocsAfter are the store's document counts (GET
	// /v1/stats) before the first post and after the last.
	DocsBefore int `json:"docs_before"`
	DocsAfter  int `json:"docs_after"`
	// ExtraDocs are documents besides the posted ones that the posts
	// added (the gazetteer's, cited for the facts it adds to a report),
	// not known before the run.
	ExtraDocs  []string `json:"extra_docs"`
	Found      int      `json:"found"`
	Missing    []string `json:"missing"`
	Duplicates []string `json:"duplicates"`
}

// Memory is the server's memory through the run.
type Memory struct {
	Samples      []MemSample        `json:"samples"`
	Trends       map[string]Trend   `json:"trends"`
	Allowed      map[string]float64 `json:"allowed_growth_mib"`
	SampleErrors int                `json:"sample_errors"`
}

// WriteJSON writes the report to path, making its directory.
func (r *Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(path, append(b, '\n'))
}

// WriteMarkdownFile writes the Markdown summary to path.
func (r *Report) WriteMarkdownFile(path string) error {
	var b strings.Builder
	r.WriteMarkdown(&b)
	return writeFile(path, []byte(b.String()))
}

func writeFile(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// kindOrder lists the kinds of the report in the mix's order, then any
// others.
func (r *Report) kindOrder() []Kind {
	var out []Kind
	for _, sh := range r.Settings.Mix {
		if _, ok := r.Reads.Kinds[sh.Kind]; ok && !slices.Contains(out, sh.Kind) {
			out = append(out, sh.Kind)
		}
	}
	var rest []Kind
	for k := range r.Reads.Kinds {
		if !slices.Contains(out, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// WriteMarkdown writes the report as Markdown: the verdict, latencies by
// kind, the ingest's check, memory trends and the run in tenths.
func (r *Report) WriteMarkdown(w io.Writer) {
	s := r.Settings
	fmt.Fprintf(w, "# Soak: %s store, %s\n\n", s.Store, s.Duration)
	fmt.Fprintf(w, "**%s**\n\n", r.Verdict)
	for _, f := range r.Verdict.Failures {
		fmt.Fprintf(w, "- %s\n", f)
	}
	if len(r.Verdict.Failures) > 0 {
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Started %s on %s. %d reads/s (mix %s) and %.2g documents/s for %s after a %s warm-up",
		s.Started.Format(time.RFC3339), s.Machine, s.Rate, mixString(s.Mix), s.DocRate, s.Duration, s.Warmup)
	if s.Relations > 0 {
		fmt.Fprintf(w, ", on a synthetic graph of %d relations", s.Relations)
	}
	fmt.Fprintf(w, "; memory sampled every %gs.\n\n", s.Sampling)

	rd := r.Reads
	fmt.Fprintf(w, "## Reads\n\n%d requests, %d errors%s, %.1f req/s reached.\n\n", rd.Requests, rd.Errors,
		failedSuffix(rd.Failed), rd.Rate)
	fmt.Fprintln(w, "| kind | requests | errors | p50 ms | p95 ms | p99 ms | max ms |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
	row := func(name string, l measure.Latency) {
		fmt.Fprintf(w, "| %s | %d | %d | %.2f | %.2f | %.2f | %.1f |\n", name, l.N, l.Errors, l.P50, l.P95, l.P99, l.Max)
	}
	for _, k := range r.kindOrder() {
		row(string(k), rd.Kinds[k])
	}
	row("**all reads**", rd.Overall)
	row("ingest (POST /v1/documents)", r.Ingest.Latency)
	fmt.Fprintln(w)
	if rd.DuringPosts.N > 0 {
		fmt.Fprintf(w, "Reads while a document post was being answered: %d, p50 %.2f p99 %.2f max %.1f ms; the others: %d, p50 %.2f p99 %.2f max %.1f ms.\n\n",
			rd.DuringPosts.N, rd.DuringPosts.P50, rd.DuringPosts.P99, rd.DuringPosts.Max,
			rd.BetweenPosts.N, rd.BetweenPosts.P50, rd.BetweenPosts.P99, rd.BetweenPosts.Max)
	}
	for _, e := range rd.ErrorSamples {
		fmt.Fprintf(w, "- `%s`\n", e)
	}

	in := r.Ingest
	fmt.Fprintf(w, "## Ingest\n\n%d documents posted (%.2f/s reached), %d acknowledged (%d created, %d unchanged), %d failed%s. ",
		in.Posted, in.Rate, in.Acked, in.Created, in.Unchanged, in.Errors, failedSuffix(in.Failed))
	fmt.Fprintf(w, "Read back: %d found, %d missing, %d acknowledged twice. Documents in the store: %d before, %d after (+%d; %d created + %d other new).\n\n",
		in.Found, len(in.Missing), len(in.Duplicates), in.DocsBefore, in.DocsAfter, in.DocsAfter-in.DocsBefore, in.Created, len(in.ExtraDocs))
	if in.WarmupPosted > 0 {
		fmt.Fprintf(w, "The warm-up posted %d more, not judged: %d failed.\n\n", in.WarmupPosted, in.WarmupErrors)
	}
	for _, e := range in.ErrorSamples {
		fmt.Fprintf(w, "- `%s`\n", e)
	}

	m := r.Memory
	fmt.Fprintf(w, "## Memory\n\nSlopes are least-squares fits over the run's second half; growth is the slope over the whole run. Judged: %s (allowed growth: max(%g MiB, %g%% of the mean) + %g KiB per document acknowledged).\n\n",
		strings.Join(CheckedSeries(m.Samples), ", "), s.Limits.GrowthFloorMiB, s.Limits.GrowthShare*100, s.Limits.PerDocKiB)
	fmt.Fprintln(w, "| figure | first | last | max | mean | slope /min | growth | allowed |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, series := range []string{SeriesHeapInuse, SeriesHeapGoal, SeriesRSS, SeriesRSSAnon, SeriesGoroutines} {
		t, ok := m.Trends[series]
		if !ok {
			continue
		}
		unit := " MiB"
		if series == SeriesGoroutines {
			unit = ""
		}
		allowed := "—"
		if a, judged := m.Allowed[series]; judged {
			allowed = fmt.Sprintf("%.1f%s", a, unit)
		}
		fmt.Fprintf(w, "| %s | %.1f%s | %.1f%s | %.1f%s | %.1f%s | %+.2f%s | %+.1f%s | %s |\n", series, t.First, unit, t.Last, unit,
			t.Max, unit, t.Mean, unit, t.Slope, unit, t.Growth, unit, allowed)
	}
	fmt.Fprintf(w, "\n%d samples", len(m.Samples))
	if m.SampleErrors > 0 {
		fmt.Fprintf(w, ", %d failed", m.SampleErrors)
	}
	fmt.Fprintln(w, ".")
	if r.ServerLog != nil {
		fmt.Fprintf(w, "\n## Server log\n\nLines by level: %s.\n", statusList(r.ServerLog.Levels))
		for _, m := range r.ServerLog.Messages {
			fmt.Fprintf(w, "\n    %s\n", m)
		}
	}

	if len(rd.Windows) > 0 {
		fmt.Fprintln(w, "\n## The run in tenths\n\n| from s | to s | reads | errors | p50 ms | p99 ms | max ms | docs | heap goal MiB | RSS MiB |")
		fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
		for _, win := range rd.Windows {
			fmt.Fprintf(w, "| %.4g | %.4g | %d | %d | %.2f | %.2f | %.1f | %d | %.1f | %.1f |\n", win.From, win.To, win.Requests,
				win.Errors, win.P50, win.P99, win.Max, win.Docs, win.HeapGoal, win.RSS)
		}
	}
}

// WriteSummary writes the few lines a terminal shows.
func (r *Report) WriteSummary(w io.Writer) {
	s, rd, in := r.Settings, r.Reads, r.Ingest
	fmt.Fprintf(w, "soak %s %s: %s\n", s.Store, s.Duration, r.Verdict)
	fmt.Fprintf(w, "  reads  %d at %.1f/s (asked %d/s), %d errors%s; p50 %.2f p95 %.2f p99 %.2f max %.1f ms\n",
		rd.Requests, rd.Rate, s.Rate, rd.Errors, failedSuffix(rd.Failed), rd.Overall.P50, rd.Overall.P95, rd.Overall.P99, rd.Overall.Max)
	for _, k := range r.kindOrder() {
		l := rd.Kinds[k]
		fmt.Fprintf(w, "    %-13s %6d  p50 %7.2f  p99 %8.2f  max %8.1f ms\n", k, l.N, l.P50, l.P99, l.Max)
	}
	if d, b := rd.DuringPosts, rd.BetweenPosts; d.N > 0 {
		fmt.Fprintf(w, "    during posts  %6d  p50 %7.2f  p99 %8.2f  max %8.1f ms; between posts p50 %.2f p99 %.2f ms\n",
			d.N, d.P50, d.P99, d.Max, b.P50, b.P99)
	}
	fmt.Fprintf(w, "  ingest %d posted at %.2f/s, %d acked, %d failed; %d found, %d missing, %d duplicated; documents %d → %d; p50 %.1f p99 %.1f ms\n",
		in.Posted, in.Rate, in.Acked, in.Errors, in.Found, len(in.Missing), len(in.Duplicates), in.DocsBefore, in.DocsAfter,
		in.Latency.P50, in.Latency.P99)
	for _, series := range []string{SeriesHeapInuse, SeriesHeapGoal, SeriesRSS, SeriesRSSAnon} {
		if t, ok := r.Memory.Trends[series]; ok {
			fmt.Fprintf(w, "  %-10s first %7.1f last %7.1f max %7.1f MiB, slope %+6.2f MiB/min (growth %+.1f MiB over the run)\n",
				series, t.First, t.Last, t.Max, t.Slope, t.Growth)
		}
	}
}

func failedSuffix(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	return " (" + statusList(m) + ")"
}

func mixString(mix []Share) string {
	parts := make([]string, len(mix))
	for i, sh := range mix {
		parts[i] = fmt.Sprintf("%s %d", sh.Kind, sh.Weight)
	}
	return cmp.Or(strings.Join(parts, ", "), "none")
}
