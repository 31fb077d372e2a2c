package memstore

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/polgraph/polgraph/graph"
)

// The buckets of the bbolt file. Keys are ids, values JSON, except changes
// and audit, keyed by big-endian sequence number so a cursor walks them in
// order.
// Stored on disk: do not rename.
var (
	bucketEntities  = []byte("entities") // every entity, documents' included
	bucketDocuments = []byte("documents")
	bucketRelations = []byte("relations")
	bucketMerges    = []byte("merges") // by dropped id: the MergeRecord
	bucketChanges   = []byte("changes")
	bucketAudit     = []byte("audit") // by big-endian Seq: the AuditRecord
	bucketMeta      = []byte("meta")
	bucketMentions  = []byte("mentions") // by entity, document and span: the text (mentions.go)
	// Opening creates the buckets a file lacks, so a file written before
	// the audit log existed opens with an empty one: no new format.
	allBuckets = [][]byte{bucketEntities, bucketDocuments, bucketRelations, bucketMerges, bucketChanges, bucketAudit, bucketMeta, bucketMentions}
)

// formatVersion is written to the meta bucket; a file of another version is
// refused rather than misread, except format 1 (mentions inside entity
// records), which opening migrates.
const formatVersion = "2"

func openDB(dir string, lockTimeout time.Duration) (*bolt.DB, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, &graph.Error{Code: graph.Unavailable, Message: "cannot create the data directory", Err: err}
	}
	db, err := bolt.Open(filepath.Join(dir, FileName), 0o600, &bolt.Options{Timeout: lockTimeout, FreelistType: bolt.FreelistMapType})
	if err != nil {
		msg := "cannot open the data file"
		if errors.Is(err, bolt.ErrTimeout) {
			msg = "the data file is in use by another process"
		}
		return nil, &graph.Error{Code: graph.Unavailable, Message: msg, Err: err}
	}
	var format []byte
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		if format = meta.Get([]byte("format")); format == nil || string(format) == "1" {
			if format != nil {
				if err := migrateMentions(tx); err != nil {
					return err
				}
			}
			format = []byte(formatVersion)
			return meta.Put([]byte("format"), format)
		}
		format = append([]byte(nil), format...) // bbolt's slice dies with the transaction
		return nil
	})
	switch {
	case err != nil:
		db.Close()
		return nil, &graph.Error{Code: graph.Internal, Message: "cannot prepare the data file", Err: err}
	case string(format) != formatVersion:
		db.Close()
		return nil, graph.Errorf(graph.Internal, "the data file has format %q; this build reads %q", format, formatVersion)
	}
	return db, nil
}

// appendOnly reports whether a bucket's keys are sequence numbers, each
// larger than any before.
func appendOnly(bucket []byte) bool {
	return bytes.Equal(bucket, bucketChanges) || bytes.Equal(bucket, bucketAudit)
}

func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// load reads the whole file into memory and rebuilds the indexes.
func (s *Store) load() error {
	st := newState()
	st.loading = true
	err := s.db.View(func(tx *bolt.Tx) error {
		// Maps made at their final size grow no more: no rehashing, and no
		// table twice the size needed.
		ents := tx.Bucket(bucketEntities)
		n := ents.Stats().KeyN
		st.entities = make(map[string]*graph.Entity, n)
		st.keys = make(map[string][]string, n)
		st.adj = make(map[string][]edge, n)
		st.documents = make(map[string]*graph.Document, tx.Bucket(bucketDocuments).Stats().KeyN)
		if err := ents.ForEach(func(k, v []byte) error {
			e := new(graph.Entity)
			if err := json.Unmarshal(v, e); err != nil {
				return err
			}
			st.putEntity(e)
			return nil
		}); err != nil {
			return err
		}
		if err := tx.Bucket(bucketDocuments).ForEach(func(k, v []byte) error {
			d := new(graph.Document)
			if err := json.Unmarshal(v, d); err != nil {
				return err
			}
			st.documents[d.ID] = d
			return nil
		}); err != nil {
			return err
		}
		if err := loadMentions(tx, st); err != nil {
			return err
		}
		rels := tx.Bucket(bucketRelations)
		st.relations = make(map[string]*graph.Relation, rels.Stats().KeyN)
		dec := newDecoder(st)
		if err := rels.ForEach(func(k, v []byte) error {
			r, err := dec.relation(v)
			if err != nil {
				return err
			}
			st.putRelation(r, true)
			return nil
		}); err != nil {
			return err
		}
		if err := tx.Bucket(bucketMerges).ForEach(func(k, v []byte) error {
			rec := new(graph.MergeRecord)
			if err := json.Unmarshal(v, rec); err != nil {
				return err
			}
			st.putMerge(rec)
			return nil
		}); err != nil {
			return err
		}
		if err := tx.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
			var rec graph.AuditRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return err
			}
			st.audit = append(st.audit, rec)
			st.auditSeq = rec.Seq
			return nil
		}); err != nil {
			return err
		}
		if k, _ := tx.Bucket(bucketChanges).Cursor().Last(); len(k) == 8 {
			st.seq = binary.BigEndian.Uint64(k)
		}
		return nil
	})
	if err != nil {
		return &graph.Error{Code: graph.Internal, Message: "cannot read the data file", Err: err}
	}
	for _, l := range st.adj {
		slices.SortFunc(l, edgeOrder)
	}
	slices.Sort(st.events)
	st.loading = false
	s.st = st
	return nil
}

// write is one put (value set) or delete (value nil) in a bucket.
type write struct {
	bucket []byte
	key    string
	value  []byte
	n      int // its place among the transaction's writes
}

// persist runs the writes in one bbolt transaction, fsynced on commit.
// They go in key order, bucket by bucket: bbolt then finds each leaf
// beside the last one rather than at a random place of the tree, which
// makes a large batch several times faster. Two writes of one key keep
// their order.
func (s *Store) persist(writes []write) error {
	if s.db == nil {
		return nil
	}
	for i := range writes {
		writes[i].n = i
	}
	slices.SortFunc(writes, func(a, b write) int {
		if c := bytes.Compare(a.bucket, b.bucket); c != 0 {
			return c
		}
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return a.n - b.n
	})
	err := s.db.Update(func(tx *bolt.Tx) error {
		var b *bolt.Bucket
		for i, w := range writes {
			if i == 0 || !bytes.Equal(w.bucket, writes[i-1].bucket) {
				b = tx.Bucket(w.bucket)
				if appendOnly(w.bucket) {
					// Keys only grow here: full pages, as a split
					// page is never written into again.
					b.FillPercent = 1
				}
			}
			var err error
			if w.value == nil {
				err = b.Delete([]byte(w.key))
			} else {
				err = b.Put([]byte(w.key), w.value)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return &graph.Error{Code: graph.Unavailable, Message: "the store could not write to its data file", Err: err}
	}
	return nil
}

// readChanges reads up to limit changes after since from the file.
func (s *Store) readChanges(since uint64, limit int) ([]graph.Change, error) {
	out := []graph.Change{}
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketChanges).Cursor()
		for k, v := c.Seek(seqKey(since + 1)); k != nil && len(out) < limit; k, v = c.Next() {
			var ch graph.Change
			if err := json.Unmarshal(v, &ch); err != nil {
				return err
			}
			out = append(out, ch)
		}
		return nil
	})
	if err != nil {
		return nil, &graph.Error{Code: graph.Internal, Message: "cannot read the change feed", Err: err}
	}
	return out, nil
}
