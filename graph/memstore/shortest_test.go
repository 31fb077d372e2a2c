package memstore

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/polgraph/polgraph/bench/synth"
	"github.com/polgraph/polgraph/graph"
)

// shortest finds a shortest path from src to dst of at most maxLen
// relations that avoids the blocked nodes and relations, breadth first.
// Neighbours are tried in relation-id order and the first way found to a
// node is kept, so equal-length ties break the same way every time.
func (w *walker) referenceShortest(src, dst string, maxLen int, blockedNodes, blockedRels map[string]bool) (path, bool, error) {
	type step struct{ prev, rel string }
	parent := map[string]step{src: {}}
	frontier := []string{src}
	for depth := 0; depth < maxLen && len(frontier) > 0; depth++ {
		var next []string
		for _, u := range frontier {
			for _, e := range w.st.adj[u] {
				rid := e.rel.ID
				if err := w.tick(); err != nil {
					return path{}, false, err
				}
				if blockedRels[rid] {
					continue
				}
				r := w.st.relations[rid]
				v := otherEnd(r, u)
				if _, seen := parent[v]; seen || blockedNodes[v] || !w.follows(r) {
					continue
				}
				parent[v] = step{u, rid}
				if v == dst {
					var p path
					for at := dst; at != src; at = parent[at].prev {
						p.nodes = append(p.nodes, at)
						p.rels = append(p.rels, parent[at].rel)
					}
					p.nodes = append(p.nodes, src)
					slices.Reverse(p.nodes)
					slices.Reverse(p.rels)
					return p, true, nil
				}
				next = append(next, v)
			}
		}
		frontier = next
	}
	return path{}, false, nil
}

func TestShortestMatchesBreadthFirstSearch(t *testing.T) {
	s := OpenMemory()
	_, err := synth.Generate(context.Background(), synth.Config{Relations: 8000, Seed: 5}, func(b *graph.Batch) error {
		_, err := s.Apply(context.Background(), b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for id, e := range s.st.entities {
		if e.Kind != graph.KindDocument {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	rng := rand.New(rand.NewPCG(1, 2))
	found := 0
	for i := 0; i < 1500; i++ {
		a, b := ids[rng.IntN(len(ids))], ids[rng.IntN(len(ids))]
		if a == b {
			continue
		}
		w := newWalker(context.Background(), s.st, nil, graph.Window{})
		bn, br := map[string]bool{}, map[string]bool{}
		if i%2 == 0 {
			for range 20 {
				bn[ids[rng.IntN(len(ids))]] = true
			}
			delete(bn, a)
			delete(bn, b)
		}
		depth := 1 + rng.IntN(6)
		p1, ok1, _ := w.referenceShortest(a, b, depth, bn, br)
		p2, ok2, err := w.shortest(a, b, depth, bn, br)
		if err != nil || ok1 != ok2 || !slices.Equal(p1.rels, p2.rels) || !slices.Equal(p1.nodes, p2.nodes) {
			t.Fatalf("%d: old %v %v new %v %v %v", i, ok1, p1, ok2, p2, err)
		}
		if ok1 {
			found++
		}
		if i%3 == 0 {
			w2 := newWalker(context.Background(), s.st, []graph.RelType{graph.ParticipatedIn}, graph.Window{From: "2015"})
			p1, ok1, _ := w2.referenceShortest(a, b, depth, bn, br)
			p2, ok2, _ := w2.shortest(a, b, depth, bn, br)
			if ok1 != ok2 || !slices.Equal(p1.rels, p2.rels) {
				t.Fatalf("filtered %d: old %v %v new %v %v", i, ok1, p1, ok2, p2)
			}
		}
	}
	t.Logf("%d paths found and equal", found)
}

// otherEnd reads the far end from the relation itself, not the adjacency
// list, so the reference walk does not share the store's bookkeeping.
func otherEnd(r *graph.Relation, id string) string {
	if r.From == id {
		return r.To
	}
	return r.From
}
