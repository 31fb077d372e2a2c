package soak

import (
	"math"
	"os"
	"strings"
	"testing"
	"time"
)

func TestSlope(t *testing.T) {
	for _, tc := range []struct {
		name   string
		xs, ys []float64
		want   float64
	}{
		{"a line", []float64{0, 1, 2, 3}, []float64{5, 8, 11, 14}, 3},
		{"flat", []float64{0, 1, 2, 3}, []float64{7, 7, 7, 7}, 0},
		{"falling", []float64{1, 2, 3}, []float64{6, 4, 2}, -2},
		// A sawtooth around a flat level: a slope far below its swing.
		{"sawtooth", []float64{0, 1, 2, 3, 4, 5, 6, 7}, []float64{10, 20, 10, 20, 10, 20, 10, 20}, 10.0 / 21},
		{"noise around a line", []float64{0, 1, 2, 3, 4}, []float64{1, 2.5, 5, 6.5, 9}, 2},
		{"one point", []float64{1}, []float64{3}, 0},
		{"no spread in x", []float64{2, 2, 2}, []float64{1, 5, 9}, 0},
		{"mismatched", []float64{1, 2}, []float64{1}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Slope(tc.xs, tc.ys); math.Abs(got-tc.want) > 1e-9 {
				t.Fatalf("Slope = %v, want %v", got, tc.want)
			}
		})
	}
}

// samples makes one sample a second for run, heap goal from f (MiB).
func samples(run time.Duration, f func(sec float64) float64) []MemSample {
	var out []MemSample
	for s := 0.0; s <= run.Seconds(); s++ {
		out = append(out, MemSample{At: s, HeapGoal: int64(f(s) * (1 << 20))})
	}
	return out
}

func TestTrendOfFitsTheSecondHalfOnly(t *testing.T) {
	run := 2 * time.Minute
	for _, tc := range []struct {
		name      string
		f         func(sec float64) float64
		wantSlope float64 // MiB/min
	}{
		// Warming up in the first half, flat after: no trend.
		{"warm-up then flat", func(s float64) float64 { return 40 + min(s, 60)/2 }, 0},
		// Flat, then leaking 3 MiB a minute: the leak's slope.
		{"flat then leaking", func(s float64) float64 { return 40 + max(s-60, 0)/20 }, 3},
		{"leaking throughout", func(s float64) float64 { return 40 + s/10 }, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := TrendOf(samples(run, tc.f), SeriesHeapGoal, run)
			if math.Abs(tr.Slope-tc.wantSlope) > 1e-6 {
				t.Fatalf("slope %v MiB/min, want %v", tr.Slope, tc.wantSlope)
			}
			if want := tr.Slope * 2; math.Abs(tr.Growth-want) > 1e-6 {
				t.Fatalf("growth %v MiB over a 2-minute run, want the slope × 2 = %v", tr.Growth, want)
			}
			if tr.Samples != 121 || tr.TrendSamples != 61 {
				t.Fatalf("%d samples, %d fitted; want 121 and the 61 from 60 s on", tr.Samples, tr.TrendSamples)
			}
		})
	}
}

func TestTrendOfSummarises(t *testing.T) {
	ms := []MemSample{{At: 0, HeapGoal: 10 << 20}, {At: 1, HeapGoal: 30 << 20}, {At: 2, HeapGoal: 20 << 20}}
	tr := TrendOf(ms, SeriesHeapGoal, 2*time.Second)
	if tr.First != 10 || tr.Last != 20 || tr.Max != 30 || tr.Mean != 20 {
		t.Fatalf("trend %+v: want first 10, last 20, max 30, mean 20", tr)
	}
	if got := TrendOf(nil, SeriesHeapGoal, time.Minute); got != (Trend{}) {
		t.Fatalf("no samples: %+v, want the zero Trend", got)
	}
}

func TestParseMetrics(t *testing.T) {
	text := `# HELP go_memstats_heap_inuse_bytes Number of heap bytes that are in use.
# TYPE go_memstats_heap_inuse_bytes gauge
go_memstats_heap_inuse_bytes 4.513792e+06
go_memstats_next_gc_bytes 9.5e+06
go_goroutines 9
http_requests_in_flight 1
http_request_duration_seconds_bucket{method="GET",le="0.005"} 3
process_resident_memory_bytes 2.623488e+07
`
	v, err := parseMetrics(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]float64{"go_memstats_heap_inuse_bytes": 4513792, "go_memstats_next_gc_bytes": 9.5e6,
		"go_goroutines": 9, "process_resident_memory_bytes": 26234880} {
		if v[name] != want {
			t.Errorf("%s = %v, want %v", name, v[name], want)
		}
	}
	for name := range v {
		if strings.ContainsAny(name, "{#") {
			t.Errorf("kept %q: labelled samples and comments are not read", name)
		}
	}
}

func TestProcMemory(t *testing.T) {
	rss, anon, err := procMemory(os.Getpid())
	if err != nil {
		t.Skip("no /proc here:", err)
	}
	if rss <= 0 || anon <= 0 || anon > rss {
		t.Fatalf("VmRSS %d, RssAnon %d: want both positive, anon within the whole", rss, anon)
	}
	if _, _, err := procMemory(-1); err == nil {
		t.Fatal("no error for a process that does not exist")
	}
}
