package neo4jstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/polgraph/polgraph/graph"
	neo4jstore "github.com/polgraph/polgraph/graph/neo4j"
	"github.com/polgraph/polgraph/graph/storetest"
	"github.com/polgraph/polgraph/internal/neo4jtest"
)

// These tests need a Neo4j 5.21+ whose database they may wipe: set NEO4J_URI
// (and NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE if needed), e.g. from
// scripts/neo4j.sh start. Without NEO4J_URI they skip, unless CI is set:
// there a missing Neo4j is a failure, not a pass. They run one after
// another, as Community has one database.

var bg = context.Background()

// testConfig, rawSession, wipe and open are internal/neo4jtest's, which
// every package's Neo4j tests share so that they take turns on the one
// database.
func testConfig(t testing.TB) neo4jstore.Config { return neo4jtest.Config(t) }

func rawSession(t testing.TB, cfg neo4jstore.Config) neo4j.SessionWithContext {
	return neo4jtest.Session(t, cfg)
}

func wipe(t testing.TB, cfg neo4jstore.Config) {
	neo4jtest.Lock(t, cfg)
	neo4jtest.Wipe(t, cfg)
}

func open(t testing.TB, cfg neo4jstore.Config) *neo4jstore.Store { return neo4jtest.Open(t, cfg) }

func TestConformance(t *testing.T) {
	cfg := testConfig(t)
	storetest.Run(t, func(t *testing.T) graph.Store { return open(t, cfg) })
}

// TestCypherInterop writes through the Store and reads back with plain
// Cypher, as SCHEMA.md documents it for analysts.
func TestCypherInterop(t *testing.T) {
	cfg := testConfig(t)
	s := open(t, cfg)
	if _, err := s.Apply(bg, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	sess := rawSession(t, cfg)
	query := func(cypher string, params map[string]any) []*neo4j.Record {
		t.Helper()
		res, err := sess.Run(bg, cypher, params)
		if err != nil {
			t.Fatalf("%s: %v", cypher, err)
		}
		recs, err := res.Collect(bg)
		if err != nil {
			t.Fatalf("%s: %v", cypher, err)
		}
		return recs
	}

	recs := query(`MATCH (p:Person {name: 'Khaled Haftar'})-[r:PARTICIPATED_IN]->(e:Event)
		RETURN e.name, r.role, r.evidence_count, e.date ORDER BY e.date`, nil)
	if len(recs) != 2 {
		t.Fatalf("Khaled Haftar took part in %d events, want 2", len(recs))
	}
	if got := recs[1].Values; got[0] != "Sirte agreement on a joint force" || got[1] != "party" || got[2] != int64(2) || got[3] != "2025-10-20" {
		t.Errorf("second event = %v, want the Sirte agreement, party, 2 pieces of evidence, 2025-10-20", got)
	}

	// The documents a relation's evidence comes from, and their outlets.
	recs = query(`MATCH (:Person {name: 'Khaled Haftar'})-[r:PARTICIPATED_IN]->(:Event {name: 'Sirte agreement on a joint force'})
		MATCH (ev:Evidence {relation: r.id})
		MATCH (d:Document {id: ev.document}) RETURN d.outlet, d.language ORDER BY d.language`, nil)
	if len(recs) != 2 || recs[0].Values[1] != "ar" || recs[1].Values[0] != "Example Wire" {
		t.Errorf("evidence documents = %v", values(recs))
	}

	// Arabic names through the full-text index with the arabic analyzer.
	recs = query(`CALL db.index.fulltext.queryNodes('entity_names_ar', 'حفتر') YIELD node RETURN node.name ORDER BY node.name`, nil)
	if len(recs) != 2 || recs[0].Values[0] != "Khaled Haftar" || recs[1].Values[0] != "Khalifa Haftar" {
		t.Errorf("full-text حفتر = %v, want the two Haftars", values(recs))
	}
	recs = query(`CALL db.index.fulltext.queryNodes('entity_names_latin', 'misurata') YIELD node RETURN node.id`, nil)
	if len(recs) != 1 || recs[0].Values[0] != storetest.Misrata {
		t.Errorf("full-text misurata = %v, want Misrata", values(recs))
	}

	// Places within Libya, two hops, with their coordinates.
	recs = query(`MATCH (e:Event)-[:OCCURRED_IN]->(p:Place)-[:LOCATED_IN*0..2]->(:Place {name: 'Libya'})
		RETURN e.name, p.name, p.lat ORDER BY e.name`, nil)
	if len(recs) != 2 || recs[0].Values[1] != "Sirte" || recs[1].Values[1] != "Tripoli" {
		t.Errorf("events in Libya = %v, want the Sirte meeting and the Tripoli clashes", values(recs))
	}

	// Evidence as JSON, a node per document; mentions likewise; the
	// search keys, the change feed, the counter.
	recs = query(`MATCH ()-[r:FAMILY_OF]->() MATCH (ev:Evidence {relation: r.id})
		RETURN ev.items, r.confidence, r.span_start, r.span_end, r.confidence_values, r.confidence_counts, r.evidence`, nil)
	if len(recs) != 1 || recs[0].Values[1] != 0.95 || recs[0].Values[2] != "2025-10-20" ||
		!strings.Contains(recs[0].Values[0].(string), `"rule":`) || recs[0].Values[6] != nil {
		t.Errorf("FAMILY_OF = %v, want one evidence node and no evidence property", values(recs))
	}
	if got := fmt.Sprint(recs[0].Values[4], recs[0].Values[5]); got != "[0.95] [1]" {
		t.Errorf("FAMILY_OF's confidence tally = %s, want [0.95] [1]", got)
	}
	recs = query(`MATCH (p:Person {id: $id}) MATCH (m:Mentions {entity: p.id}) RETURN m.document, m.spans, p.mentions`,
		map[string]any{"id": storetest.KhaledHaftar})
	if len(recs) != 2 || recs[0].Values[2] != nil || !strings.Contains(recs[0].Values[1].(string), `"start":`) {
		t.Errorf("Khaled Haftar's mentions = %v, want a node for each of the two documents and no mentions property", values(recs))
	}
	recs = query(`MATCH (:NameKey {key: '~hftr'})-[:NAMES]->(n:Person) RETURN count(n)`, nil)
	if len(recs) != 1 || recs[0].Values[0] != int64(2) {
		t.Errorf("persons under key ~hftr = %v, want the two Haftars", values(recs))
	}
	recs = query(`MATCH (c:Change) RETURN count(c), max(c.seq)`, nil)
	st, err := s.Stats(bg)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Values[1] != int64(st.Changes) {
		t.Errorf("change nodes = %v, want the last seq %d", values(recs), st.Changes)
	}

	// A merge leaves a redirect with its record.
	dup := storetest.DuplicateBatch()
	if _, err := s.Apply(bg, dup); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Merge(bg, storetest.KhaledHaftar, storetest.Duplicate); err != nil {
		t.Fatal(err)
	}
	recs = query(`MATCH (r:Redirect {from: $drop}) RETURN r.to, r.record`, map[string]any{"drop": storetest.Duplicate})
	if len(recs) != 1 || recs[0].Values[0] != storetest.KhaledHaftar || recs[0].Values[1] == "" {
		t.Errorf("redirect = %v", values(recs))
	}

	// What the analysts' Cypher writes is seen by the store.
	query(`MATCH (p:Person {id: $id}) SET p.summary = 'edited in Cypher'`, map[string]any{"id": storetest.KhalifaHaftar})
	if e, err := s.Entity(bg, storetest.KhalifaHaftar); err != nil || e.Summary != "edited in Cypher" {
		t.Errorf("Entity after a Cypher edit = %+v, %v", e, err)
	}
}

// TestUnavailable: with no Neo4j at the address, Open still succeeds (a
// server can start and report not ready) and every call fails with
// graph.Unavailable, quickly.
func TestUnavailable(t *testing.T) {
	s, err := neo4jstore.Open(bg, neo4jstore.Config{URI: "bolt://127.0.0.1:1", QueryTimeout: 2 * time.Second})
	if err != nil {
		t.Fatalf("Open with Neo4j down: %v", err)
	}
	defer s.Close()
	start := time.Now()
	if err := s.Ready(bg); !graph.Is(err, graph.Unavailable) {
		t.Errorf("Ready = %v, want unavailable", err)
	}
	_, err = s.Apply(bg, storetest.Fixture())
	if !graph.Is(err, graph.Unavailable) {
		t.Fatalf("Apply = %v, want unavailable", err)
	}
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.Err == nil {
		t.Errorf("Apply error %v does not wrap its cause", err)
	}
	if _, err := s.Entity(bg, storetest.KhaledHaftar); !graph.Is(err, graph.Unavailable) {
		t.Errorf("Entity = %v, want unavailable", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("failing took %v; an unreachable Neo4j should fail fast", d)
	}
	if _, err := neo4jstore.Open(bg, neo4jstore.Config{URI: "http://127.0.0.1:7474"}); !graph.Is(err, graph.Invalid) {
		t.Errorf("Open(http URI) = %v, want invalid", err)
	}
}

// TestSecretsStayOutOfErrorsAndLogs: a password, given as such or in the
// URI, appears in no error and no log line, whether the URI is refused,
// Neo4j is unreachable, or calls fail.
func TestSecretsStayOutOfErrorsAndLogs(t *testing.T) {
	const secret = "pw-Zq8v-never-shown"
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var errs []error
	for _, uri := range []string{"bolt://neo4j:" + secret + "@", "bolt://neo4j:" + secret + "@:1", "bolt://neo4j:" + secret + "@127.0.0.1:1",
		"http://neo4j:" + secret + "@127.0.0.1:7474", "neo4j:" + secret + "@127.0.0.1", "bolt://neo4j:" + secret + "@[::1"} {
		s, err := neo4jstore.Open(bg, neo4jstore.Config{URI: uri, User: "neo4j", Password: secret, QueryTimeout: time.Second, Logger: log})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		errs = append(errs, s.Ready(bg))
		_, err = s.Entity(bg, storetest.KhaledHaftar)
		errs = append(errs, err)
		_, err = s.Apply(bg, storetest.Fixture())
		errs = append(errs, err)
		s.Close()
	}
	for _, err := range errs {
		if err == nil {
			t.Error("a call succeeded against no Neo4j")
		} else if strings.Contains(fmt.Sprintf("%v %+v %#v", err, err, err), secret) {
			t.Errorf("the password is in the error %v", err)
		}
	}
	if logs.Len() == 0 {
		t.Error("nothing was logged: the test does not see what the store logs")
	}
	if strings.Contains(logs.String(), secret) {
		t.Errorf("the password is in the log:\n%s", logs.String())
	}
}

func TestReady(t *testing.T) {
	cfg := testConfig(t)
	s := open(t, cfg)
	if err := s.Ready(bg); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	s.Close()
	if err := s.Ready(bg); !graph.Is(err, graph.Unavailable) {
		t.Errorf("Ready after Close = %v, want unavailable", err)
	}
}

func values(recs []*neo4j.Record) [][]any {
	out := make([][]any, len(recs))
	for i, r := range recs {
		out[i] = r.Values
	}
	return out
}

// TestConcurrentApply: writers that touch the same relation at once lose
// nothing, and the change feed numbers their changes without gaps.
func TestConcurrentApply(t *testing.T) {
	cfg := testConfig(t)
	s := open(t, cfg)
	if _, err := s.Apply(bg, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	const writers = 8
	id := graph.RelationID(graph.ParticipatedIn, storetest.KhaledHaftar, storetest.SirteMeeting, "party")
	errs := make(chan error, writers)
	for i := range writers {
		go func() {
			r := graph.Relation{ID: id, Type: graph.ParticipatedIn, From: storetest.KhaledHaftar, To: storetest.SirteMeeting,
				Role: "party", Date: "2025-10-19"}
			start := 1000 + i
			r.Evidence = []graph.Evidence{{ID: graph.EvidenceID(id, storetest.DocAgreement, start, start+1),
				Document: storetest.DocAgreement, Start: start, End: start + 1, Rule: "test", Confidence: 0.1}}
			_, err := s.Apply(bg, &graph.Batch{Relations: []graph.Relation{r}})
			errs <- err
		}()
	}
	for range writers {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent Apply: %v", err)
		}
	}
	r, err := s.Relation(bg, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.EvidenceCount != 1+writers {
		t.Errorf("evidence_count = %d, want %d: a concurrent write was lost", r.EvidenceCount, 1+writers)
	}
	st, err := s.Stats(bg)
	if err != nil {
		t.Fatal(err)
	}
	if want := storetest.Fixture(); st.Evidence != 24+writers || st.Changes != uint64(len(want.Documents)+len(want.Entities)+len(want.Relations)+writers) {
		t.Errorf("Stats = %+v, want %d evidence and one change per write", st, 24+writers)
	}
	var seq uint64
	for since := uint64(0); ; {
		page, err := s.Changes(bg, since, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) == 0 {
			break
		}
		for _, c := range page.Items {
			if c.Seq != seq+1 {
				t.Fatalf("change %d follows %d", c.Seq, seq)
			}
			seq = c.Seq
		}
		since = page.Next
	}
	if seq != st.Changes {
		t.Errorf("last change %d, Stats.Changes %d", seq, st.Changes)
	}
}

// TestSchemaExamples runs every Cypher example of SCHEMA.md on the fixture
// (with a merge done by an analyst's edit, so the audit log has a record):
// each must run and find something, so the document stays true.
func TestSchemaExamples(t *testing.T) {
	cfg := testConfig(t)
	doc, err := os.ReadFile("SCHEMA.md")
	if err != nil {
		t.Fatal(err)
	}
	var queries []string
	for _, block := range strings.Split(string(doc), "```cypher\n")[1:] {
		queries = append(queries, block[:strings.Index(block, "```")])
	}
	if len(queries) < 10 {
		t.Fatalf("SCHEMA.md has %d example queries; the test expects them in ```cypher blocks", len(queries))
	}
	s := open(t, cfg)
	if _, err := s.Apply(bg, storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(bg, storetest.DuplicateBatch()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Edit(bg, graph.Edit{Op: graph.EditMerge, ID: storetest.Duplicate, Into: storetest.KhaledHaftar}); err != nil {
		t.Fatal(err)
	}
	sess := rawSession(t, cfg)
	for _, q := range queries {
		res, err := sess.Run(bg, q, nil)
		if err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		recs, err := res.Collect(bg)
		if err != nil {
			t.Errorf("%s: %v", q, err)
		} else if len(recs) == 0 {
			t.Errorf("%s: no rows on the fixture", q)
		}
	}
}
