package soak

import (
	"errors"
	"fmt"
	"net/url"
	"unicode"

	"github.com/polgraph/polgraph/bench/measure"
	"github.com/polgraph/polgraph/bench/synth"
)

// Kind is a kind of read request, the unit latencies are reported by.
// Kinds appear in the JSON report: do not rename.
type Kind string

// The kinds of reads the soak makes: what an analyst's session asks of
// the graph.
const (
	Relations    Kind = "relations"     // an actor's relations, one page
	Network      Kind = "network"       // an actor's two-hop network
	Paths        Kind = "paths"         // paths between two actors
	SearchLatin  Kind = "search_latin"  // a name search in Latin script
	SearchArabic Kind = "search_arabic" // a name search in Arabic script
	Timeline     Kind = "timeline"      // an actor's events per month
	Entity       Kind = "entity"        // one actor or place, with its mentions
	Events       Kind = "events"        // a page of events at a place or of an actor
)

// Share is how many of each cycle of reads are of a kind.
type Share struct {
	Kind   Kind `json:"kind"`
	Weight int  `json:"weight"`
}

// DefaultMix weighs the reads the way an analyst's session goes: open an
// entity and its relations most often, search by name in either script,
// and ask the costly questions (network, paths, timelines, event pages)
// less often. Of every 13 reads: 3 relations, 2 entity, 2 network, 1 paths,
// 1 of each search, 1 timeline, 2 events.
var DefaultMix = []Share{
	{Relations, 3}, {Entity, 2}, {Network, 2}, {Paths, 1},
	{SearchLatin, 1}, {SearchArabic, 1}, {Timeline, 1}, {Events, 2},
}

// DefaultRate is the reads a second a store's soak sends: a load the
// store sustains on a 2-core machine that also runs Neo4j and the load
// generator, since a soak looks for errors, leaks and drift over time, not
// for the most a store answers (polbench measures that). The embedded
// store answers the mix in about a millisecond at p50. Neo4j answers an
// event page (20 events, each with its participants, places and reports)
// in about 200 ms of its CPU, and the mix asks for 15 a second at 100
// reads/s: at that rate Neo4j falls behind within seconds and answers
// most requests 504 (a minute at 100/s: 48 % failed). At 30/s it keeps up
// with event pages at p99 3 s; 20/s leaves it room for a busy machine.
func DefaultRate(store string) int {
	if store == "neo4j" {
		return 20
	}
	return 100
}

// Target is one read request: its kind and its path and query.
type Target struct {
	Kind Kind
	Path string
}

// Targets builds cycles of reads over the sampled entities, the kinds
// interleaved by smooth weighted round robin so that any stretch of the
// sequence has about the mix's proportions (a fixed-rate attack then
// sends the mix at every moment, not one kind after another). Each kind
// walks its own way through the sample, so popular actors come up most
// often, as the sample draws them. Kinds the sample has nothing for
// (events at places when it has no places) fall back to what it has.
func Targets(s synth.Sample, mix []Share, cycles int) ([]Target, error) {
	if len(s.Actors) == 0 {
		return nil, errors.New("soak: the sample names no actors to read")
	}
	total := 0
	for _, sh := range mix {
		if sh.Weight < 0 {
			return nil, fmt.Errorf("soak: kind %s has a negative weight", sh.Kind)
		}
		if _, known := pathers[sh.Kind]; !known {
			return nil, fmt.Errorf("soak: unknown kind of read %q", sh.Kind)
		}
		total += sh.Weight
	}
	if total == 0 {
		return nil, errors.New("soak: the mix has no reads")
	}
	names := splitNames(s.Names, s.Actors)
	current := make([]int, len(mix))
	next := map[Kind]int{}
	out := make([]Target, 0, cycles*total)
	for range cycles * total {
		// Smooth weighted round robin (as nginx balances upstreams):
		// every kind gains its weight, the one ahead is picked and
		// pays the total back.
		best := -1
		for i, sh := range mix {
			current[i] += sh.Weight
			if best < 0 || current[i] > current[best] {
				best = i
			}
		}
		current[best] -= total
		k := mix[best].Kind
		out = append(out, Target{Kind: k, Path: pathers[k](s, names, next[k])})
		next[k]++
	}
	return out, nil
}

// scriptNames are the sample's names to search for, by script.
type scriptNames struct{ latin, arabic []string }

// splitNames sorts names by script; a script with none searches by an
// actor's id, which search also matches, so the kind still runs.
func splitNames(names, actors []string) scriptNames {
	var n scriptNames
	for _, name := range names {
		if isArabic(name) {
			n.arabic = append(n.arabic, name)
		} else {
			n.latin = append(n.latin, name)
		}
	}
	if len(n.latin) == 0 {
		n.latin = actors
	}
	if len(n.arabic) == 0 {
		n.arabic = actors
	}
	return n
}

func isArabic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Arabic, r) {
			return true
		}
	}
	return false
}

// pathers build the i-th request of each kind. The parameters are the
// benchmark questions' (bench/measure), so soak and benchmark latencies
// compare.
var pathers = map[Kind]func(s synth.Sample, n scriptNames, i int) string{
	Relations: func(s synth.Sample, _ scriptNames, i int) string {
		return fmt.Sprintf("/v1/entities/%s/relations?limit=%d", pick(s.Actors, i), measure.RelationsLimit)
	},
	Network: func(s synth.Sample, _ scriptNames, i int) string {
		return fmt.Sprintf("/v1/entities/%s/network?depth=%d&limit=%d", pick(s.Actors, i), measure.NetworkDepth, measure.NetworkLimit)
	},
	Paths: func(s synth.Sample, _ scriptNames, i int) string {
		from, to := pick(s.Actors, i), otherActor(s.Actors, i)
		return fmt.Sprintf("/v1/paths?from=%s&to=%s&k=%d&max_depth=%d", from, to, measure.PathsK, measure.PathsDepth)
	},
	SearchLatin: func(_ synth.Sample, n scriptNames, i int) string {
		return "/v1/entities?q=" + url.QueryEscape(pick(n.latin, i))
	},
	SearchArabic: func(_ synth.Sample, n scriptNames, i int) string {
		return "/v1/entities?q=" + url.QueryEscape(pick(n.arabic, i))
	},
	Timeline: func(s synth.Sample, _ scriptNames, i int) string {
		return fmt.Sprintf("/v1/entities/%s/timeline?bucket=month", pick(s.Actors, i))
	},
	Entity: func(s synth.Sample, _ scriptNames, i int) string {
		// Every other one a place: place pages are read too, and
		// they carry the most mentions.
		if i%2 == 1 && len(s.Places) > 0 {
			return "/v1/entities/" + pick(s.Places, i/2)
		}
		return "/v1/entities/" + pick(s.Actors, i)
	},
	Events: func(s synth.Sample, _ scriptNames, i int) string {
		if i%2 == 1 && len(s.Places) > 0 {
			return "/v1/events?limit=20&place=" + pick(s.Places, i/2)
		}
		return "/v1/events?limit=20&actor=" + pick(s.Actors, i)
	},
}

func pick(xs []string, i int) string { return xs[i%len(xs)] }

// otherActor is the far end of the i-th path: another sampled actor,
// stepping past the near end when the sample repeats it, so no request
// asks for the path from an actor to itself (a 400).
func otherActor(actors []string, i int) string {
	from := pick(actors, i)
	for step := range len(actors) {
		if to := actors[(i*7919+13+step)%len(actors)]; to != from {
			return to
		}
	}
	return from
}
