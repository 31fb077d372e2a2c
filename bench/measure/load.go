package measure

import (
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Load is what a load test measured: requests a second that succeeded, and
// the latency of every request under that load.
type Load struct {
	Workers    int            `json:"workers"`
	Requests   uint64         `json:"requests"`
	Throughput float64        `json:"throughput_rps"`
	Success    float64        `json:"success"` // share of 2xx answers, 0–1
	P50        float64        `json:"p50_ms"`
	P95        float64        `json:"p95_ms"`
	P99        float64        `json:"p99_ms"`
	Max        float64        `json:"max_ms"`
	Status     map[string]int `json:"status_codes"`
	Errors     []string       `json:"errors,omitempty"`
}

// Saturate sends the queries' requests to base for d, cycling through the
// sample, from workers clients each waiting for its answer before sending
// the next: the most the server answers with that many requests in
// flight (vegeta at an unbounded rate with a fixed pool of workers).
func Saturate(base string, qs []Query, samples, workers int, d time.Duration) Load {
	var targets []vegeta.Target
	for i := range samples {
		for _, q := range qs {
			targets = append(targets, vegeta.Target{Method: http.MethodGet, URL: base + q.Path(i)})
		}
	}
	atk := vegeta.NewAttacker(vegeta.Workers(uint64(workers)), vegeta.MaxWorkers(uint64(workers)),
		vegeta.KeepAlive(true), vegeta.Connections(workers), vegeta.Timeout(30*time.Second))
	var m vegeta.Metrics
	for res := range atk.Attack(vegeta.NewStaticTargeter(targets...), vegeta.Rate{Freq: 0}, d, "polbench") {
		m.Add(res)
	}
	m.Close()
	return Load{Workers: workers, Requests: m.Requests, Throughput: m.Throughput, Success: m.Success,
		P50: ms(m.Latencies.P50), P95: ms(m.Latencies.P95), P99: ms(m.Latencies.P99), Max: ms(m.Latencies.Max),
		Status: m.StatusCodes, Errors: m.Errors}
}
