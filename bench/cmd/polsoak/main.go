// Command polsoak load- and soak-tests `polgraph serve` (bench/soak): it
// seeds a store with a synthetic graph (`polgraph gen`), starts a server
// on it on a loopback port with a reader and a writer API key, and for
// -duration sends the analyst's reads at a fixed rate while a writer posts
// new reports at a fixed rate, sampling the server's memory. It then reads
// every acknowledged report back, checks the store's document count, and
// fits the memory figures for a growth trend. It prints a summary, writes
// -json and -md reports, and exits 1 when the verdict fails.
//
//	polsoak -store embedded -duration 60s
//	NEO4J_URI=bolt://127.0.0.1:7697 polsoak -store neo4j -wipe -duration 10m -json soak.json
//	POLSOAK_API_KEY=KEY polsoak -url http://127.0.0.1:8080 -summary summary.json
//
// With -url it soaks a server that runs already; -summary is then the
// `polgraph gen --summary` file of the graph it serves, and POLSOAK_API_KEY
// a writer key (if the API has keys). Nobody else should write to the
// store meanwhile: the document count is checked.
//
// Neo4j has one database (Community edition): polsoak holds the lock the
// Neo4j tests take (internal/neo4jtest), so neither wipes the other's
// data, and refuses a database that holds data unless -wipe, which empties
// it before the run and after.
//
// scripts/soak.sh runs it on both stores.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/polgraph/polgraph/bench/measure"
	"github.com/polgraph/polgraph/bench/soak"
)

type config struct {
	store       string
	url         string
	summary     string
	binary      string
	duration    time.Duration
	warmup      time.Duration
	rate        int
	docRate     float64
	memInterval time.Duration
	relations   int
	seed        uint64
	mix         string
	work        string
	keep        bool
	wipe        bool
	neo4j       neo4jConfig
	jsonOut     string
	mdOut       string
	limits      soak.Limits
}

func main() {
	var c config
	perDoc := -1.0
	flag.StringVar(&c.store, "store", "embedded", "store to soak: embedded or neo4j")
	flag.StringVar(&c.url, "url", "", "soak the server at this URL instead of starting one (needs -summary; key in POLSOAK_API_KEY)")
	flag.StringVar(&c.summary, "summary", "", "with -url: the `polgraph gen --summary` file of the served graph")
	flag.StringVar(&c.binary, "polgraph", "bin/polgraph", "polgraph binary to seed and serve with")
	flag.DurationVar(&c.duration, "duration", time.Minute, "length of the measured run")
	flag.DurationVar(&c.warmup, "warmup", 30*time.Second, "reads and posts at the rates before the measured run, not counted (a cold Neo4j plans and compiles its statements meanwhile)")
	flag.IntVar(&c.rate, "rate", 0, "reads a second, all kinds together; 0: the store's (embedded 100, neo4j 20)")
	flag.Float64Var(&c.docRate, "doc-rate", 2, "documents posted a second; 0: no ingest")
	flag.DurationVar(&c.memInterval, "mem-interval", time.Second, "time between memory samples")
	flag.IntVar(&c.relations, "relations", 10000, "size of the seeded synthetic graph, in relations")
	flag.Uint64Var(&c.seed, "seed", 1, "seed of the synthetic graph")
	flag.StringVar(&c.mix, "mix", "", "weights of the kinds of reads, as relations=3,network=2,…; empty: the default mix")
	flag.StringVar(&c.work, "work", "", "directory for the embedded store (emptied first), the summary and the server log; empty: a temporary one, removed after")
	flag.BoolVar(&c.keep, "keep", false, "keep the temporary work directory")
	flag.BoolVar(&c.wipe, "wipe", false, "neo4j: empty the database before the run and after (its data is lost)")
	flag.StringVar(&c.neo4j.uri, "neo4j-uri", os.Getenv("NEO4J_URI"), "Neo4j to soak (env NEO4J_URI)")
	flag.StringVar(&c.neo4j.user, "neo4j-user", os.Getenv("NEO4J_USERNAME"), "Neo4j user (env NEO4J_USERNAME)")
	flag.StringVar(&c.neo4j.password, "neo4j-password", os.Getenv("NEO4J_PASSWORD"), "Neo4j password (env NEO4J_PASSWORD)")
	flag.StringVar(&c.jsonOut, "json", "", "write the whole report, every memory sample included, as JSON to this file")
	flag.StringVar(&c.mdOut, "md", "", "write the report as Markdown to this file")
	flag.Float64Var(&perDoc, "per-doc-kib", perDoc, "memory growth allowed per document ingested, KiB; -1: the store's (embedded 96, neo4j 0)")
	growthShare, growthFloor := flag.Float64("growth-share", -1, "memory growth allowed over the run, as a share of the mean; -1: 0.10"),
		flag.Float64("growth-floor", -1, "memory growth allowed over the run whatever the mean, MiB; -1: 16")
	flag.Parse()
	c.limits = soak.LimitsFor(c.store)
	if c.rate <= 0 {
		c.rate = soak.DefaultRate(c.store)
	}
	if *growthShare >= 0 {
		c.limits.GrowthShare = *growthShare
	}
	if *growthFloor >= 0 {
		c.limits.GrowthFloorMiB = *growthFloor
	}
	if perDoc >= 0 {
		c.limits.PerDocKiB = perDoc
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := run(ctx, c)
	if rep != nil {
		rep.WriteSummary(os.Stdout)
		if werr := writeReports(c, rep); werr != nil && err == nil {
			err = werr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "polsoak:", err)
		os.Exit(2)
	}
	if !rep.Verdict.Pass {
		os.Exit(1)
	}
}

func writeReports(c config, rep *soak.Report) error {
	if c.jsonOut != "" {
		if err := rep.WriteJSON(c.jsonOut); err != nil {
			return err
		}
	}
	if c.mdOut != "" {
		return rep.WriteMarkdownFile(c.mdOut)
	}
	return nil
}

func run(ctx context.Context, c config) (*soak.Report, error) {
	mix, err := parseMix(c.mix)
	if err != nil {
		return nil, err
	}
	sc := soak.Config{Duration: c.duration, Warmup: c.warmup, Rate: c.rate, DocRate: c.docRate, Mix: mix,
		MemInterval: c.memInterval, Limits: c.limits, Run: runID(), Logf: logf}
	if c.url != "" {
		return attach(ctx, c, sc)
	}
	switch c.store {
	case "embedded", "neo4j":
	default:
		return nil, fmt.Errorf("-store %q: use embedded or neo4j", c.store)
	}

	work := c.work
	if work == "" {
		if work, err = os.MkdirTemp("", "polsoak-"); err != nil {
			return nil, err
		}
		if !c.keep {
			defer os.RemoveAll(work)
		}
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}
	env := os.Environ()
	if c.store == "neo4j" {
		if c.neo4j.uri == "" {
			return nil, errors.New("-store neo4j needs NEO4J_URI (or -neo4j-uri): start one with scripts/neo4j.sh start")
		}
		env = append(env, "NEO4J_URI="+c.neo4j.uri, "NEO4J_USERNAME="+c.neo4j.user, "NEO4J_PASSWORD="+c.neo4j.password)
		unlock, err := lockNeo4j(c.neo4j)
		if err != nil {
			return nil, err
		}
		defer unlock()
		if err := prepareNeo4j(ctx, c.neo4j, c.wipe); err != nil {
			return nil, err
		}
		if c.wipe {
			defer func() {
				if err := wipeNeo4j(context.WithoutCancel(ctx), c.neo4j); err != nil {
					logf("wiping Neo4j after the run: %v", err)
				}
			}()
		}
	}

	dataDir := filepath.Join(work, "data")
	// A store left by an earlier run would hold its reports: the soak
	// starts from the seeded graph alone.
	if err := os.RemoveAll(dataDir); err != nil {
		return nil, err
	}
	logf("seeding the %s store with %d relations", c.store, c.relations)
	sum, err := soak.Seed(ctx, soak.SeedConfig{Binary: c.binary, Store: c.store, DataDir: dataDir, Env: env,
		Relations: c.relations, Seed: c.seed, Summary: filepath.Join(work, "summary.json")})
	if err != nil {
		return nil, err
	}
	serverLog := filepath.Join(work, "server.log")
	srv, err := soak.StartServer(ctx, soak.ServerConfig{Binary: c.binary, Store: c.store, DataDir: dataDir, Env: env, Log: serverLog})
	if err != nil {
		return nil, err
	}
	defer srv.Stop()
	logf("polgraph serve on %s (pid %d, log %s)", srv.URL, srv.Pid(), serverLog)
	sc.URL, sc.ReadKey, sc.WriteKey, sc.Pid, sc.Sample, sc.Exited = srv.URL, srv.ReadKey, srv.WriteKey, srv.Pid(), sum.Sample, srv.Exited
	rep, err := soak.Run(ctx, sc)
	if rep == nil {
		return nil, err
	}
	rep.Settings.Store, rep.Settings.Relations, rep.Settings.Machine = c.store, sum.Relations, measure.Machine()
	if sl, lerr := soak.ReadServerLog(serverLog); lerr == nil {
		rep.ServerLog = sl
	}
	if c.keep || c.work != "" {
		logf("work directory kept: %s", work)
	}
	return rep, err
}

// attach soaks a server that runs already.
func attach(ctx context.Context, c config, sc soak.Config) (*soak.Report, error) {
	if c.summary == "" {
		return nil, errors.New("-url needs -summary: the `polgraph gen --summary` file of the graph the server holds")
	}
	sum, err := soak.ReadSummary(c.summary)
	if err != nil {
		return nil, err
	}
	key := os.Getenv("POLSOAK_API_KEY")
	sc.URL, sc.ReadKey, sc.WriteKey, sc.Sample = c.url, key, key, sum.Sample
	rep, err := soak.Run(ctx, sc)
	if rep != nil {
		rep.Settings.Store, rep.Settings.Relations, rep.Settings.Machine = cmp.Or(c.store, "unknown"), sum.Relations, measure.Machine()
	}
	return rep, err
}

// parseMix reads kind=weight pairs.
func parseMix(s string) ([]soak.Share, error) {
	if strings.TrimSpace(s) == "" {
		return soak.DefaultMix, nil
	}
	var mix []soak.Share
	for _, part := range strings.Split(s, ",") {
		k, w, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(w)
		if !ok || err != nil || n < 0 {
			return nil, fmt.Errorf("-mix: %q is not kind=weight", part)
		}
		mix = append(mix, soak.Share{Kind: soak.Kind(k), Weight: n})
	}
	return mix, nil
}

// runID names the run's documents: distinct from every other run's.
func runID() string { return strconv.FormatInt(time.Now().UnixNano(), 36) }

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05 ")+format+"\n", args...)
}
