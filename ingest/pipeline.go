// Package ingest turns news reports into graph batches: documents, the
// actors, places and events they name, and the relations between them, each
// with the evidence it was read from.
//
// The pipeline is a chain of small, pure stages:
//
//	read       ReadFile / ReadArticles: .txt, .json, .ndjson → []Article
//	normalise  cleanArticle: language, dates; names keys via graph/names
//	segment    ingest/segment: sentences and tokens with rune offsets
//	recognise  recognise.go: gazetteer names (ingest/gazetteer) and patterns
//	           (titles before names, "مدينة X", "إدارة X", groups of leaders)
//	resolve    resolve.go: entities, in-document coreference (surnames,
//	           groups, "هذا الاتفاق", "القوة المشتركة")
//	extract    extract.go: positions, events and their participants, topics,
//	           statements and what they are about
//	batch      batch.go: ids, evidence, MENTIONS/REPORTS, gazetteer facts
//
// Extraction reads no store: the same article always gives the same batch.
// Cross-document resolution (merging events reported by several outlets
// beyond what shared ids already merge) reads the store and lives apart.
//
// What does not belong here: storage, HTTP, ACLED/GDELT readers (they get
// their own sub-packages).
package ingest

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"sort"
	"sync"
	"time"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest/gazetteer"
	"github.com/polgraph/polgraph/ingest/segment"
)

// Options configures a Pipeline.
type Options struct {
	// Gazetteers are extra YAML files read after the built-in gazetteer;
	// an entry with a built-in id replaces it.
	Gazetteers []string
	// Now is the clock; nil means time.Now. Publication dates more than a
	// day after Now are treated as unknown for dating events.
	Now func() time.Time
}

// Pipeline extracts batches from articles. It is immutable after New and
// safe for concurrent use.
type Pipeline struct {
	gaz *gazetteer.Gazetteer
	now func() time.Time
	// facts are the relations of the gazetteer's statements, computed once
	// per gazetteer: every batch naming a place cites the places above it.
	facts map[statementKey]graph.Relation
	// lex classifies words as the rules' lexicon does, by whether they
	// can start a gazetteer name (nameStart, looseStart) and whether they
	// are a known person's last name: extraction asks at almost every
	// word, and most are neither.
	lex                              *segment.Lexicon
	nameStart, looseStart, lastNames *segment.Class
	// scratch holds extractions' memory: their splitters remember words
	// classified by lex.
	scratch sync.Pool
	// heads are the head noun classes of each entry's names (headsOf).
	heads map[*gazetteer.Entry][]string
}

// statementKey identifies a gazetteer statement: its line says it once.
type statementKey struct {
	from, to *gazetteer.Entry
	typ      graph.RelType
	role     string
	line     int
}

func keyOf(st gazetteer.Statement) statementKey {
	return statementKey{st.From, st.To, st.Type, st.Role, st.Line}
}

func newPipeline(g *gazetteer.Gazetteer, now func() time.Time) *Pipeline {
	p := &Pipeline{gaz: g, now: now, facts: map[statementKey]graph.Relation{}, lex: lexicon.Extend()}
	p.nameStart = p.lex.Class(g.Matcher().FirstKeys()...)
	p.looseStart = p.lex.ClassFunc(g.Matcher().StartsLoose)
	p.lastNames = p.lex.Class(g.Matcher().LastNames()...)
	p.heads = make(map[*gazetteer.Entry][]string, len(g.Entries()))
	for _, e := range g.Entries() {
		p.heads[e] = headClasses(g.NameKeys(e))
	}
	p.scratch.New = func() any {
		return &scratch{split: segment.Splitter{Lexicon: p.lex, Words: 1 << 13}}
	}
	for _, st := range g.Statements() {
		p.facts[keyOf(st)] = gazetteerRelation(g.Document(), st)
	}
	return p
}

// fact is gazetteerRelation(p.gaz.Document(), st), the caller's to change.
func (p *Pipeline) fact(st gazetteer.Statement) graph.Relation {
	r, ok := p.facts[keyOf(st)]
	if !ok {
		return gazetteerRelation(p.gaz.Document(), st)
	}
	r.Evidence = append([]graph.Evidence(nil), r.Evidence...)
	return r
}

// New loads the gazetteers and returns a pipeline. Errors: Invalid when a
// gazetteer file cannot be read or is malformed.
func New(opts Options) (*Pipeline, error) {
	g, err := gazetteer.Load(opts.Gazetteers...)
	if err != nil {
		return nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return newPipeline(g, now), nil
}

// Gazetteer returns the knowledge base the pipeline matches against.
func (p *Pipeline) Gazetteer() *gazetteer.Gazetteer { return p.gaz }

// WithEntries returns a pipeline like p whose gazetteer also has entries
// (added, or replacing those with their ids); p is unchanged, so requests
// that hold it finish with it. Errors: Invalid when the entries break a
// gazetteer rule (the error's Param names the field, "entries[2].name").
func (p *Pipeline) WithEntries(entries []*gazetteer.Entry) (*Pipeline, error) {
	g, err := p.gaz.With(entries)
	if err != nil {
		return nil, err
	}
	return newPipeline(g, p.now), nil
}

// Extract turns one article into a batch (documents, entities, relations)
// that passes graph.Batch.Validate(nil). Deterministic; no store access.
// Errors: Invalid (empty or non-UTF-8 text, bad date), TooLarge (text over
// 10 MiB), Unavailable when ctx ends first.
func (p *Pipeline) Extract(ctx context.Context, a Article) (*graph.Batch, error) {
	if err := cleanArticle(&a, "article"); err != nil {
		return nil, err
	}
	x := p.newExtraction(a)
	defer x.release()
	for i := range x.sents {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, &graph.Error{Code: graph.Unavailable, Message: "extraction was cancelled", Err: err}
			}
		}
		s := &x.sents[i]
		ms := x.recognise(s)
		ms = x.resolve(s, ms)
		x.extract(s, ms)
	}
	x.datelines()
	x.sessionHosts()
	x.talksBehind()
	return x.batch(), nil
}

// document builds the source document of an article.
func document(a Article) graph.Document {
	sum := sha256Of(a.Text)
	sha := hex.EncodeToString(sum[:])
	var id string
	if a.URL != "" {
		id = graph.DocumentID(canonicalURL(a.URL))
	} else {
		id = graph.DocumentID(sha)
	}
	return graph.Document{ID: id, URL: a.URL, Outlet: a.Outlet, Title: a.Title, Language: a.Language,
		Published: a.Published, SHA256: sha, Source: "article", Text: a.Text}
}

// sha256Of is sha256.Sum256([]byte(s)) without a copy of s on the heap.
func sha256Of(s string) (sum [sha256.Size]byte) {
	h := sha256.New()
	var buf [1024]byte
	for len(s) > 0 {
		n := copy(buf[:], s)
		h.Write(buf[:n])
		s = s[n:]
	}
	h.Sum(sum[:0])
	return sum
}

// eventDate is the date events of the article take: its publication date,
// unless that lies in the future of the clock.
func (p *Pipeline) eventDate(published string) (date, precision string) {
	if published == "" {
		return "", ""
	}
	if len(published) == 10 {
		if t, err := time.Parse("2006-01-02", published); err == nil && t.After(p.now().Add(24*time.Hour)) {
			return "", ""
		}
	}
	switch len(published) {
	case 10:
		return published, "day"
	case 7:
		return published, "month"
	default:
		return published, "year"
	}
}

// GazetteerBatch returns every gazetteer entry as an entity and every
// gazetteer statement as a relation with its evidence in the gazetteer
// document, for loading the knowledge base into an empty store.
func (p *Pipeline) GazetteerBatch() *graph.Batch {
	doc := p.gaz.Document()
	b := &graph.Batch{Documents: []graph.Document{doc}, Entities: []graph.Entity{}, Relations: []graph.Relation{}}
	for _, e := range p.gaz.Entries() {
		b.Entities = append(b.Entities, e.Entity())
	}
	for _, st := range p.gaz.Statements() {
		b.Relations = append(b.Relations, gazetteerRelation(doc, st))
	}
	sortBatch(b)
	return b
}

// GazetteerBatchOf is GazetteerBatch for some entries only (by gazetteer
// id): their entities, the statements about them as relations, and the
// entities those point at, so that the batch stands alone. Unknown ids are
// skipped. The gazetteer document is in the batch when a relation cites it.
func (p *Pipeline) GazetteerBatchOf(ids []string) *graph.Batch {
	doc := p.gaz.Document()
	b := &graph.Batch{Documents: []graph.Document{}, Entities: []graph.Entity{}, Relations: []graph.Relation{}}
	seen := map[string]bool{}
	addEntity := func(e *gazetteer.Entry) {
		if !seen[e.ID] {
			seen[e.ID] = true
			b.Entities = append(b.Entities, e.Entity())
		}
	}
	done := map[string]bool{}
	for _, id := range ids {
		e, ok := p.gaz.Entry(id)
		if !ok || done[id] {
			continue
		}
		done[id] = true
		addEntity(e)
		for _, st := range p.gaz.StatementsAbout(id) {
			addEntity(st.To)
			b.Relations = append(b.Relations, gazetteerRelation(doc, st))
		}
	}
	if len(b.Relations) > 0 {
		b.Documents = append(b.Documents, doc)
	}
	sortBatch(b)
	return b
}

// gazetteerRelation is the relation a gazetteer statement asserts, with the
// statement's line as evidence.
func gazetteerRelation(doc graph.Document, st gazetteer.Statement) graph.Relation {
	r := graph.Relation{Type: st.Type, From: st.From.EntityID(), To: st.To.EntityID(), Role: st.Role}
	r.ID = graph.RelationID(r.Type, r.From, r.To, r.Qualifier())
	r.Evidence = []graph.Evidence{{
		ID: graph.EvidenceID(r.ID, doc.ID, st.Start, st.End), Document: doc.ID, Sentence: st.Line,
		Start: st.Start, End: st.End, Text: st.Sentence, Rule: ruleGazetteer, Confidence: 0.95,
		SentenceStart: st.Start, SentenceText: st.Sentence,
	}}
	return graph.Derive(r)
}

//go:embed demo/*.json
var demoFS embed.FS

// DemoArticles returns the demo reports shipped with polgraph (written for
// the project, in Arabic and English), ordered by file name. The server's
// --demo flag ingests them.
func DemoArticles() []Article {
	var out []Article
	files, _ := fs.Glob(demoFS, "demo/*.json")
	sort.Strings(files)
	for _, f := range files {
		data, err := demoFS.ReadFile(f)
		if err != nil {
			panic("ingest: demo data: " + err.Error())
		}
		arts, err := readJSON(data, f)
		if err != nil {
			panic("ingest: demo data: " + err.Error())
		}
		out = append(out, arts...)
	}
	return out
}
