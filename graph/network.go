package graph

import (
	"slices"
	"strings"
)

// NextLevel adds next, the entities first reached at one more step of a
// network's breadth-first walk, to nodes within the limit on the number of
// nodes: in id order, so that which ones a truncated network keeps does not
// depend on storage order. Those that do not fit are taken out of in (the
// set of nodes reached) again. It returns the nodes so far, the level the
// walk goes on from, and whether the network was truncated.
func NextLevel(nodes, next []string, limit int, in map[string]bool) (all, level []string, truncated bool) {
	if room := max(limit-len(nodes), 0); len(next) > room {
		// A hub's level holds thousands of ids of which a few hundred
		// fit: select those, and sort only them.
		selectSmallest(next, room)
		for _, v := range next[room:] {
			delete(in, v)
		}
		next, truncated = next[:room], true
	}
	slices.Sort(next)
	return append(nodes, next...), next, truncated
}

// selectSmallest reorders xs so that its k smallest elements come first, in
// no particular order (quickselect, with the median of three as pivot).
func selectSmallest(xs []string, k int) {
	lo, hi := 0, len(xs)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if xs[mid] < xs[lo] {
			xs[mid], xs[lo] = xs[lo], xs[mid]
		}
		if xs[hi] < xs[lo] {
			xs[hi], xs[lo] = xs[lo], xs[hi]
		}
		if xs[hi] < xs[mid] {
			xs[hi], xs[mid] = xs[mid], xs[hi]
		}
		pivot := xs[mid]
		i, j := lo, hi
		for i <= j {
			for strings.Compare(xs[i], pivot) < 0 {
				i++
			}
			for strings.Compare(xs[j], pivot) > 0 {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
}
