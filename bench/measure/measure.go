// Package measure times the questions analysts ask of a graph (an actor's
// relations, its two-hop network, paths between two actors, a name
// search), both as direct store calls and through the REST API, and
// summarises latencies as percentiles. bench/cmd/polbench and the Go
// benchmarks of package bench use it, so both time the same calls.
package measure

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/polgraph/polgraph/bench/synth"
	"github.com/polgraph/polgraph/graph"
)

// Query is one kind of question, asked about the i-th sampled entity (or
// pair, or name): as a store call and as the API request that makes it.
type Query struct {
	Name  string
	Store func(ctx context.Context, st graph.Store, i int) error
	Path  func(i int) string // path and query string of the API request
}

// The parameters of the benchmark queries: issue 8's network of depth 2
// with a budget of 200 nodes, and paths with k = 3 and depth ≤ 6.
const (
	RelationsLimit = 50
	NetworkDepth   = 2
	NetworkLimit   = 200
	PathsK         = 3
	PathsDepth     = 6
)

// Queries returns the four benchmark questions over the sample's entities:
// popular actors are asked about more often, as analysts do.
func Queries(s synth.Sample) []Query {
	actor := func(i int) string { return s.Actors[i%len(s.Actors)] }
	// The other end of a path: another sampled actor, so paths join
	// popular actors to less popular ones and to each other.
	other := func(i int) string { return s.Actors[(i*7919+13)%len(s.Actors)] }
	name := func(i int) string { return s.Names[i%len(s.Names)] }
	return []Query{
		{Name: "relations",
			Store: func(ctx context.Context, st graph.Store, i int) error {
				_, err := st.Relations(ctx, graph.RelationQuery{Entity: actor(i), Limit: RelationsLimit})
				return err
			},
			Path: func(i int) string {
				return fmt.Sprintf("/v1/entities/%s/relations?limit=%d", actor(i), RelationsLimit)
			}},
		{Name: "network",
			Store: func(ctx context.Context, st graph.Store, i int) error {
				_, err := st.Network(ctx, graph.NetworkQuery{Entity: actor(i), Depth: NetworkDepth, Limit: NetworkLimit})
				return err
			},
			Path: func(i int) string {
				return fmt.Sprintf("/v1/entities/%s/network?depth=%d&limit=%d", actor(i), NetworkDepth, NetworkLimit)
			}},
		{Name: "paths",
			Store: func(ctx context.Context, st graph.Store, i int) error {
				if actor(i) == other(i) {
					return nil
				}
				_, err := st.Paths(ctx, graph.PathQuery{From: actor(i), To: other(i), K: PathsK, MaxDepth: PathsDepth})
				return err
			},
			Path: func(i int) string {
				if actor(i) == other(i) {
					return "/healthz"
				}
				return fmt.Sprintf("/v1/paths?from=%s&to=%s&k=%d&max_depth=%d", actor(i), other(i), PathsK, PathsDepth)
			}},
		{Name: "search",
			Store: func(ctx context.Context, st graph.Store, i int) error {
				_, err := st.Search(ctx, graph.SearchQuery{Text: name(i)})
				return err
			},
			Path: func(i int) string { return "/v1/entities?q=" + url.QueryEscape(name(i)) }},
	}
}

// Latency summarises the times of n calls.
type Latency struct {
	N      int     `json:"n"`
	Errors int     `json:"errors"`
	P50    float64 `json:"p50_ms"`
	P95    float64 `json:"p95_ms"`
	P99    float64 `json:"p99_ms"`
	Max    float64 `json:"max_ms"`
	Mean   float64 `json:"mean_ms"`
}

// Summarise gives the percentiles of ds (nearest rank), in milliseconds.
func Summarise(ds []time.Duration, errors int) Latency {
	if len(ds) == 0 {
		return Latency{Errors: errors}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := func(p float64) float64 {
		i := int(p*float64(len(s))+0.5) - 1
		return ms(s[min(max(i, 0), len(s)-1)])
	}
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	return Latency{N: len(s), Errors: errors, P50: rank(0.50), P95: rank(0.95), P99: rank(0.99),
		Max: ms(s[len(s)-1]), Mean: ms(sum / time.Duration(len(s)))}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Pair times the same n questions as store calls and as API requests to
// base, one after the other for each question, so that both see the same
// machine: the API's overhead is their ratio. The first warm calls of each
// are not counted.
func Pair(ctx context.Context, q Query, st graph.Store, client *http.Client, base string, n, warm int) (direct, api Latency, err error) {
	ds, hs := series{warm: warm}, series{warm: warm}
	for i := range n + warm {
		if err := ds.time(ctx, i, func() error { return q.Store(ctx, st, i) }); err != nil {
			return direct, api, err
		}
		if err := hs.time(ctx, i, func() error { return Get(ctx, client, base+q.Path(i)) }); err != nil {
			return direct, api, err
		}
	}
	return ds.latency(), hs.latency(), nil
}

// Direct times n store calls of q after warm uncounted ones.
func Direct(ctx context.Context, q Query, st graph.Store, n, warm int) (Latency, error) {
	ds := series{warm: warm}
	for i := range n + warm {
		if err := ds.time(ctx, i, func() error { return q.Store(ctx, st, i) }); err != nil {
			return Latency{}, err
		}
	}
	return ds.latency(), nil
}

// Requests times n API requests of q after warm uncounted ones.
func Requests(ctx context.Context, q Query, client *http.Client, base string, n, warm int) (Latency, error) {
	hs := series{warm: warm}
	for i := range n + warm {
		if err := hs.time(ctx, i, func() error { return Get(ctx, client, base+q.Path(i)) }); err != nil {
			return Latency{}, err
		}
	}
	return hs.latency(), nil
}

// series gathers the times of a run of calls, the first warm ones not
// counted.
type series struct {
	warm   int
	times  []time.Duration
	errors int
}

// time runs the i-th call of the series. A failed call is counted; once
// the context is done, the error ends the series.
func (s *series) time(ctx context.Context, i int, call func() error) error {
	start := time.Now()
	err := call()
	took := time.Since(start)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		s.errors++
	}
	if i >= s.warm {
		s.times = append(s.times, took)
	}
	return nil
}

func (s *series) latency() Latency { return Summarise(s.times, s.errors) }

// Get requests u and reads the whole answer, as a client would; any status
// but 200 is an error.
func Get(ctx context.Context, client *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return nil
}
