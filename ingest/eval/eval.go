// Package eval measures extraction against hand annotations: entity
// precision, recall and F1, and recall of key relations, per article and
// overall. The annotation format is described at the top of
// ingest/testdata/annotations.yaml; docs/EXTRACTION.md gives the method and
// the figures.
package eval

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/names"
	"github.com/polgraph/polgraph/ingest"
	"github.com/polgraph/polgraph/ingest/gazetteer"
)

// Annotations are the expected entities and relations of articles, by
// article id.
type Annotations struct {
	Version  int                `yaml:"version"`
	Articles map[string]Article `yaml:"articles"`
}

// Article is what one article states.
type Article struct {
	Entities  []Entity `yaml:"entities"`
	Relations []string `yaml:"relations"`
}

// Entity is a gazetteer id ("person/naji-issa") or an entity the gazetteer
// does not know, by kind, name and the spellings the article uses.
// Ambiguous entities (a bare "Haftar") must not be resolved: they are not
// expected, and whatever the pipeline guesses for them counts against it.
type Entity struct {
	ID        string   `yaml:"id"`
	Kind      string   `yaml:"kind"`
	Name      string   `yaml:"name"`
	Aliases   []string `yaml:"aliases"`
	Ambiguous bool     `yaml:"ambiguous"`
}

// UnmarshalYAML accepts a bare gazetteer id or a mapping.
func (e *Entity) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		e.ID = n.Value
		return nil
	}
	type plain Entity
	return n.Decode((*plain)(e))
}

// Load reads an annotation file.
func Load(path string) (*Annotations, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var a Annotations
	if err := yaml.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if a.Version != 1 {
		return nil, fmt.Errorf("%s: version %d, want 1", path, a.Version)
	}
	return &a, nil
}

// Relation is an annotated relation: "TYPE from -> to [role]"; ends are
// gazetteer ids, names of the article's entities, or event:<type>.
type Relation struct {
	Type     graph.RelType
	From, To string
	Role     string
}

// ParseRelation reads one relation line.
func ParseRelation(s string) (Relation, error) {
	var r Relation
	rest := strings.TrimSpace(s)
	if i := strings.LastIndex(rest, "["); i >= 0 && strings.HasSuffix(rest, "]") {
		r.Role = strings.TrimSpace(rest[i+1 : len(rest)-1])
		rest = strings.TrimSpace(rest[:i])
	}
	typ, ends, ok := strings.Cut(rest, " ")
	if !ok {
		return r, fmt.Errorf("relation %q: want TYPE from -> to [role]", s)
	}
	from, to, ok := strings.Cut(ends, "->")
	if !ok {
		return r, fmt.Errorf("relation %q: no ->", s)
	}
	r.Type, r.From, r.To = graph.RelType(typ), strings.TrimSpace(from), strings.TrimSpace(to)
	if !r.Type.Valid() || r.From == "" || r.To == "" {
		return r, fmt.Errorf("relation %q: bad type or ends", s)
	}
	return r, nil
}

func (r Relation) String() string {
	s := fmt.Sprintf("%s %s -> %s", r.Type, r.From, r.To)
	if r.Role != "" {
		s += " [" + r.Role + "]"
	}
	return s
}

// ArticleScore is the comparison for one article.
type ArticleScore struct {
	ID                 string
	TruePos            int
	Spurious           []string // predicted entities matching nothing annotated
	Missed             []string // annotated entities not predicted
	Relations          int
	RelationsFound     int
	MissedRelations    []string
	PredictedRelations int
}

// Score is the comparison over all articles.
type Score struct {
	Articles                     []ArticleScore
	TruePos, FalsePos, FalseNeg  int
	Precision, Recall, F1        float64
	Relations, RelationsFound    int
	RelationRecall               float64
	SpuriousByKind, MissedByKind map[string]int
	MissedRelationsByType        map[string]int
}

// Compare scores the batches extracted from articles (by article id)
// against the annotations. Articles without a batch are skipped.
func Compare(ann *Annotations, gaz *gazetteer.Gazetteer, batches map[string]*graph.Batch) (Score, error) {
	sc := Score{SpuriousByKind: map[string]int{}, MissedByKind: map[string]int{}, MissedRelationsByType: map[string]int{}}
	ids := make([]string, 0, len(ann.Articles))
	for id := range ann.Articles {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		b := batches[id]
		if b == nil {
			continue
		}
		as, err := compareArticle(id, ann.Articles[id], gaz, b, &sc)
		if err != nil {
			return sc, err
		}
		sc.Articles = append(sc.Articles, as)
		sc.TruePos += as.TruePos
		sc.FalsePos += len(as.Spurious)
		sc.FalseNeg += len(as.Missed)
		sc.Relations += as.Relations
		sc.RelationsFound += as.RelationsFound
	}
	sc.Precision = ratio(sc.TruePos, sc.TruePos+sc.FalsePos)
	sc.Recall = ratio(sc.TruePos, sc.TruePos+sc.FalseNeg)
	if sc.Precision+sc.Recall > 0 {
		sc.F1 = 2 * sc.Precision * sc.Recall / (sc.Precision + sc.Recall)
	}
	sc.RelationRecall = ratio(sc.RelationsFound, sc.Relations)
	return sc, nil
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// nameKeys are the match keys of every name of an entity.
func nameKeys(list ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range list {
		if k := names.Key(n); k != "" {
			m[k] = true
		}
	}
	return m
}

func intersects(a, b map[string]bool) bool {
	for k := range a {
		if b[k] {
			return true
		}
	}
	return false
}

func compareArticle(id string, a Article, gaz *gazetteer.Gazetteer, b *graph.Batch, sc *Score) (ArticleScore, error) {
	as := ArticleScore{ID: id}
	if len(b.Documents) == 0 {
		return as, fmt.Errorf("article %s: batch without a document", id)
	}
	doc := b.Documents[0].ID
	mentioned := map[string]bool{}
	for _, r := range b.Relations {
		if r.Type == graph.Mentions && r.From == doc {
			mentioned[r.To] = true
		}
	}
	var predicted []graph.Entity
	events := map[string][]string{} // event type → ids
	for _, e := range b.Entities {
		switch {
		case e.Kind == graph.KindEvent:
			events[e.EventType] = append(events[e.EventType], e.ID)
		case mentioned[e.ID]:
			predicted = append(predicted, e)
		}
	}

	// Gold entities with their keys; a predicted entity matches a gold one
	// by gazetteer id, or by kind and a name key in common.
	type gold struct {
		Entity
		keys  map[string]bool
		label string
	}
	var golds []gold
	byLabel := map[string]int{}
	for _, g := range a.Entities {
		gd := gold{Entity: g}
		if g.ID != "" {
			en, ok := gaz.Entry(g.ID)
			if !ok {
				return as, fmt.Errorf("article %s: gazetteer id %q unknown", id, g.ID)
			}
			gd.Kind, gd.Name = en.Kind, en.Name
			gd.keys = nameKeys(en.Names()...)
			gd.label = g.ID
		} else {
			if !graph.Kind(g.Kind).Valid() || g.Name == "" {
				return as, fmt.Errorf("article %s: entity %+v needs an id, or a kind and a name", id, g)
			}
			gd.keys = nameKeys(append([]string{g.Name}, g.Aliases...)...)
			gd.label = g.Name
		}
		byLabel[gd.label] = len(golds)
		golds = append(golds, gd)
	}
	matchedGold := make([]bool, len(golds))
	endsOf := map[string][]string{} // gold label → predicted ids
	for _, p := range predicted {
		pk := nameKeys(append([]string{p.Name, p.NameAr}, p.Aliases...)...)
		hit := false
		for n, g := range golds {
			same := g.ID != "" && p.Key == g.ID ||
				g.ID == "" && string(p.Kind) == g.Kind && intersects(pk, g.keys)
			if g.ID != "" && p.Key != g.ID && !strings.Contains(p.Key, "/") && string(p.Kind) == g.Kind && intersects(pk, g.keys) {
				same = true // an unknown-name entity that is a gazetteer entity spelt otherwise
			}
			if !same {
				continue
			}
			endsOf[g.label] = append(endsOf[g.label], p.ID)
			if g.Ambiguous {
				continue // a guess for a bare surname is not credited
			}
			hit = true
			matchedGold[n] = true
		}
		if hit {
			as.TruePos++
		} else {
			as.Spurious = append(as.Spurious, fmt.Sprintf("%s %q (%s)", p.Kind, p.Name, p.Key))
			sc.SpuriousByKind[string(p.Kind)]++
		}
	}
	// Several predicted entities for one gold one: one is right, the
	// rest are duplicates, counted once each as spurious above only if
	// they matched nothing; count the extra ones here.
	for n, g := range golds {
		if g.Ambiguous {
			continue
		}
		if !matchedGold[n] {
			as.Missed = append(as.Missed, fmt.Sprintf("%s %q", g.Kind, g.label))
			sc.MissedByKind[g.Kind]++
		}
		if extra := len(endsOf[g.label]) - 1; extra > 0 {
			as.TruePos -= extra
			for i := 0; i < extra; i++ {
				as.Spurious = append(as.Spurious, fmt.Sprintf("%s %q (duplicate)", g.Kind, g.label))
			}
			sc.SpuriousByKind[g.Kind] += extra
		}
	}

	// A relation end given by gazetteer id matches the batch's entity of
	// that key even when the report does not name it (the organisation of
	// "Prime Minister X" comes from the gazetteer): the relation was found.
	byKey := map[string][]string{}
	for _, e := range b.Entities {
		if e.Kind != graph.KindEvent && e.Key != "" {
			byKey[e.Key] = append(byKey[e.Key], e.ID)
		}
	}
	ends := func(label string) ([]string, error) {
		if t, ok := strings.CutPrefix(label, "event:"); ok {
			return events[t], nil
		}
		n, ok := byLabel[label]
		if !ok {
			return nil, fmt.Errorf("article %s: relation end %q is not among the article's entities", id, label)
		}
		if g := golds[n]; g.ID != "" {
			return append(append([]string(nil), endsOf[label]...), byKey[g.ID]...), nil
		}
		return endsOf[label], nil
	}
	for _, line := range a.Relations {
		want, err := ParseRelation(line)
		if err != nil {
			return as, fmt.Errorf("article %s: %w", id, err)
		}
		from, err := ends(want.From)
		if err != nil {
			return as, err
		}
		to, err := ends(want.To)
		if err != nil {
			return as, err
		}
		as.Relations++
		if found(b, want, from, to) {
			as.RelationsFound++
		} else {
			as.MissedRelations = append(as.MissedRelations, want.String()+missReason(b, want, from, to))
			sc.MissedRelationsByType[string(want.Type)]++
		}
	}
	for _, r := range b.Relations {
		if r.Type != graph.Mentions && r.Type != graph.Reports {
			as.PredictedRelations++
		}
	}
	return as, nil
}

// found reports a predicted relation of the type between the ends; for
// participations the role must agree when the annotation gives one
// (positions are matched by their ends: titles vary with the outlet).
func found(b *graph.Batch, want Relation, from, to []string) bool {
	for _, r := range b.Relations {
		if r.Type != want.Type || !slices.Contains(from, r.From) || !slices.Contains(to, r.To) {
			continue
		}
		if want.Type == graph.ParticipatedIn && want.Role != "" && r.Role != want.Role {
			continue
		}
		return true
	}
	return false
}

// missReason says, for the verbose report, what came nearest to a missed
// relation, so error classes can be counted: an end that was never
// extracted, or the relation found with another role.
func missReason(b *graph.Batch, want Relation, from, to []string) string {
	switch {
	case len(from) == 0:
		return "  (no " + want.From + ")"
	case len(to) == 0:
		return "  (no " + want.To + ")"
	}
	for _, r := range b.Relations {
		if r.Type == want.Type && slices.Contains(from, r.From) && slices.Contains(to, r.To) {
			return "  (role " + r.Role + ")"
		}
	}
	return ""
}

// Extract runs the pipeline over the articles of a corpus directory
// (NNN.json files, the article id being the file name).
func Extract(ctx context.Context, p *ingest.Pipeline, dir string) (map[string]*graph.Batch, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no articles (*.json)", dir)
	}
	out := map[string]*graph.Batch{}
	for _, f := range files {
		arts, err := ingest.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if len(arts) != 1 {
			return nil, fmt.Errorf("%s: %d articles, want 1", f, len(arts))
		}
		b, err := p.Extract(ctx, arts[0])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = b
	}
	return out, nil
}

// Report writes the score as a table, with the misses when verbose.
func (sc Score) Report(w io.Writer, verbose bool) {
	fmt.Fprintf(w, "%-8s %5s %5s %5s %9s\n", "article", "tp", "fp", "fn", "relations")
	for _, a := range sc.Articles {
		fmt.Fprintf(w, "%-8s %5d %5d %5d %4d/%-4d\n", a.ID, a.TruePos, len(a.Spurious), len(a.Missed), a.RelationsFound, a.Relations)
		if verbose {
			for _, s := range a.Spurious {
				fmt.Fprintf(w, "         + %s\n", s)
			}
			for _, s := range a.Missed {
				fmt.Fprintf(w, "         - %s\n", s)
			}
			for _, s := range a.MissedRelations {
				fmt.Fprintf(w, "         ~ %s\n", s)
			}
		}
	}
	fmt.Fprintf(w, "\nentities: precision %.3f  recall %.3f  F1 %.3f  (tp %d, fp %d, fn %d)\n",
		sc.Precision, sc.Recall, sc.F1, sc.TruePos, sc.FalsePos, sc.FalseNeg)
	fmt.Fprintf(w, "relations: recall %.3f  (%d of %d)\n", sc.RelationRecall, sc.RelationsFound, sc.Relations)
	fmt.Fprintf(w, "spurious by kind %v; missed by kind %v; missed relations by type %v\n",
		sc.SpuriousByKind, sc.MissedByKind, sc.MissedRelationsByType)
}
