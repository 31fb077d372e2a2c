package soak

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/polgraph/polgraph/bench/measure"
)

// writer posts the reports at a fixed rate: the n-th is due at start +
// n/rate, and is sent then, or as soon as one of maxPosts posts in flight
// is answered (a shortfall shows in the rate reached).
type writer struct {
	client  *client
	key     string
	reports Reports
	rate    float64
	known   map[string]bool // documents that existed before the run
	start   time.Time
	first   int // the first report's number; it is due at start

	mu        sync.Mutex // guards what follows: posts run concurrently
	posted    int
	acked     []ack
	unchanged int
	failed    map[string]int
	samples   []string
	latencies []time.Duration
	spans     []span   // when each post was in flight
	extra     []string // new documents besides the posted ones
}

// span is a time a post was in flight, since the run began.
type span struct{ from, to time.Duration }

// ack is an acknowledged post.
type ack struct {
	id string
	at time.Duration // when it was answered, since the run began
}

// maxPosts bounds the posts in flight. One writer posting one report at a
// time would fall behind as soon as a post takes longer than the interval
// (a busy Neo4j takes a second); a few at once keep the rate, as several
// ingest clients would, and a server slower than that still shows as a
// rate not reached rather than an ever-growing pile of posts.
const maxPosts = 4

func (w *writer) run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	slots := make(chan struct{}, maxPosts)
	for n := w.first; ; n++ {
		due := w.start.Add(time.Duration(float64(n-w.first) / w.rate * float64(time.Second)))
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(due)):
		}
		select {
		case <-ctx.Done():
			return
		case slots <- struct{}{}:
		}
		wg.Go(func() {
			defer func() { <-slots }()
			w.post(ctx, n)
		})
	}
}

// post posts the n-th report and records the answer.
func (w *writer) post(ctx context.Context, n int) {
	a := w.reports.Article(n)
	t0 := time.Now()
	// A post that started is seen to its answer even when the run ends
	// meanwhile: cut, it might be stored without being acknowledged, and
	// the count would not add up.
	res, err := w.client.post(context.WithoutCancel(ctx), w.key, a)
	took := time.Since(t0)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.latencies = append(w.latencies, took)
	from := t0.Sub(w.start)
	w.spans = append(w.spans, span{from, from + took})
	w.posted++
	if err != nil {
		w.fail(res.status, a, err)
		return
	}
	if res.status == http.StatusOK {
		w.unchanged++
	}
	w.acked = append(w.acked, ack{id: res.id, at: time.Since(w.start)})
	for _, d := range res.docs {
		if d != res.id && !w.known[d] {
			w.known[d] = true
			w.extra = append(w.extra, d)
		}
	}
}

func (w *writer) fail(status int, a Article, err error) {
	key := "transport"
	if status != 0 {
		key = strconv.Itoa(status)
	}
	if w.failed == nil {
		w.failed = map[string]int{}
	}
	if w.failed[key]++; w.failed[key] <= samplesPerStatus {
		w.samples = append(w.samples, fmt.Sprintf("POST /v1/documents (%s) → %v", a.URL, err))
	}
}

func (w *writer) report(in Ingest, run time.Duration) Ingest {
	in.Posted = w.posted
	in.Acked = len(w.acked)
	in.Unchanged = w.unchanged
	in.Created = in.Acked - w.unchanged
	in.Failed = w.failed
	for _, n := range w.failed {
		in.Errors += n
	}
	in.ErrorSamples = append(in.ErrorSamples, w.samples...)
	in.Rate = float64(w.posted) / run.Seconds()
	in.Latency = measure.Summarise(w.latencies, in.Errors)
	in.ExtraDocs = nonNil(w.extra)
	return in
}

// verify reads every acknowledged document back and the store's count.
func verify(ctx context.Context, cl *client, key string, in *Ingest, acked []ack) error {
	seen := map[string]int{}
	for _, a := range acked {
		seen[a.id]++
	}
	in.Missing, in.Duplicates = []string{}, []string{}
	for id, n := range seen {
		if n > 1 {
			in.Duplicates = append(in.Duplicates, id)
		}
		var doc struct {
			ID string `json:"id"`
		}
		status, err := cl.get(ctx, key, "/v1/documents/"+id, &doc)
		switch {
		case err != nil && ctx.Err() != nil:
			return err
		case err != nil || status != http.StatusOK || doc.ID != id:
			in.Missing = append(in.Missing, fmt.Sprintf("%s (%d %v)", id, status, err))
		default:
			in.Found++
		}
	}
	sort.Strings(in.Missing)
	slices.Sort(in.Duplicates)
	after, err := cl.documents(ctx, key)
	if err != nil {
		return fmt.Errorf("soak: reading the document count after the run: %w", err)
	}
	in.DocsAfter = after
	return nil
}
