package soak

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// MemSample is the server's memory at one moment of the run, in bytes.
type MemSample struct {
	At float64 `json:"t_s"` // seconds since the measured run began
	// HeapInuse is the Go heap's spans in use (go_memstats_heap_inuse_bytes):
	// live objects and garbage not yet swept, so it saws up and down with
	// every GC cycle.
	HeapInuse int64 `json:"heap_inuse"`
	// HeapGoal is the heap size at which the next GC starts
	// (go_memstats_next_gc_bytes). The GC sets it from the heap it found
	// live, times 1 + GOGC/100, so it moves only when live data does: a
	// leak raises it, a busy second does not.
	HeapGoal int64 `json:"heap_goal"`
	// RSS is the resident set (VmRSS), with RSSAnon its anonymous part
	// (RssAnon: heap, stacks, runtime), which leaves out the pages of the
	// embedded store's memory-mapped file that reads touch. Both are 0
	// when the server's process is not this machine's to read (attached
	// with -url): RSS then comes from process_resident_memory_bytes.
	RSS        int64 `json:"rss"`
	RSSAnon    int64 `json:"rss_anon,omitempty"`
	Goroutines int   `json:"goroutines"`
}

// Series names the memory figures a trend is computed for. They appear in
// the JSON report: do not rename.
const (
	SeriesHeapInuse  = "heap_inuse"
	SeriesHeapGoal   = "heap_goal"
	SeriesRSS        = "rss"
	SeriesRSSAnon    = "rss_anon"
	SeriesGoroutines = "goroutines"
)

// value is a series' figure in a sample: MiB for memory, a count for
// goroutines.
func (m MemSample) value(series string) float64 {
	switch series {
	case SeriesHeapInuse:
		return mib(m.HeapInuse)
	case SeriesHeapGoal:
		return mib(m.HeapGoal)
	case SeriesRSS:
		return mib(m.RSS)
	case SeriesRSSAnon:
		return mib(m.RSSAnon)
	case SeriesGoroutines:
		return float64(m.Goroutines)
	}
	return 0
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// sampler reads the server's memory.
type sampler struct {
	client  *http.Client
	metrics string // URL of /metrics
	key     string // reader key, or "" for an open API
	pid     int    // 0: not ours to read from /proc
}

// sample reads /metrics and, for a process of this machine, /proc.
func (s *sampler) sample(ctx context.Context) (MemSample, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.metrics, nil)
	if err != nil {
		return MemSample{}, err
	}
	if s.key != "" {
		req.Header.Set("Authorization", "Bearer "+s.key)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return MemSample{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, resp.Body)
		return MemSample{}, fmt.Errorf("GET /metrics: %s", resp.Status)
	}
	v, err := parseMetrics(resp.Body)
	if err != nil {
		return MemSample{}, err
	}
	m := MemSample{HeapInuse: int64(v["go_memstats_heap_inuse_bytes"]), HeapGoal: int64(v["go_memstats_next_gc_bytes"]),
		RSS: int64(v["process_resident_memory_bytes"]), Goroutines: int(v["go_goroutines"])}
	if s.pid > 0 {
		rss, anon, err := procMemory(s.pid)
		if err != nil {
			return m, err
		}
		m.RSS, m.RSSAnon = rss, anon
	}
	return m, nil
}

// parseMetrics reads the unlabelled samples of Prometheus' text format.
func parseMetrics(r io.Reader) (map[string]float64, error) {
	out := map[string]float64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 || strings.HasPrefix(f[0], "#") || strings.ContainsRune(f[0], '{') {
			continue
		}
		if v, err := strconv.ParseFloat(f[1], 64); err == nil {
			out[f[0]] = v
		}
	}
	return out, sc.Err()
}

// procMemory reads a process's VmRSS and RssAnon from /proc, in bytes.
func procMemory(pid int) (rss, anon int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb << 10
		case "RssAnon:":
			anon = kb << 10
		}
	}
	if rss == 0 {
		return 0, 0, fmt.Errorf("/proc/%d/status has no VmRSS", pid)
	}
	return rss, anon, nil
}

// sampleEvery samples until ctx is done, every interval from start on,
// and once more at the end.
func (s *sampler) sampleEvery(ctx context.Context, start time.Time, interval time.Duration, failed func(error)) []MemSample {
	var out []MemSample
	take := func() {
		// The last sample is taken as ctx ends, so it has its own
		// short deadline rather than ctx's.
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		m, err := s.sample(c)
		if err != nil {
			failed(err)
			return
		}
		m.At = time.Since(start).Seconds()
		out = append(out, m)
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	take()
	for {
		select {
		case <-ctx.Done():
			take()
			return out
		case <-tick.C:
			take()
		}
	}
}

// Trend is how one memory figure moved over a run, in MiB (a count for
// goroutines).
type Trend struct {
	Samples int     `json:"samples"`
	First   float64 `json:"first"`
	Last    float64 `json:"last"`
	Max     float64 `json:"max"`
	Mean    float64 `json:"mean"`
	// Slope is the least-squares slope of the samples of the run's
	// second half, per minute: the first half is left out because a
	// server warms up under load (caches, buffers, pools, a heap that
	// grows to its working size), and a leak is what keeps growing after.
	Slope float64 `json:"slope_per_min"`
	// Growth is Slope over the whole run: what the trend adds in a run
	// as long as this one.
	Growth float64 `json:"growth"`
	// TrendSamples are the samples the slope was fitted to.
	TrendSamples int `json:"trend_samples"`
}

// TrendOf summarises a series of the samples over a run of the given
// length.
func TrendOf(samples []MemSample, series string, run time.Duration) Trend {
	if len(samples) == 0 {
		return Trend{}
	}
	t := Trend{Samples: len(samples), First: samples[0].value(series), Last: samples[len(samples)-1].value(series)}
	sum := 0.0
	for _, m := range samples {
		v := m.value(series)
		t.Max = max(t.Max, v)
		sum += v
	}
	t.Mean = sum / float64(len(samples))
	var xs, ys []float64
	half := run.Seconds() / 2
	for _, m := range samples {
		if m.At >= half {
			xs, ys = append(xs, m.At/60), append(ys, m.value(series))
		}
	}
	t.TrendSamples = len(xs)
	t.Slope = Slope(xs, ys)
	t.Growth = t.Slope * run.Minutes()
	return t
}

// Slope is the least-squares slope of ys against xs; 0 with fewer than two
// distinct xs.
func Slope(xs, ys []float64) float64 {
	n := float64(len(xs))
	if len(xs) < 2 || len(xs) != len(ys) {
		return 0
	}
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx, my = mx/n, my/n
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	if sxx == 0 {
		return 0
	}
	return sxy / sxx
}
