package soak

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/polgraph/polgraph/bench/synth"
)

var sample = synth.Sample{
	Actors: []string{"a1", "a2", "a1", "a3", "a1", "a2"}, // drawn by popularity: repeats
	Places: []string{"p1", "p2"},
	Names:  []string{"Khaled Haddad", "خالد الحداد", "Haddad", "الحداد"},
}

func TestTargetsFollowTheMixAtEveryMoment(t *testing.T) {
	ts, err := Targets(sample, DefaultMix, 10)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, sh := range DefaultMix {
		total += sh.Weight
	}
	if len(ts) != 10*total {
		t.Fatalf("%d targets, want %d cycles of %d", len(ts), 10, total)
	}
	// Smooth round robin: every cycle holds each kind as often as its
	// weight says, wherever the cycle is cut.
	for start := 0; start+total <= len(ts); start += total {
		got := map[Kind]int{}
		for _, tg := range ts[start : start+total] {
			got[tg.Kind]++
		}
		for _, sh := range DefaultMix {
			if got[sh.Kind] != sh.Weight {
				t.Fatalf("cycle at %d: %d %s, want %d (%v)", start, got[sh.Kind], sh.Kind, sh.Weight, got)
			}
		}
	}
	// And wherever a stretch of a cycle's length starts, it holds each
	// kind within one of its weight: no kind comes in a clump.
	for start := 0; start+total <= len(ts); start++ {
		got := map[Kind]int{}
		for _, tg := range ts[start : start+total] {
			got[tg.Kind]++
		}
		for _, sh := range DefaultMix {
			if d := got[sh.Kind] - sh.Weight; d < -1 || d > 1 {
				t.Fatalf("targets %d to %d: %d %s, want %d ± 1", start, start+total-1, got[sh.Kind], sh.Kind, sh.Weight)
			}
		}
	}
}

func TestTargetsAskAboutTheSample(t *testing.T) {
	ts, err := Targets(sample, DefaultMix, 12)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[Kind]bool{}
	for _, tg := range ts {
		seen[tg.Kind] = true
		u, err := url.Parse(tg.Path)
		if err != nil {
			t.Fatalf("%s: %v", tg.Path, err)
		}
		q := u.Query()
		switch tg.Kind {
		case Paths:
			if q.Get("from") == q.Get("to") || !strings.HasPrefix(q.Get("from"), "a") || !strings.HasPrefix(q.Get("to"), "a") {
				t.Fatalf("%s: want a path between two different sampled actors", tg.Path)
			}
		case SearchArabic:
			if !isArabic(q.Get("q")) {
				t.Fatalf("%s: an Arabic search for a Latin name", tg.Path)
			}
		case SearchLatin:
			if q.Get("q") == "" || isArabic(q.Get("q")) {
				t.Fatalf("%s: a Latin search for %q", tg.Path, q.Get("q"))
			}
		case Relations, Network, Timeline:
			if !strings.HasPrefix(u.Path, "/v1/entities/a") {
				t.Fatalf("%s: want an actor's %s", tg.Path, tg.Kind)
			}
		case Entity:
			if !strings.HasPrefix(u.Path, "/v1/entities/a") && !strings.HasPrefix(u.Path, "/v1/entities/p") {
				t.Fatalf("%s: want an actor or a place", tg.Path)
			}
		case Events:
			if u.Path != "/v1/events" || q.Get("actor") == "" && q.Get("place") == "" {
				t.Fatalf("%s: want the events of an actor or at a place", tg.Path)
			}
		}
	}
	for _, sh := range DefaultMix {
		if !seen[sh.Kind] {
			t.Errorf("no %s reads", sh.Kind)
		}
	}
}

func TestTargetsRefuse(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    synth.Sample
		mix  []Share
		want string
	}{
		{"no actors", synth.Sample{Places: []string{"p1"}}, DefaultMix, "no actors"},
		{"an unknown kind", sample, []Share{{Relations, 1}, {"gossip", 1}}, `unknown kind of read "gossip"`},
		{"no weight", sample, []Share{{Relations, 0}}, "no reads"},
		{"a negative weight", sample, []Share{{Relations, 2}, {Paths, -1}}, "negative weight"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Targets(tc.s, tc.mix, 1); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one with %q", err, tc.want)
			}
		})
	}
}

func TestOtherActorNeverTheSame(t *testing.T) {
	actors := []string{"a", "a", "a", "b"}
	for i := range 40 {
		if otherActor(actors, i) == pick(actors, i) {
			t.Fatalf("path %d goes from %s to itself", i, pick(actors, i))
		}
	}
}

func TestByOverlap(t *testing.T) {
	ms := time.Millisecond
	// Two posts at once from 50 ms to 60 ms.
	spans := []span{{52 * ms, 60 * ms}, {10 * ms, 20 * ms}, {50 * ms, 55 * ms}}
	reads := []read{
		{at: 0, latency: 5 * ms, ok: true},        // before the first post
		{at: 5 * ms, latency: 6 * ms, ok: true},   // into the first post
		{at: 15 * ms, latency: 1 * ms, ok: false}, // inside it
		{at: 30 * ms, latency: 5 * ms, ok: true},  // between
		{at: 45 * ms, latency: 30 * ms, ok: true}, // across the second
		{at: 70 * ms, latency: 2 * ms, ok: false}, // after
	}
	during, between := byOverlap(reads, spans)
	if during.N != 3 || during.Errors != 1 || during.Max != 30 {
		t.Fatalf("during posts %+v: want 3 reads, 1 error, max 30 ms", during)
	}
	if between.N != 3 || between.Errors != 1 || between.Max != 5 {
		t.Fatalf("between posts %+v: want 3 reads, 1 error, max 5 ms", between)
	}
}
