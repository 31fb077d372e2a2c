package memstore

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/polgraph/polgraph/graph"
)

// An entity's mentions are kept in a bucket of their own, one key per
// mention, not in the entity's record. A much-reported actor gains a
// mention with almost every report, and with the mentions inside the
// record each batch naming the actor rewrote a record of megabytes: a
// 1M-relation fill wrote tens of gigabytes for a file of one. Now a batch
// writes only the mentions it adds.
//
// The key is entity id, 0, document id, 0, start and end as big-endian
// uint32, so an entity's mentions are one key range, in the order
// graph.Entity keeps them (document, start, end); the value is the text.

func mentionPrefix(entity string) []byte {
	return append([]byte(entity), 0)
}

func mentionKey(entity string, m graph.Mention) string {
	k := make([]byte, 0, len(entity)+len(m.Document)+10)
	k = append(k, entity...)
	k = append(k, 0)
	k = append(k, m.Document...)
	k = append(k, 0)
	k = binary.BigEndian.AppendUint32(k, uint32(m.Start))
	k = binary.BigEndian.AppendUint32(k, uint32(m.End))
	return string(k)
}

// parseMentionKey splits a key of the mentions bucket; ok is false for a
// key this build did not write.
func parseMentionKey(k []byte) (entity string, doc []byte, start, end int, ok bool) {
	i := bytes.IndexByte(k, 0)
	if i < 0 {
		return "", nil, 0, 0, false
	}
	rest := k[i+1:]
	j := bytes.IndexByte(rest, 0)
	if j < 0 || len(rest) != j+9 {
		return "", nil, 0, 0, false
	}
	return string(k[:i]), rest[:j], int(binary.BigEndian.Uint32(rest[j+1:])), int(binary.BigEndian.Uint32(rest[j+5:])), true
}

// mentionWrites are the writes that take an entity's stored mentions from
// before to after: deletes of the spans gone, puts of the spans new or
// with a new text.
func mentionWrites(entity string, before, after []graph.Mention) []write {
	before, after = sortedMentions(before), sortedMentions(after)
	var out []write
	i, j := 0, 0
	for i < len(before) || j < len(after) {
		c := 0
		switch {
		case i == len(before):
			c = 1
		case j == len(after):
			c = -1
		default:
			c = compareSpans(before[i], after[j])
		}
		switch {
		case c < 0:
			out = append(out, write{bucket: bucketMentions, key: mentionKey(entity, before[i])})
			i++
		case c > 0:
			out = append(out, write{bucket: bucketMentions, key: mentionKey(entity, after[j]), value: mentionValue(after[j])})
			j++
		default:
			if before[i].Text != after[j].Text {
				out = append(out, write{bucket: bucketMentions, key: mentionKey(entity, after[j]), value: mentionValue(after[j])})
			}
			i++
			j++
		}
	}
	return out
}

// mentionValue is a mention's text; never nil, as a nil value is a delete.
func mentionValue(m graph.Mention) []byte {
	return append([]byte{}, m.Text...)
}

func sortedMentions(l []graph.Mention) []graph.Mention {
	if slices.IsSortedFunc(l, compareSpans) {
		return l
	}
	l = slices.Clone(l)
	slices.SortFunc(l, compareSpans)
	return l
}

// compareSpans orders mentions as their keys sort: by document, start and
// end, the order graph.Entity keeps them in too.
func compareSpans(x, y graph.Mention) int {
	return cmp.Or(strings.Compare(x.Document, y.Document),
		cmp.Compare(uint32(x.Start), uint32(y.Start)), cmp.Compare(uint32(x.End), uint32(y.End)))
}

// entityRecord is what the entities bucket holds for an entity: the entity
// without its mentions.
func entityRecord(e *graph.Entity) ([]byte, error) {
	rec := *e
	rec.Mentions = nil
	return json.Marshal(rec)
}

// loadMentions gives the loaded entities their mentions, in key order,
// which is the order graph.Entity keeps. Document ids become the loaded
// documents' strings, so each is held once.
func loadMentions(tx *bolt.Tx, st *state) error {
	var e *graph.Entity
	docs := map[string]string{}
	return tx.Bucket(bucketMentions).ForEach(func(k, v []byte) error {
		id, doc, start, end, ok := parseMentionKey(k)
		if !ok {
			return graph.Errorf(graph.Internal, "mention key %q is malformed", k)
		}
		if e == nil || e.ID != id {
			if e = st.entities[id]; e == nil {
				return graph.Errorf(graph.Internal, "mention of entity %s, which the file does not hold", id)
			}
		}
		d, seen := docs[string(doc)]
		if !seen {
			d = string(doc)
			if stored := st.documents[d]; stored != nil {
				d = stored.ID
			}
			docs[d] = d
		}
		e.Mentions = append(e.Mentions, graph.Mention{Document: d, Start: start, End: end, Text: string(v)})
		return nil
	})
}

// migrateMentions moves the mentions of a format 1 file out of the entity
// records into the mentions bucket, in the transaction that marks the file
// format 2.
func migrateMentions(tx *bolt.Tx) error {
	ents, mentions := tx.Bucket(bucketEntities), tx.Bucket(bucketMentions)
	type rewrite struct {
		key, value []byte
	}
	var rewrites []rewrite
	err := ents.ForEach(func(k, v []byte) error {
		if !bytes.Contains(v, []byte(`"mentions"`)) {
			return nil
		}
		var e graph.Entity
		if err := json.Unmarshal(v, &e); err != nil {
			return err
		}
		if len(e.Mentions) == 0 {
			return nil
		}
		for _, m := range e.Mentions {
			if err := mentions.Put([]byte(mentionKey(e.ID, m)), mentionValue(m)); err != nil {
				return err
			}
		}
		rec, err := entityRecord(&e)
		if err != nil {
			return err
		}
		rewrites = append(rewrites, rewrite{append([]byte(nil), k...), rec})
		return nil
	})
	if err != nil {
		return err
	}
	// bbolt forbids writing a bucket while ForEach walks it.
	for _, r := range rewrites {
		if err := ents.Put(r.key, r.value); err != nil {
			return err
		}
	}
	return nil
}
