package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/polgraph/polgraph/graph"
)

// Labels of the bookkeeping nodes beside the entities. Stored in the graph:
// do not rename.
const (
	labelEntity   = "Entity"   // every entity and document, beside its kind's label
	labelNameKey  = "NameKey"  // a search key: (:NameKey {key})-[:NAMES]->(:Entity)
	labelChange   = "Change"   // one entry of the change feed
	labelRedirect = "Redirect" // a merged-away id and the entity it now is
	labelAudit    = "Audit"    // one analyst's edit in the audit log
	labelMeta     = "Meta"     // {name: "changes"}: the change and audit counters; {name: "schema"}: the schema version
	labelEvidence = "Evidence" // the evidence of one relation from one document: {relation, document, items}
	labelMentions = "Mentions" // where one document names one entity: {entity, document, spans}
	relNames      = "NAMES"    // NameKey → Entity; not in the relation vocabulary
)

// schemaVersion is stored on (:Meta {name: "schema"}). Raise it together
// with a migration that needs to know what it upgrades from.
// Version 2 added the audit log (:Audit, audit_seq, audit_entity,
// audit_into); a version 1 graph gains them by the same idempotent
// statements, and its merge records, lacking what undoing needs, are
// refused by unmerge.
// Version 3 moved an entity's mentions and a relation's evidence out of
// one JSON property each into a node per document (:Mentions, :Evidence),
// so that a write reads and writes only what its documents add; the
// relation keeps a tally of its evidence's confidences instead
// (migrateLists).
const schemaVersion = 3

// migrations are idempotent statements, run in order by every process on
// its first contact with Neo4j. Constraints give MERGE and lookups their
// indexes; the full-text indexes are for analysts' Cypher and Bloom (Search
// itself uses the name keys, which give exactly memstore's answers).
func migrations() []string {
	var m []string
	unique := func(name, label, prop string) {
		m = append(m, fmt.Sprintf("CREATE CONSTRAINT %s IF NOT EXISTS FOR (n:%s) REQUIRE n.%s IS UNIQUE", name, label, prop))
	}
	unique("entity_id", labelEntity, "id")
	for _, k := range graph.Kinds {
		unique(strings.ToLower(string(k))+"_id", string(k), "id")
	}
	for _, t := range graph.RelTypes {
		m = append(m, fmt.Sprintf("CREATE CONSTRAINT %s_id IF NOT EXISTS FOR ()-[r:%s]-() REQUIRE r.id IS UNIQUE",
			strings.ToLower(string(t)), t))
	}
	unique("namekey_key", labelNameKey, "key")
	unique("change_seq", labelChange, "seq")
	unique("redirect_from", labelRedirect, "from")
	unique("meta_name", labelMeta, "name")
	unique("audit_seq", labelAudit, "seq")
	m = append(m,
		"CREATE CONSTRAINT evidence_relation_document IF NOT EXISTS FOR (n:"+labelEvidence+") REQUIRE (n.relation, n.document) IS UNIQUE",
		"CREATE CONSTRAINT mentions_entity_document IF NOT EXISTS FOR (n:"+labelMentions+") REQUIRE (n.entity, n.document) IS UNIQUE")
	index := func(name, label, prop string) {
		m = append(m, fmt.Sprintf("CREATE INDEX %s IF NOT EXISTS FOR (n:%s) ON (n.%s)", name, label, prop))
	}
	index("redirect_to", labelRedirect, "to")
	index("audit_entity", labelAudit, "entity")
	index("audit_into", labelAudit, "into")
	// All of a relation's evidence, an entity's mentions: a prefix of the
	// composite keys above, which Neo4j does not seek on alone.
	index("evidence_relation", labelEvidence, "relation")
	index("mentions_entity", labelMentions, "entity")
	index("entity_name", labelEntity, "name")
	index("entity_name_ar", labelEntity, "name_ar")
	index("entity_key", labelEntity, "key")
	// The timeline: with (date, id) the index gives Events its order, so a
	// page is read without sorting every event.
	m = append(m, "CREATE INDEX event_date_id IF NOT EXISTS FOR (n:"+string(graph.KindEvent)+") ON (n.date, n.id)")
	fulltext := func(name, analyzer string, props ...string) {
		m = append(m, fmt.Sprintf("CREATE FULLTEXT INDEX %s IF NOT EXISTS FOR (n:%s) ON EACH [n.%s] "+
			"OPTIONS {indexConfig: {`fulltext.analyzer`: '%s'}}", name, labelEntity, strings.Join(props, ", n."), analyzer))
	}
	fulltext("entity_names_ar", "arabic", "name_ar", "aliases")
	fulltext("entity_names_latin", "standard-folding", "name", "aliases")
	return m
}

// migrate runs the migrations, waits for the indexes to come online and
// records the schema version. Schema statements run one per transaction:
// Neo4j does not mix them with data writes.
func (s *Store) migrate(ctx context.Context) error {
	sess := s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: neo4j.AccessModeWrite, BookmarkManager: s.marks})
	defer sess.Close(context.Background())
	run := func(cypher string, params map[string]any) error {
		res, err := sess.Run(ctx, cypher, params, neo4j.WithTxTimeout(s.timeout))
		if err == nil {
			_, err = res.Consume(ctx)
		}
		return err
	}
	for _, stmt := range migrations() {
		if err := run(stmt, nil); err != nil {
			// Two processes creating the same constraint at once: the
			// loser sees an equivalent one and carries on.
			var n4j *neo4j.Neo4jError
			if asNeo4j(err, &n4j) && strings.Contains(n4j.Code, "EquivalentSchemaRuleAlreadyExists") {
				continue
			}
			return s.translate(ctx, fmt.Errorf("schema migration %q: %w", stmt, err))
		}
	}
	if err := run("CALL db.awaitIndexes($seconds)", map[string]any{"seconds": int64(s.timeout.Seconds())}); err != nil {
		return s.translate(ctx, err)
	}
	version, err := storedVersion(ctx, sess, s.timeout)
	if err != nil {
		return s.translate(ctx, err)
	}
	if version < 3 { // also a graph with none yet: empty, or older than versions
		if err := s.migrateLists(ctx, sess); err != nil {
			return s.translate(ctx, fmt.Errorf("schema migration to version 3: %w", err))
		}
	}
	for _, stmt := range []string{
		"MERGE (m:" + labelMeta + " {name: 'schema'}) SET m.version = $v",
		"MERGE (m:" + labelMeta + " {name: 'changes'}) ON CREATE SET m.seq = 0, m.evidence = 0",
	} {
		if err := run(stmt, map[string]any{"v": int64(schemaVersion)}); err != nil {
			return s.translate(ctx, err)
		}
	}
	s.log.Info("neo4j: schema ready", "database", s.db, "version", schemaVersion)
	return nil
}

// storedVersion is the schema version the graph records, 0 if none.
func storedVersion(ctx context.Context, sess neo4j.SessionWithContext, timeout time.Duration) (int64, error) {
	res, err := sess.Run(ctx, "OPTIONAL MATCH (m:"+labelMeta+" {name: 'schema'}) RETURN coalesce(m.version, 0)", nil, neo4j.WithTxTimeout(timeout))
	if err != nil {
		return 0, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return 0, err
	}
	v, _ := rec.Values[0].(int64)
	return v, nil
}

// relTypes returns a Cypher relationship type alternation ("A|B|C") of
// types, which must come from the vocabulary: they are written into the
// statement, not passed as parameters (Cypher takes no parameter there).
func relTypes(types []graph.RelType) string {
	var parts []string
	for _, t := range types {
		if !t.Valid() {
			panic("neo4jstore: relation type outside the vocabulary: " + string(t))
		}
		if !slices.Contains(parts, string(t)) {
			parts = append(parts, string(t))
		}
	}
	return strings.Join(parts, "|")
}

// allTypes is the alternation of the whole vocabulary: every relation
// polgraph stores, and not the NAMES links of the search index.
var allTypes = relTypes(graph.RelTypes)

// kindLabel returns an entity kind as a label, checked against graph.Kinds.
func kindLabel(k graph.Kind) string {
	if !k.Valid() {
		panic("neo4jstore: entity kind outside the vocabulary: " + string(k))
	}
	return string(k)
}
