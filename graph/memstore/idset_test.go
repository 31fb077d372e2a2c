package memstore

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// TestIDSet adds and removes ids in random order and checks, at every
// size, the contents and that the set equals one built afresh from the
// same ids: TestReopen relies on the form depending only on the contents.
func TestIDSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var s idSet
	want := map[string]bool{}
	for step := range 2000 {
		id := fmt.Sprintf("id%02d", rng.IntN(3*idSetFew))
		if rng.IntN(2) == 0 {
			s.add(id)
			want[id] = true
		} else {
			s.remove(id)
			delete(want, id)
		}
		got := slices.Sorted(s.all())
		if ids := slices.Sorted(maps.Keys(want)); !slices.Equal(got, ids) || s.len() != len(ids) {
			t.Fatalf("step %d: set holds %q (len %d), want %q", step, got, s.len(), ids)
		}
		var fresh idSet
		for _, id := range rng.Perm(len(got)) {
			fresh.add(got[id])
		}
		if len(got) > 0 && !reflect.DeepEqual(s, fresh) {
			t.Fatalf("step %d: %+v differs from the same set built afresh, %+v", step, s, fresh)
		}
	}
}
