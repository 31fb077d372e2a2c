package memstore

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/storetest"
)

// fileMentions reads the mentions bucket: key → text. It fails the test if
// an entity record still holds mentions.
func fileMentions(t *testing.T, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := s.db.View(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketEntities).ForEach(func(k, v []byte) error {
			if bytes.Contains(v, []byte(`"mentions"`)) {
				t.Errorf("entity record %s holds its mentions", k)
			}
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket(bucketMentions).ForEach(func(k, v []byte) error {
			out[string(k)] = string(v)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// memoryMentions is what the mentions bucket should hold for the store's
// memory.
func memoryMentions(s *Store) map[string]string {
	out := map[string]string{}
	for id, e := range s.st.entities {
		for _, m := range e.Mentions {
			out[mentionKey(id, m)] = m.Text
		}
	}
	return out
}

func sameMentions(t *testing.T, s *Store, after string) {
	t.Helper()
	got, want := fileMentions(t, s), memoryMentions(s)
	if !maps.Equal(got, want) {
		t.Fatalf("after %s the file holds %d mentions, memory %d", after, len(got), len(want))
	}
}

// TestMentionsStoredApart follows mentions through the writes that add and
// remove them (apply, merge, unmerge, delete): the file holds exactly the
// mentions memory holds, outside the entity records, and reopening gives
// the same memory.
func TestMentionsStoredApart(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	mustApply(t, s, storetest.Fixture())
	doc := storetest.DocAgreement
	a := graph.Entity{ID: graph.EntityID(graph.KindPerson, "test mention a"), Kind: graph.KindPerson, Name: "Test Mention A",
		Mentions: []graph.Mention{{Document: doc, Start: 10, End: 14, Text: "A1"}, {Document: doc, Start: 2, End: 4, Text: "A0"}}}
	b := graph.Entity{ID: graph.EntityID(graph.KindPerson, "test mention b"), Kind: graph.KindPerson, Name: "Test Mention B",
		Mentions: []graph.Mention{{Document: doc, Start: 20, End: 24, Text: "B0"}, {Document: doc, Start: 2, End: 4, Text: "A0"}}}
	mustApply(t, s, &graph.Batch{Entities: []graph.Entity{a, b}})
	sameMentions(t, s, "apply")
	if n := len(memoryMentions(s)); n < 6 {
		t.Fatalf("only %d mentions in memory: the fixture no longer tests this", n)
	}
	// A second report names A again: one mention more.
	a.Mentions = []graph.Mention{{Document: doc, Start: 30, End: 34, Text: "A2"}}
	mustApply(t, s, &graph.Batch{Entities: []graph.Entity{a}})
	sameMentions(t, s, "a second apply")
	if got, _ := s.Entity(bg, a.ID); len(got.Mentions) != 3 {
		t.Fatalf("A has %d mentions, want 3", len(got.Mentions))
	}

	for _, e := range []graph.Edit{
		{Op: graph.EditMerge, ID: b.ID, Into: a.ID, Actor: "t"},
		{Op: graph.EditUnmerge, ID: b.ID, Actor: "t"},
		{Op: graph.EditDelete, ID: b.ID, Actor: "t"},
		{Op: graph.EditMerge, ID: storetest.KhaledHaftar, Into: a.ID, Actor: "t"},
	} {
		before := memoryMentions(s)
		if _, err := s.Edit(bg, e); err != nil {
			t.Fatalf("%s: %v", e.Op, err)
		}
		sameMentions(t, s, string(e.Op))
		if maps.Equal(memoryMentions(s), before) {
			t.Errorf("%s of %s changed no mention: the test no longer tests it", e.Op, e.ID)
		}
	}

	before := s.st
	s.Close()
	s2 := mustOpen(t, dir)
	if !reflect.DeepEqual(s2.st.entities, before.entities) {
		t.Fatal("entities differ after reopening")
	}
}

// TestOpenMigratesFormat1: a file of format 1, where entity records hold
// their mentions, opens as format 2 with the same memory, its mentions
// moved to their bucket.
func TestOpenMigratesFormat1(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	mustApply(t, s, storetest.Fixture())
	want := s.st.entities
	// Write the file back as format 1 wrote it.
	err := s.db.Update(func(tx *bolt.Tx) error {
		ents := tx.Bucket(bucketEntities)
		for id, e := range want {
			v, err := json.Marshal(e)
			if err != nil {
				return err
			}
			if err := ents.Put([]byte(id), v); err != nil {
				return err
			}
		}
		if err := tx.DeleteBucket(bucketMentions); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put([]byte("format"), []byte("1"))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	s2 := mustOpen(t, dir)
	if !reflect.DeepEqual(s2.st.entities, want) {
		t.Fatal("entities differ after migrating")
	}
	sameMentions(t, s2, "migrating")
	if len(memoryMentions(s2)) == 0 {
		t.Fatal("the fixture has no mentions to migrate")
	}
	var format string
	s2.db.View(func(tx *bolt.Tx) error { format = string(tx.Bucket(bucketMeta).Get([]byte("format"))); return nil })
	if format != formatVersion {
		t.Errorf("format after migrating = %q, want %q", format, formatVersion)
	}
}

// TestMentionWrites: only the spans that change are written, a new text
// for a span is a put, and spans gone are deletes.
func TestMentionWrites(t *testing.T) {
	m := func(doc string, start int, text string) graph.Mention {
		return graph.Mention{Document: doc, Start: start, End: start + 2, Text: text}
	}
	before := []graph.Mention{m("d1", 5, "x"), m("d1", 300, "y"), m("d2", 0, "z")}
	after := []graph.Mention{m("d2", 0, "z2"), m("d1", 5, "x"), m("d3", 1, "w")}
	got := map[string]string{}
	for _, w := range mentionWrites("e", before, after) {
		v := "<delete>"
		if w.value != nil {
			v = string(w.value)
		}
		got[w.key] = v
	}
	want := map[string]string{mentionKey("e", m("d1", 300, "")): "<delete>", mentionKey("e", m("d2", 0, "")): "z2",
		mentionKey("e", m("d3", 1, "")): "w"}
	if !maps.Equal(got, want) {
		t.Errorf("writes = %q, want %q", got, want)
	}
	// Keys sort as graph.Entity orders mentions: 5 before 300 although
	// "300" < "5" as text.
	if k5, k300 := mentionKey("e", m("d1", 5, "")), mentionKey("e", m("d1", 300, "")); k5 >= k300 {
		t.Error("mention keys do not sort by start")
	}
	id, doc, start, end, ok := parseMentionKey([]byte(mentionKey("e", m("d1", 300, ""))))
	if !ok || id != "e" || string(doc) != "d1" || start != 300 || end != 302 {
		t.Errorf("parseMentionKey = %q %q %d %d %v", id, doc, start, end, ok)
	}
}
