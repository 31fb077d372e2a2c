package graph

import "sort"

// NextLevel adds next, the entities first reached at one more step of a
// network's breadth-first walk, to nodes within the limit on the number of
// nodes: in id order, so that which ones a truncated network keeps does not
// depend on storage order. Those that do not fit are taken out of in (the
// set of nodes reached) again. It returns the nodes so far, the level the
// walk goes on from, and whether the network was truncated.
func NextLevel(nodes, next []string, limit int, in map[string]bool) (all, level []string, truncated bool) {
	sort.Strings(next)
	if room := limit - len(nodes); len(next) > room {
		for _, v := range next[room:] {
			delete(in, v)
		}
		next, truncated = next[:room], true
	}
	return append(nodes, next...), next, truncated
}
