package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/polgraph/polgraph/bench/measure"
)

// server is a `polgraph serve` child process.
type server struct {
	cmd  *exec.Cmd
	base string
}

// startServe starts polgraph serve on the store and waits until /readyz
// answers 200, returning how long that took.
func startServe(ctx context.Context, c config, store, dir string) (*server, time.Duration, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, 0, err
	}
	addr := ln.Addr().String()
	ln.Close()
	args := []string{"serve", "--addr", addr, "--store", store}
	if store == "embedded" {
		args = append(args, "--data-dir", dir)
	} else {
		args = append(args, "--neo4j-uri", c.neo4jURI)
	}
	cmd := exec.CommandContext(ctx, c.binary, args...)
	// The request log goes nowhere, but it is still written: its cost is
	// part of what a deployment pays.
	cmd.Env = append(os.Environ(), "NEO4J_USERNAME="+c.neo4jUser, "NEO4J_PASSWORD="+c.neo4jPass)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, fmt.Errorf("starting %s (build it with make build, or give -polgraph): %w", c.binary, err)
	}
	s := &server{cmd: cmd, base: "http://" + addr}
	client := &http.Client{Timeout: time.Second}
	for {
		resp, err := client.Get(s.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, time.Since(start), nil
			}
		}
		if time.Since(start) > 5*time.Minute || ctx.Err() != nil {
			s.stop()
			return nil, 0, fmt.Errorf("polgraph serve was not ready after %s", time.Since(start).Round(time.Second))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// rss is the resident memory of the process, from /proc.
func (s *server) rss() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// metric reads one unlabelled metric from the server's /metrics.
func (s *server) metric(name string) float64 {
	resp, err := http.Get(s.base + "/metrics")
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == name {
			v, _ := strconv.ParseFloat(f[1], 64)
			return v
		}
	}
	return 0
}

// loadTest starts serve c.runs times: each time it times the start (and,
// for the embedded store, reads the memory the graph takes) and runs a
// load test of each question and of all of them mixed.
func loadTest(ctx context.Context, c config, r *Run, qs []measure.Query) error {
	var emptyRSS int64
	if r.Store == "embedded" {
		dir, err := os.MkdirTemp(c.work, "empty-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		s, _, err := startServe(ctx, c, r.Store, dir)
		if err != nil {
			return err
		}
		emptyRSS = s.rss()
		s.stop()
	}
	dir := c.dataDir(r.Relations)
	samples := len(r.Summary.Sample.Actors)
	for run := range c.runs {
		s, ready, err := startServe(ctx, c, r.Store, dir)
		if err != nil {
			return err
		}
		if r.Store == "embedded" {
			st := Start{ReadySeconds: ready.Seconds(), RSSBytes: s.rss(), HeapBytes: s.metric("go_memstats_heap_inuse_bytes"), EmptyRSS: emptyRSS}
			st.BytesPerMillion = float64(st.RSSBytes-emptyRSS) / float64(r.Relations) * 1e6
			r.Start = append(r.Start, st)
			logf("  run %d: ready in %.2f s, RSS %.0f MiB (%.0f MiB per million relations)", run+1, st.ReadySeconds,
				float64(st.RSSBytes)/(1<<20), st.BytesPerMillion/(1<<20))
		}
		for _, set := range append([][]measure.Query{qs}, single(qs)...) {
			name := "mixed"
			if len(set) == 1 {
				name = set[0].Name
			}
			l := measure.Saturate(s.base, set, samples, c.workers, c.duration)
			r.Load[name] = append(r.Load[name], l)
			logf("  run %d load %-9s %.0f req/s, p50 %.2f p99 %.2f ms, %.1f%% ok", run+1, name, l.Throughput, l.P50, l.P99, l.Success*100)
			if l.Success < 1 {
				s.stop()
				return fmt.Errorf("load test of %s: %.2f%% of requests failed: %v %v", name, (1-l.Success)*100, l.Status, l.Errors)
			}
		}
		s.stop()
	}
	return nil
}

func single(qs []measure.Query) [][]measure.Query {
	var out [][]measure.Query
	for _, q := range qs {
		out = append(out, []measure.Query{q})
	}
	return out
}
