package memstore

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/polgraph/polgraph/graph"
)

// TestAppendChange checks that the change feed's encoder writes what
// json.Marshal writes, or fails where it fails.
func TestAppendChange(t *testing.T) {
	id := graph.EntityID(graph.KindPerson, "a")
	at := time.Date(2025, 10, 22, 9, 0, 1, 120000000, time.UTC)
	for _, c := range []graph.Change{
		{Seq: 1, Op: graph.Created, Object: graph.ObjectRelation, ID: id, At: at},
		{Seq: 1<<64 - 1, Op: graph.Merged, Object: graph.ObjectEntity, ID: id, Into: id, At: at.Add(time.Nanosecond)},
		{Op: graph.Updated, Object: "a<b>&\"c\"\\\u2028é\x01", ID: "\xff", At: at.Truncate(time.Second)},
		{At: time.Time{}},
		{At: at.In(time.FixedZone("", 5*3600+1800))},
		{At: at.In(time.FixedZone("", -(5*3600 + 17)))},
		{At: at.In(time.FixedZone("", 24*3600))},
		{At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{At: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		want, wantErr := json.Marshal(c)
		got, err := appendChange([]byte("x"), &c)
		switch {
		case (err != nil) != (wantErr != nil):
			t.Errorf("%+v: error %v, json.Marshal error %v", c, err, wantErr)
		case err == nil && string(got) != "x"+string(want):
			t.Errorf("%+v:\ngot  %s\nwant x%s", c, got, want)
		}
	}
}
