// Command polbench measures polgraph at scale on each store: it fills the
// store with a synthetic graph of each size (bench/synth), timing Apply;
// times the benchmark questions (bench/measure) as store calls and through
// the API, side by side; load-tests a `polgraph serve` process on loopback;
// and, for the embedded store, times a cold start and reads its memory.
// Every measurement is repeated -runs times and reported with the median of
// each figure. scripts/bench.sh runs it with the sizes docs/BENCHMARKS.md
// reports.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/polgraph/polgraph/api"
	"github.com/polgraph/polgraph/bench/measure"
	"github.com/polgraph/polgraph/bench/synth"
	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	neo4jstore "github.com/polgraph/polgraph/graph/neo4j"
)

type config struct {
	stores       []string
	sizes        []int
	runs         int
	applyRuns    int
	applyMax     int // largest size whose Apply is repeated applyRuns times; larger ones are loaded once
	baseline     int // relations for Neo4j's batched against one-row Apply; 0: skip
	queries      int
	warm         int
	workers      int
	duration     time.Duration
	seed         uint64
	batch        int
	work         string
	binary       string
	neo4jURI     string
	neo4jUser    string
	neo4jPass    string
	out          string
	reload, skip bool
}

func main() {
	var c config
	var stores, sizes string
	flag.StringVar(&stores, "stores", "embedded,neo4j", "stores to measure: embedded, neo4j")
	flag.StringVar(&sizes, "sizes", "10000,100000,1000000", "graph sizes in relations")
	flag.IntVar(&c.runs, "runs", 5, "repetitions of each query and load measurement")
	flag.IntVar(&c.applyRuns, "apply-runs", 5, "repetitions of each Apply measurement up to -apply-max relations")
	flag.IntVar(&c.applyMax, "apply-max", 100000, "sizes above this are loaded (and their Apply timed) once")
	flag.IntVar(&c.baseline, "baseline", 10000, "relations for Neo4j's batched-against-one-row-per-statement Apply; 0 skips it")
	flag.IntVar(&c.queries, "queries", 500, "calls of each question per run")
	flag.IntVar(&c.warm, "warm", 50, "uncounted calls before each timed series")
	flag.IntVar(&c.workers, "workers", 8, "concurrent clients of the load test")
	flag.DurationVar(&c.duration, "duration", 10*time.Second, "length of each load test")
	flag.Uint64Var(&c.seed, "seed", 1, "seed of the synthetic graph")
	flag.IntVar(&c.batch, "batch", synth.DefaultBatchItems, "objects per Apply")
	flag.StringVar(&c.work, "work", filepath.Join(os.TempDir(), "polbench"), "directory for the embedded stores' data (kept between runs)")
	flag.StringVar(&c.binary, "polgraph", "bin/polgraph", "polgraph binary to load-test (make build)")
	flag.StringVar(&c.neo4jURI, "neo4j-uri", os.Getenv("NEO4J_URI"), "Neo4j to measure; its database is wiped (env NEO4J_URI)")
	flag.StringVar(&c.neo4jUser, "neo4j-user", os.Getenv("NEO4J_USERNAME"), "Neo4j user")
	flag.StringVar(&c.neo4jPass, "neo4j-password", os.Getenv("NEO4J_PASSWORD"), "Neo4j password")
	flag.StringVar(&c.out, "out", "artifacts/bench/results.json", "where to write every figure as JSON")
	flag.BoolVar(&c.reload, "reload", false, "load every graph afresh, even where the work directory or Neo4j holds it")
	flag.BoolVar(&c.skip, "skip-load-test", false, "skip the load test of a serve process")
	flag.Parse()
	c.stores = strings.Split(stores, ",")
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fail(fmt.Errorf("-sizes: %q is not a number of relations", s))
		}
		c.sizes = append(c.sizes, n)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := run(ctx, c)
	if werr := writeJSON(c.out, res); werr != nil && err == nil {
		err = werr
	}
	printSummary(os.Stdout, res)
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "polbench:", err)
	os.Exit(1)
}

// Results is everything measured, as -out holds it.
type Results struct {
	Started  time.Time `json:"started"`
	Machine  string    `json:"machine"`
	Settings string    `json:"settings"`
	Runs     []*Run    `json:"runs"`
	// Baseline is Neo4j's batched Apply against one row per statement,
	// measured alternately on the same graph.
	Baseline *Baseline `json:"neo4j_apply_baseline,omitempty"`
}

// Run is what one store at one size measured.
type Run struct {
	Store     string        `json:"store"`
	Relations int           `json:"relations"`
	Summary   synth.Summary `json:"summary"`
	Apply     []Apply       `json:"apply"` // one per repetition
	// Queries holds, per question, one pair of latencies per repetition.
	Queries map[string][]Pair `json:"queries"`
	// Floor is, per repetition, the latency of GET /healthz through the
	// same client and server: what any request costs before a handler
	// does any work.
	Floor []measure.Latency `json:"http_floor"`
	// Load holds, per question (and "mixed"), one load test per repetition.
	Load map[string][]measure.Load `json:"load,omitempty"`
	// Start holds the cold starts of serve on this data (embedded only).
	Start []Start `json:"start,omitempty"`
}

// Apply is one fill of an empty store with the graph.
type Apply struct {
	Seconds        float64 `json:"seconds"`
	RelationsPerS  float64 `json:"relations_per_s"`
	ObjectsPerS    float64 `json:"objects_per_s"`
	Batches        int     `json:"batches"`
	GenerateOnlyMs float64 `json:"generate_only_ms,omitempty"`
}

// Pair is one repetition of a question as store calls and API requests.
type Pair struct {
	Direct measure.Latency `json:"direct"`
	API    measure.Latency `json:"api"`
	// Overhead is the API's p50 over the store call's.
	Overhead float64 `json:"overhead_p50"`
}

// Start is one cold start of `polgraph serve` on a data directory.
type Start struct {
	ReadySeconds float64 `json:"ready_seconds"`
	RSSBytes     int64   `json:"rss_bytes"`
	HeapBytes    float64 `json:"heap_inuse_bytes"`
	EmptyRSS     int64   `json:"empty_rss_bytes"`
	// BytesPerMillion is the resident memory the graph adds, per million
	// relations.
	BytesPerMillion float64 `json:"bytes_per_million_relations"`
}

// Baseline compares Neo4j's Apply modes on one graph.
type Baseline struct {
	Relations int       `json:"relations"`
	Batched   []float64 `json:"batched_relations_per_s"`
	PerRow    []float64 `json:"per_row_relations_per_s"`
}

func run(ctx context.Context, c config) (*Results, error) {
	res := &Results{Started: time.Now().UTC(), Machine: measure.Machine(),
		Settings: fmt.Sprintf("seed %d, %d objects per Apply, %d calls per question per run (+%d warm), %d runs, load tests of %s with %d workers",
			c.seed, c.batch, c.queries, c.warm, c.runs, c.duration, c.workers)}
	for _, store := range c.stores {
		if store == "neo4j" && c.neo4jURI == "" {
			return res, errors.New("-stores names neo4j but no -neo4j-uri (or NEO4J_URI) is set: start one with scripts/neo4j.sh start")
		}
		if store == "neo4j" && c.baseline > 0 {
			b, err := neo4jBaseline(ctx, c)
			if err != nil {
				return res, fmt.Errorf("neo4j baseline: %w", err)
			}
			res.Baseline = b
		}
		for _, size := range c.sizes {
			r := &Run{Store: store, Relations: size, Queries: map[string][]Pair{}, Load: map[string][]measure.Load{}}
			res.Runs = append(res.Runs, r)
			if err := measureRun(ctx, c, r); err != nil {
				return res, fmt.Errorf("%s, %d relations: %w", store, size, err)
			}
			if err := writeJSON(c.out, res); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

func measureRun(ctx context.Context, c config, r *Run) error {
	logf("%s, %d relations: loading", r.Store, r.Relations)
	st, err := load(ctx, c, r)
	if err != nil {
		return err
	}
	qs := measure.Queries(r.Summary.Sample)
	logf("%s, %d relations: timing the questions, store calls against API requests", r.Store, r.Relations)
	if err := timeQueries(ctx, c, r, st, qs); err != nil {
		st.Close()
		return err
	}
	// The serve process needs the embedded store's file lock.
	if err := st.Close(); err != nil {
		return err
	}
	if c.skip {
		return nil
	}
	logf("%s, %d relations: load-testing polgraph serve", r.Store, r.Relations)
	return loadTest(ctx, c, r, qs)
}

// load fills the store with the graph, timing Apply; it reuses a graph
// loaded before (a data directory of the work directory, or a Neo4j that
// holds exactly it) unless -reload, after the timed repetitions.
func load(ctx context.Context, c config, r *Run) (graph.Store, error) {
	reps := 1
	if r.Relations <= c.applyMax {
		reps = c.applyRuns
	}
	cfg := synth.Config{Relations: r.Relations, Seed: c.seed, BatchItems: c.batch}
	dir, summaryFile := c.dataDir(r.Relations), filepath.Join(c.work, fmt.Sprintf("summary-%d-seed%d.json", r.Relations, c.seed))
	if !c.reload {
		if b, err := os.ReadFile(summaryFile); err == nil && json.Unmarshal(b, &r.Summary) == nil {
			st, err := openStore(ctx, c, r.Store, dir, 0)
			if err == nil && holds(ctx, st, r.Summary) {
				logf("  reusing the %s graph of %d relations (no Apply timed; -reload times it)", r.Store, r.Relations)
				return st, nil
			}
			if err == nil {
				st.Close()
			}
		}
	}
	for i := range reps {
		if r.Store == "embedded" {
			// Only the embedded graph lives in dir: a Neo4j fill must not
			// throw away an embedded graph that took minutes to build.
			os.RemoveAll(dir)
		}
		st, err := openStore(ctx, c, r.Store, dir, 0)
		if err != nil {
			return nil, err
		}
		if err := wipe(ctx, c, r.Store); err != nil {
			st.Close()
			return nil, err
		}
		a, sum, err := fill(ctx, st, cfg)
		if err != nil {
			st.Close()
			return nil, err
		}
		r.Apply, r.Summary = append(r.Apply, a), sum
		logf("  Apply %d/%d: %.0f relations/s (%.1f s)", i+1, reps, a.RelationsPerS, a.Seconds)
		if i == reps-1 {
			b, _ := json.Marshal(sum)
			if err := os.MkdirAll(c.work, 0o755); err != nil {
				return nil, err
			}
			if err := os.WriteFile(summaryFile, b, 0o644); err != nil {
				return nil, err
			}
			return st, nil
		}
		st.Close()
	}
	return nil, errors.New("no repetitions")
}

// dataDir is where the embedded store of a size is kept between runs.
func (c config) dataDir(relations int) string {
	return filepath.Join(c.work, fmt.Sprintf("embedded-%d-seed%d", relations, c.seed))
}

// fill applies the generated graph to st: the time of generating it in
// memory is measured apart and not counted.
func fill(ctx context.Context, st graph.Store, cfg synth.Config) (Apply, synth.Summary, error) {
	var batches []*graph.Batch
	genStart := time.Now()
	sum, err := synth.Generate(ctx, cfg, func(b *graph.Batch) error {
		batches = append(batches, b)
		return nil
	})
	if err != nil {
		return Apply{}, sum, err
	}
	gen := time.Since(genStart)
	objects := 0
	runtime.GC()
	start := time.Now()
	for _, b := range batches {
		objects += len(b.Documents) + len(b.Entities) + len(b.Relations)
		if _, err := st.Apply(ctx, b); err != nil {
			return Apply{}, sum, err
		}
	}
	took := time.Since(start).Seconds()
	return Apply{Seconds: took, RelationsPerS: float64(sum.Relations) / took, ObjectsPerS: float64(objects) / took,
		Batches: len(batches), GenerateOnlyMs: float64(gen.Milliseconds())}, sum, nil
}

// holds reports whether st holds exactly the graph sum describes.
func holds(ctx context.Context, st graph.Store, sum synth.Summary) bool {
	stats, err := st.Stats(ctx)
	if err != nil {
		return false
	}
	n := 0
	for _, v := range stats.Relations {
		n += v
	}
	return n == sum.Relations && stats.Documents == sum.Documents && stats.Evidence == sum.Evidence
}

func openStore(ctx context.Context, c config, store, dir string, batchSize int) (graph.Store, error) {
	switch store {
	case "embedded":
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		return memstore.Open(dir)
	case "neo4j":
		return neo4jstore.Open(ctx, neo4jstore.Config{URI: c.neo4jURI, User: c.neo4jUser, Password: c.neo4jPass,
			BatchSize: batchSize, QueryTimeout: 10 * time.Minute})
	}
	return nil, fmt.Errorf("unknown store %q: use embedded or neo4j", store)
}

// timeQueries times each question c.runs times, as store calls and as
// requests to an API server in this process over loopback TCP.
func timeQueries(ctx context.Context, c config, r *Run, st graph.Store, qs []measure.Query) error {
	srv := api.New(api.Config{Store: st, Logger: slog.New(slog.DiscardHandler), QueryTimeout: time.Minute})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv}
	go hs.Serve(ln)
	defer hs.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	base := "http://" + ln.Addr().String()
	health := measure.Query{Name: "healthz", Path: func(int) string { return "/healthz" }}
	for run := range c.runs {
		floor, err := measure.Requests(ctx, health, client, base, c.queries, c.warm)
		if err != nil {
			return err
		}
		r.Floor = append(r.Floor, floor)
		logf("  run %d HTTP floor (GET /healthz) p50 %.3f p99 %.3f ms", run+1, floor.P50, floor.P99)
		for _, q := range qs {
			d, a, err := measure.Pair(ctx, q, st, client, base, c.queries, c.warm)
			if err != nil {
				return fmt.Errorf("%s: %w", q.Name, err)
			}
			if d.Errors > 0 || a.Errors > 0 {
				return fmt.Errorf("%s: %d store calls and %d requests failed", q.Name, d.Errors, a.Errors)
			}
			p := Pair{Direct: d, API: a, Overhead: a.P50 / d.P50}
			r.Queries[q.Name] = append(r.Queries[q.Name], p)
			logf("  run %d %-9s store p50 %.3f p95 %.3f p99 %.3f ms | API p50 %.3f p99 %.3f ms | overhead %.2fx",
				run+1, q.Name, d.P50, d.P95, d.P99, a.P50, a.P99, p.Overhead)
		}
	}
	return nil
}

// median returns the median of the values f picks from xs.
func median[T any](xs []T, f func(T) float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	v := make([]float64, len(xs))
	for i, x := range xs {
		v[i] = f(x)
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func writeJSON(path string, v any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05 ")+format+"\n", args...)
}
