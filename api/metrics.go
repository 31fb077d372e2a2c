package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/loader"
)

// Prometheus metrics, served at GET /metrics. Each Server has a registry
// of its own rather than the global one, so that tests (and a process)
// can hold several servers. Metric and label names are what dashboards
// and alerts query: do not rename.

type promMetrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.HistogramVec
	inFlight   prometheus.Gauge
	storeCalls *prometheus.HistogramVec
	articles   *prometheus.CounterVec
	importRows *prometheus.CounterVec
	importJobs *prometheus.CounterVec
}

// requestBuckets reach past the default 10 s query limit, so a request cut
// by it is told from one that nearly made it.
var requestBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

func newPromMetrics() *promMetrics {
	m := &promMetrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by method, route (the route pattern; \"unmatched\" when no route matches) and status.",
			Buckets: requestBuckets,
		}, []string{"method", "route", "status"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "http_requests_in_flight",
			Help: "HTTP requests being answered now, change streams included.",
		}),
		storeCalls: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "polgraph_store_call_duration_seconds",
			Help:    "Time of graph store calls made by the API, by store method and error code (\"ok\" for success).",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"method", "code"}),
		articles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "polgraph_articles_ingested_total",
			Help: "Articles ingested through the API, by result: \"changed\" if the article added or changed something, else \"unchanged\".",
		}, []string{"result"}),
		importRows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "polgraph_import_rows_total",
			Help: "Records of finished import jobs, by format and outcome: read, imported or skipped.",
		}, []string{"format", "outcome"}),
		importJobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "polgraph_import_jobs_total",
			Help: "Import jobs that reached a state, by format and state (running, done, failed); running minus done minus failed are running now.",
		}, []string{"format", "state"}),
	}
	m.reg.MustRegister(m.requests, m.inFlight, m.storeCalls, m.articles, m.importRows, m.importJobs,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// metrics serves the registry in Prometheus' text format.
func (s *Server) metrics(c *gin.Context) {
	promhttp.HandlerFor(s.prom.reg, promhttp.HandlerOpts{}).ServeHTTP(c.Writer, c.Request)
}

// observe measures every request. It runs outside the other middleware,
// so refused requests (401, 403, 429) are measured too.
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	s.prom.inFlight.Inc()
	defer s.prom.inFlight.Dec()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	s.prom.requests.WithLabelValues(methodLabel(c.Request.Method), route, strconv.Itoa(c.Writer.Status())).
		Observe(time.Since(start).Seconds())
}

// methodLabel keeps the method label's values few whatever clients send.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

// articleIngested counts an article ingested through the API (posted or in
// an import of articles), if storing it succeeded.
func (m *promMetrics) articleIngested(res graph.ApplyResult, err error) {
	if err != nil {
		return
	}
	result := "unchanged"
	if res.Created > 0 || res.Updated > 0 {
		result = "changed"
	}
	m.articles.WithLabelValues(result).Inc()
}

// jobRunning counts an import job that starts running.
func (m *promMetrics) jobRunning(format string) {
	m.importJobs.WithLabelValues(format, JobRunning).Inc()
}

// jobFinished counts an import job's end and the records it went through.
func (m *promMetrics) jobFinished(format string, sum loader.Summary, err error) {
	state := JobDone
	if err != nil {
		state = JobFailed
	}
	m.importJobs.WithLabelValues(format, state).Inc()
	m.importRows.WithLabelValues(format, "read").Add(float64(sum.Read))
	m.importRows.WithLabelValues(format, "imported").Add(float64(sum.Imported))
	m.importRows.WithLabelValues(format, "skipped").Add(float64(len(sum.Skipped)))
}
