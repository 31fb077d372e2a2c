// Package soak load- and soak-tests a live `polgraph serve`: reads of the
// analyst's kinds at a fixed rate (vegeta, an open model: a slow answer
// does not slow the next request down, so latency is not hidden by
// waiting), documents posted at a fixed rate by a writer at the same
// time, and the server's memory sampled throughout. After the run it
// reads every acknowledged document back and checks that the store's
// document count rose by exactly what was acknowledged, fits the memory
// figures for a growth trend, and gives a verdict (Judge).
//
// The package also starts a server process on a loopback port and seeds
// it with a synthetic graph (`polgraph gen`), for bench/cmd/polsoak and
// the end-to-end test. What belongs elsewhere: latency measurement of
// single questions (bench/measure), the synthetic graph (bench/synth).
package soak

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/polgraph/polgraph/bench/measure"
	"github.com/polgraph/polgraph/bench/synth"
)

// Config says what to run against which server.
type Config struct {
	URL string // the server's base URL, http://127.0.0.1:PORT
	// ReadKey and WriteKey are API keys with reader and writer roles ("" for
	// an API without keys); the reads and memory scrapes send ReadKey, the
	// posts WriteKey.
	ReadKey, WriteKey string
	// Pid is the server's process, for its resident memory from /proc; 0
	// when it is not this machine's.
	Pid int
	// Sample names the entities in the graph the reads ask about.
	Sample synth.Sample
	// Run names this run's documents (Reports.Run).
	Run string

	Duration time.Duration
	// Warmup runs the reads for this long before the measured run, and
	// posts one document, so that the run measures a warm server.
	Warmup  time.Duration
	Rate    int     // reads a second
	DocRate float64 // documents a second; 0: no ingest
	Mix     []Share
	// MemInterval is the time between memory samples.
	MemInterval time.Duration
	Limits      Limits

	// Exited, if set, reports whether the server's process ended and
	// how, for the verdict.
	Exited func() (bool, string)
	// Logf reports progress; nil: silent.
	Logf func(format string, args ...any)
}

// Run soaks the server and returns the report with its verdict. Errors are
// for a run that could not be made (no server, no sample); whatever the
// server answered during the run is in the report.
func Run(ctx context.Context, c Config) (*Report, error) {
	if c.Duration <= 0 || c.Rate <= 0 || c.MemInterval <= 0 {
		return nil, errors.New("soak: Duration, Rate and MemInterval must be positive")
	}
	if c.Logf == nil {
		c.Logf = func(string, ...any) {}
	}
	if c.Mix == nil {
		c.Mix = DefaultMix
	}
	targets, err := Targets(c.Sample, c.Mix, max(len(c.Sample.Actors), 100))
	if err != nil {
		return nil, err
	}
	cl := &client{base: strings.TrimRight(c.URL, "/"), http: &http.Client{Timeout: requestTimeout}}
	r := &Report{Settings: Settings{URL: c.URL, Started: time.Now().UTC(), Duration: c.Duration.String(), Warmup: c.Warmup.String(),
		Rate: c.Rate, DocRate: c.DocRate, Mix: c.Mix, Limits: c.Limits, Sampling: c.MemInterval.Seconds()}}
	known, err := warmUp(ctx, c, cl, targets, r)
	if err != nil {
		return nil, err
	}
	if r.Ingest.DocsBefore, err = cl.documents(ctx, c.ReadKey); err != nil {
		return nil, fmt.Errorf("soak: reading the document count: %w", err)
	}

	c.Logf("measured run: %d reads/s and %.2g documents/s for %s", c.Rate, c.DocRate, c.Duration)
	start := time.Now()
	runCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var samples []MemSample
	sampleErrors := 0
	wg.Go(func() {
		s := &sampler{client: cl.http, metrics: cl.base + "/metrics", key: c.ReadKey, pid: c.Pid}
		samples = s.sampleEvery(runCtx, start, c.MemInterval, func(err error) {
			if sampleErrors++; sampleErrors <= 3 {
				c.Logf("memory sample failed: %v", err)
			}
		})
	})
	w := &writer{client: cl, key: c.WriteKey, reports: Reports{Run: c.Run}, rate: c.DocRate, known: known, start: start}
	if c.DocRate > 0 {
		wg.Go(func() { w.run(runCtx) })
	}
	var reads []read
	attack(runCtx, targets, c, c.Duration, func(res *vegeta.Result, k Kind) {
		reads = append(reads, read{at: res.Timestamp.Sub(start), latency: res.Latency, kind: k, ok: success(res)})
		if !success(res) {
			r.Reads.Errors++
			if r.Reads.Failed == nil {
				r.Reads.Failed = map[string]int{}
			}
			// The first few of each status: a rare 500 among many
			// 504s is the one to read.
			if r.Reads.Failed[statusOf(res)]++; r.Reads.Failed[statusOf(res)] <= samplesPerStatus {
				r.Reads.ErrorSamples = append(r.Reads.ErrorSamples, describe(res))
			}
		}
	})
	stop()
	wg.Wait()
	c.Logf("run done after %s: %d reads; checking the documents", time.Since(start).Round(time.Millisecond), len(reads))

	r.Reads = summariseReads(r.Reads, reads)
	r.Reads.Windows = windows(reads, w.acked, samples, c.Duration)
	r.Reads.DuringPosts, r.Reads.BetweenPosts = byOverlap(reads, w.spans)
	r.Ingest = w.report(r.Ingest, c.Duration)
	r.Memory = memoryOf(samples, sampleErrors, c, r.Ingest.Acked)
	if err := ctx.Err(); err != nil {
		return r, fmt.Errorf("soak: interrupted: %w", context.Cause(ctx))
	}
	err = verify(ctx, cl, c.ReadKey, &r.Ingest, w.acked)
	if c.Exited != nil {
		if done, how := c.Exited(); done {
			r.ServerExit = how
		}
	}
	r.Verdict = Judge(r, c.Limits)
	return r, err
}

// warmUp posts a first report, which brings in the documents a post adds
// besides its own (the gazetteer's, which it returns), then sends the
// reads at their rate for c.Warmup while a writer posts warm-up reports at
// c.DocRate: a cold Neo4j plans each statement and its JVM compiles the
// paths they take on first use, and a warm-up of reads alone leaves that
// to the measured run's first posts. Failed reads count in r; failed
// warm-up posts are reported (r.Ingest.WarmupErrors) but not judged, as
// a cold server is not what the soak measures.
func warmUp(ctx context.Context, c Config, cl *client, targets []Target, r *Report) (known map[string]bool, err error) {
	known = map[string]bool{}
	reports := Reports{Run: c.Run + "-warmup"}
	if c.DocRate > 0 {
		c.Logf("warm-up: posting a first document")
		res, err := cl.post(ctx, c.WriteKey, reports.Article(0))
		if err != nil {
			return nil, fmt.Errorf("soak: the warm-up post failed: %w", err)
		}
		for _, id := range res.docs {
			known[id] = true
		}
	}
	if c.Warmup <= 0 {
		return known, nil
	}
	c.Logf("warm-up: reads at %d/s and %.2g documents/s for %s", c.Rate, c.DocRate, c.Warmup)
	warmCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	// The writer starts after the first report, which is posted.
	w := &writer{client: cl, key: c.WriteKey, reports: reports, rate: c.DocRate, known: known, start: time.Now(), first: 1}
	if c.DocRate > 0 {
		wg.Go(func() { w.run(warmCtx) })
	}
	attack(ctx, targets, c, c.Warmup, func(res *vegeta.Result, _ Kind) {
		if !success(res) {
			if r.Reads.WarmupErrors++; r.Reads.WarmupErrors <= samplesPerStatus {
				r.Reads.ErrorSamples = append(r.Reads.ErrorSamples, "warm-up: "+describe(res))
			}
		}
	})
	stop()
	wg.Wait()
	r.Ingest.WarmupPosted = w.posted
	for _, n := range w.failed {
		r.Ingest.WarmupErrors += n
	}
	for _, sample := range w.samples {
		r.Ingest.ErrorSamples = append(r.Ingest.ErrorSamples, "warm-up: "+sample)
	}
	return known, nil
}

// memoryOf fits the samples' trends and the growth each judged figure may
// show.
func memoryOf(samples []MemSample, sampleErrors int, c Config, acked int) Memory {
	m := Memory{Samples: nonNil(samples), Trends: map[string]Trend{}, Allowed: map[string]float64{}, SampleErrors: sampleErrors}
	for _, series := range []string{SeriesHeapInuse, SeriesHeapGoal, SeriesRSS, SeriesRSSAnon, SeriesGoroutines} {
		if series == SeriesRSSAnon && (len(samples) == 0 || samples[0].RSSAnon == 0) {
			continue
		}
		m.Trends[series] = TrendOf(samples, series, c.Duration)
	}
	for _, series := range CheckedSeries(samples) {
		m.Allowed[series] = c.Limits.Allowed(m.Trends[series], acked)
	}
	return m
}

// samplesPerStatus is how many failures of each status the report quotes.
const samplesPerStatus = 3

// requestTimeout bounds each request: past the API's own 10-second limit
// on a query's store work, so the server's 504 is what a slow query gets.
const requestTimeout = 30 * time.Second

// attack sends the targets cyclically at c.Rate for d, or until ctx is
// done, and hands each result to got, in this goroutine.
func attack(ctx context.Context, targets []Target, c Config, d time.Duration, got func(*vegeta.Result, Kind)) {
	kindOf := make(map[string]Kind, len(targets))
	vts := make([]vegeta.Target, len(targets))
	header := http.Header{}
	if c.ReadKey != "" {
		header.Set("Authorization", "Bearer "+c.ReadKey)
	}
	for i, t := range targets {
		u := strings.TrimRight(c.URL, "/") + t.Path
		kindOf[u] = t.Kind
		vts[i] = vegeta.Target{Method: http.MethodGet, URL: u, Header: header}
	}
	// Workers grow without bound (vegeta's default) so that the rate
	// holds while answers are slow; each answer's body is read to the end
	// (its time counted), only its first bytes kept for error reports.
	atk := vegeta.NewAttacker(vegeta.KeepAlive(true), vegeta.Connections(64), vegeta.Timeout(requestTimeout), vegeta.MaxBody(512))
	stop := context.AfterFunc(ctx, func() { atk.Stop() })
	defer stop()
	for res := range atk.Attack(vegeta.NewStaticTargeter(vts...), vegeta.Rate{Freq: c.Rate, Per: time.Second}, d, "polsoak") {
		got(res, kindOf[res.URL])
	}
}

func success(res *vegeta.Result) bool { return res.Error == "" && res.Code >= 200 && res.Code < 300 }

// statusOf is a failed request's status code, or "transport" when no
// answer came.
func statusOf(res *vegeta.Result) string {
	if res.Code == 0 {
		return "transport"
	}
	return strconv.Itoa(int(res.Code))
}

func describe(res *vegeta.Result) string {
	msg := res.Error
	if len(res.Body) > 0 {
		msg += ": " + oneLine(res.Body)
	}
	return fmt.Sprintf("GET %s → %s %s", strings.TrimPrefix(res.URL, "http://"), statusOf(res), msg)
}

func oneLine(b []byte) string {
	return strings.Join(strings.Fields(string(b)), " ")
}

// read is one read's outcome, kept for percentiles by kind and window.
type read struct {
	at, latency time.Duration // at: since the run began
	kind        Kind
	ok          bool
}

func summariseReads(rd Reads, reads []read) Reads {
	rd.Requests = len(reads)
	byKind := map[Kind][]time.Duration{}
	kindErrors := map[Kind]int{}
	all := make([]time.Duration, 0, len(reads))
	for _, x := range reads {
		all = append(all, x.latency)
		byKind[x.kind] = append(byKind[x.kind], x.latency)
		if !x.ok {
			kindErrors[x.kind]++
		}
	}
	rd.Overall = measure.Summarise(all, rd.Errors)
	rd.Kinds = map[Kind]measure.Latency{}
	for k, ds := range byKind {
		rd.Kinds[k] = measure.Summarise(ds, kindErrors[k])
	}
	if len(reads) > 1 {
		// Reads come back in the order they end; the rate is of their
		// starts.
		first, last := reads[0].at, reads[0].at
		for _, x := range reads {
			first, last = min(first, x.at), max(last, x.at)
		}
		if span := last - first; span > 0 {
			rd.Rate = float64(len(reads)-1) / span.Seconds()
		}
	}
	return rd
}

// windows splits the run into tenths.
func windows(reads []read, acked []ack, samples []MemSample, run time.Duration) []Window {
	const n = 10
	step := run / n
	out := make([]Window, n)
	lat := make([][]time.Duration, n)
	slot := func(at time.Duration) int { return min(max(int(at/step), 0), n-1) }
	for i := range out {
		out[i].From, out[i].To = (step * time.Duration(i)).Seconds(), (step * time.Duration(i+1)).Seconds()
	}
	for _, x := range reads {
		i := slot(x.at)
		out[i].Requests++
		if !x.ok {
			out[i].Errors++
		}
		lat[i] = append(lat[i], x.latency)
	}
	for _, a := range acked {
		out[slot(a.at)].Docs++
	}
	for _, m := range samples {
		i := slot(time.Duration(m.At * float64(time.Second)))
		out[i].HeapGoal, out[i].RSS = mib(m.HeapGoal), mib(m.RSS)
	}
	for i := range out {
		l := measure.Summarise(lat[i], out[i].Errors)
		out[i].P50, out[i].P99, out[i].Max = l.P50, l.P99, l.Max
	}
	return out
}

// byOverlap splits the reads' latencies into those of reads in flight
// while a post was and the others.
func byOverlap(reads []read, posts []span) (during, between measure.Latency) {
	spans := union(posts)
	var in, out []time.Duration
	var inErr, outErr int
	for _, x := range reads {
		// The first post that ends after the read starts is the only one
		// that can overlap it without an earlier one doing so too.
		i := sort.Search(len(spans), func(i int) bool { return spans[i].to > x.at })
		if i < len(spans) && spans[i].from < x.at+x.latency {
			in = append(in, x.latency)
			if !x.ok {
				inErr++
			}
			continue
		}
		out = append(out, x.latency)
		if !x.ok {
			outErr++
		}
	}
	return measure.Summarise(in, inErr), measure.Summarise(out, outErr)
}

// union merges overlapping spans: the times some post was in flight, in
// order and apart.
func union(spans []span) []span {
	s := slices.Clone(spans)
	slices.SortFunc(s, func(a, b span) int { return cmp.Compare(a.from, b.from) })
	var out []span
	for _, x := range s {
		if n := len(out); n > 0 && x.from <= out[n-1].to {
			out[n-1].to = max(out[n-1].to, x.to)
			continue
		}
		out = append(out, x)
	}
	return out
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
