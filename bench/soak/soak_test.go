package soak

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/polgraph/polgraph/api"
	"github.com/polgraph/polgraph/bench/synth"
	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/ingest"
)

// A short soak of a real `polgraph serve` on the embedded store, as
// polsoak runs it: seeded by `polgraph gen`, with API keys, reads at a
// fixed rate and posts alongside. Every read must succeed and every
// acknowledged document be in the store once.
func TestSoakEmbedded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds polgraph and soaks it for seconds")
	}
	ctx := context.Background()
	dir := t.TempDir()
	bin := filepath.Join(dir, "polgraph")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/polgraph").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	sum, err := Seed(ctx, SeedConfig{Binary: bin, Store: "embedded", DataDir: data, Env: os.Environ(),
		Relations: 2000, Seed: 1, Summary: filepath.Join(dir, "summary.json")})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Relations < 2000 || len(sum.Sample.Actors) == 0 {
		t.Fatalf("seeded %d relations, %d sampled actors", sum.Relations, len(sum.Sample.Actors))
	}
	log := filepath.Join(dir, "server.log")
	srv, err := StartServer(ctx, ServerConfig{Binary: bin, Store: "embedded", DataDir: data, Env: os.Environ(), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("server at %s, want loopback", srv.URL)
	}

	// The keys are enforced: a read without one is refused, so the
	// soak's reads really go through authorisation.
	resp, err := http.Get(srv.URL + "/v1/stats")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("GET /v1/stats without a key: %d, want 401", resp.StatusCode)
	}

	c := Config{URL: srv.URL, ReadKey: srv.ReadKey, WriteKey: srv.WriteKey, Pid: srv.Pid(), Sample: sum.Sample, Run: "e2e",
		Duration: 5 * time.Second, Warmup: time.Second, Rate: 50, DocRate: 4, MemInterval: 500 * time.Millisecond,
		Limits: LimitsFor("embedded"), Exited: srv.Exited, Logf: t.Logf}
	r, err := Run(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if r.Reads.Errors != 0 || r.Reads.WarmupErrors != 0 {
		t.Errorf("%d reads failed (%v), %d in the warm-up: %q", r.Reads.Errors, r.Reads.Failed, r.Reads.WarmupErrors, r.Reads.ErrorSamples)
	}
	if n := r.Reads.Requests; n < 240 || n > 260 {
		t.Errorf("%d reads in 5 s at 50/s", n)
	}
	for _, sh := range DefaultMix {
		if r.Reads.Kinds[sh.Kind].N == 0 {
			t.Errorf("no %s reads", sh.Kind)
		}
	}
	in := r.Ingest
	if in.Errors != 0 || in.Acked < 18 || in.Created != in.Acked {
		t.Errorf("ingest: %d posted, %d acked, %d created, %d failed %q", in.Posted, in.Acked, in.Created, in.Errors, in.ErrorSamples)
	}
	if in.Found != in.Acked || len(in.Missing) != 0 || len(in.Duplicates) != 0 {
		t.Errorf("read back %d of %d acked; missing %q, duplicated %q", in.Found, in.Acked, in.Missing, in.Duplicates)
	}
	// One second at 4/s, the first report posted before it.
	if in.WarmupPosted < 2 || in.WarmupErrors != 0 {
		t.Errorf("the warm-up posted %d reports, %d failed: want about 4, none failed", in.WarmupPosted, in.WarmupErrors)
	}
	if in.DocsAfter-in.DocsBefore != in.Acked {
		t.Errorf("documents rose from %d to %d for %d acknowledged (other new: %q): the warm-up post should have brought in every other",
			in.DocsBefore, in.DocsAfter, in.Acked, in.ExtraDocs)
	}
	if len(r.Memory.Samples) < 8 || r.Memory.Samples[0].RSSAnon == 0 || r.Memory.Samples[0].HeapGoal == 0 {
		t.Errorf("memory samples %+v: want about 11, with the heap goal and anonymous RSS", r.Memory.Samples)
	}
	if !r.Verdict.Pass {
		t.Errorf("verdict %s", r.Verdict)
	}
	if exited, how := srv.Exited(); exited {
		t.Fatalf("the server exited: %s", how)
	}

	// The reports round-trip and say what the run did.
	out := filepath.Join(dir, "out", "soak.json")
	if err := r.WriteJSON(out); err != nil {
		t.Fatal(err)
	}
	var back Report
	if b, err := os.ReadFile(out); err != nil || json.Unmarshal(b, &back) != nil || back.Ingest.Acked != in.Acked {
		t.Fatalf("JSON report: %v; acked %d, want %d", err, back.Ingest.Acked, in.Acked)
	}
	var md bytes.Buffer
	r.WriteMarkdown(&md)
	for _, want := range []string{"**PASS**", "| relations |", "| heap_goal |", "## The run in tenths", "The warm-up posted"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("the Markdown report lacks %q", want)
		}
	}
}

// fixture is an in-process API on a seeded embedded store, for Run
// against a server whose faults a test chooses.
func fixture(t *testing.T, wrap func(http.Handler) http.Handler) (*httptest.Server, synth.Sample) {
	t.Helper()
	ctx := context.Background()
	st := memstore.OpenMemory()
	t.Cleanup(func() { st.Close() })
	sum, err := synth.Generate(ctx, synth.Config{Relations: 1000, Seed: 1}, func(b *graph.Batch) error {
		_, err := st.Apply(ctx, b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	pipe, err := ingest.New(ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := api.New(api.Config{Store: st, Pipeline: pipe, Logger: slog.New(slog.DiscardHandler)})
	srv := httptest.NewServer(wrap(h))
	t.Cleanup(srv.Close)
	return srv, sum.Sample
}

// The soak catches what it is for: failed reads, and documents
// acknowledged but not stored.
func TestRunCatchesFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("soaks for seconds")
	}
	for _, tc := range []struct {
		name  string
		wrap  func(http.Handler) http.Handler
		check func(t *testing.T, r *Report)
	}{
		{"every tenth network read fails", func(h http.Handler) http.Handler {
			var n atomic.Int64
			return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				if strings.HasSuffix(req.URL.Path, "/network") && n.Add(1)%10 == 0 {
					http.Error(w, "overloaded", http.StatusServiceUnavailable)
					return
				}
				h.ServeHTTP(w, req)
			})
		}, func(t *testing.T, r *Report) {
			if r.Reads.Failed["503"] == 0 || r.Reads.Kinds[Network].Errors != r.Reads.Failed["503"] || len(r.Reads.ErrorSamples) == 0 {
				t.Fatalf("failed reads %v, network errors %d, samples %q: want the 503s, all of network reads",
					r.Reads.Failed, r.Reads.Kinds[Network].Errors, r.Reads.ErrorSamples)
			}
		}},
		{"a post acknowledged but not stored", func(h http.Handler) http.Handler {
			var n atomic.Int64
			return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				if req.Method == http.MethodPost && n.Add(1) == 3 {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(http.StatusCreated)
					io.WriteString(w, `{"document":"00000000-0000-5000-8000-000000000001","extraction":{"documents":[]}}`)
					return
				}
				h.ServeHTTP(w, req)
			})
		}, func(t *testing.T, r *Report) {
			if len(r.Ingest.Missing) != 1 || !strings.HasPrefix(r.Ingest.Missing[0], "00000000-0000-5000-8000-000000000001 (404") {
				t.Fatalf("missing %q: want the document acknowledged and not stored", r.Ingest.Missing)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, sample := fixture(t, tc.wrap)
			r, err := Run(context.Background(), Config{URL: srv.URL, Sample: sample, Run: "fault", Duration: 2 * time.Second,
				Rate: 60, DocRate: 4, MemInterval: 250 * time.Millisecond, Limits: LimitsFor("embedded")})
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict.Pass {
				t.Fatalf("verdict PASS for a faulty server")
			}
			tc.check(t, r)
		})
	}
}
