// Package synth generates a synthetic news graph of any size, the same for
// the same seed, for benchmarks: what ingest would make of years of reports
// on a conflict. Its shape is what makes queries hard in real graphs:
//
//   - a few actors take part in a large share of events (participants are
//     drawn from a Zipf distribution over actors), so degrees are
//     heavy-tailed and a hub's two-hop neighbourhood is most of the graph;
//   - events have 2–6 participants, occur in a city, and some are reported
//     again by other outlets, so one relation gathers several pieces of
//     evidence;
//   - places form a hierarchy (country, regions, cities) joined by
//     LOCATED_IN;
//   - actors' standing facts (membership, positions, bases, family,
//     alliances) are fixed once and reported again and again;
//   - every relation's evidence points at a sentence of a generated
//     document, in English or Arabic, and every entity has Latin and Arabic
//     names with mentions at their spans.
//
// The texts are generated here from word lists: no published text is used.
package synth

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/polgraph/polgraph/graph"
)

// DefaultBatchItems is how many objects a batch holds by default: a few
// thousand, the size ingest workers and importers send.
const DefaultBatchItems = 5000

// Config says what to generate.
type Config struct {
	// Relations is how many relations the graph holds when generation
	// stops (MENTIONS and REPORTS included, as ingest makes them).
	Relations int
	Seed      uint64
	// BatchItems is about how many objects each batch holds; a document's
	// objects are never split. 0 means DefaultBatchItems.
	BatchItems int
}

// Summary counts what was generated and names entities to query.
type Summary struct {
	Documents int `json:"documents"`
	// Entities counts distinct entities, documents' own nodes not included.
	Entities  int    `json:"entities"`
	Relations int    `json:"relations"`
	Evidence  int    `json:"evidence"`
	Batches   int    `json:"batches"`
	Sample    Sample `json:"sample"`
}

// Sample names entities present in the graph for benchmark queries, drawn
// the way analysts ask: popular actors more often.
type Sample struct {
	Hubs   []string `json:"hubs"`   // the most connected actors, most first
	Actors []string `json:"actors"` // actors drawn by popularity, with repeats
	Places []string `json:"places"`
	// Names are names to search for, Latin and Arabic, partial and full.
	Names []string `json:"names"`
}

// Generate builds the graph and hands it to emit batch by batch, in an
// order any store accepts: every relation's ends are in its batch or an
// earlier one. Batches are not reused after emit returns.
func Generate(ctx context.Context, cfg Config, emit func(*graph.Batch) error) (Summary, error) {
	if cfg.Relations < 1 {
		return Summary{}, fmt.Errorf("synth: Relations must be at least 1")
	}
	if cfg.BatchItems <= 0 {
		cfg.BatchItems = DefaultBatchItems
	}
	g := newGenerator(cfg)
	flush := func() error {
		if g.batch.Empty() {
			return nil
		}
		g.sum.Batches++
		err := emit(g.batch)
		g.batch = &graph.Batch{}
		return err
	}
	g.gazetteer()
	for n := 0; g.sum.Relations < cfg.Relations; n++ {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return g.sum, err
			}
		}
		g.document(n)
		if len(g.batch.Documents)+len(g.batch.Entities)+len(g.batch.Relations) >= cfg.BatchItems {
			if err := flush(); err != nil {
				return g.sum, err
			}
		}
	}
	if err := flush(); err != nil {
		return g.sum, err
	}
	g.sample()
	return g.sum, nil
}

// ent is an entity the generator can name.
type ent struct {
	id             string
	kind           graph.Kind
	latin, arabic  string
	subtype        string
	org, base, kin int // standing facts: indexes into actors, cities, actors; -1 for none
	title          int // index into titles for a position held in org; -1 for none
}

type generator struct {
	cfg   Config
	rng   *rand.Rand
	batch *graph.Batch
	sum   Summary

	country, regionsAt int // indexes into places
	places             []ent
	cities             []int // indexes into places
	actors             []ent // by popularity: index 0 is the most named actor
	orgs               []int // indexes into actors of organisations and groups

	pickActor *rand.Zipf
	pickCity  *rand.Zipf
	pickOrg   *rand.Zipf

	events []eventRef // recent events, for second reports and ABOUT
	nEvent int
	rels   map[string]struct{}
	seen   map[string]bool // entities some batch has carried
	start  time.Time
	days   int
}

type eventRef struct {
	ent   ent
	parts []int // indexes into actors
	roles []string
	place int // index into places
	shape int
	date  string
}

func newGenerator(cfg Config) *generator {
	g := &generator{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		batch: &graph.Batch{}, rels: make(map[string]struct{}, cfg.Relations), seen: map[string]bool{},
		start: time.Date(2011, 2, 15, 0, 0, 0, 0, time.UTC)}
	g.days = int(time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC).Sub(g.start).Hours() / 24)

	// About one city per 2,000 relations and one actor per 25: the ratios
	// of the shared corpus's reports, kept as the graph grows.
	nCities := max(12, cfg.Relations/2000)
	nActors := max(40, cfg.Relations/25)
	g.places = append(g.places, ent{id: g.entityID(graph.KindPlace, "country"), kind: graph.KindPlace,
		latin: "Libya", arabic: "ليبيا", subtype: "country"})
	g.regionsAt = len(g.places)
	for i, r := range regions {
		g.places = append(g.places, ent{id: g.entityID(graph.KindPlace, fmt.Sprint("region ", i)), kind: graph.KindPlace,
			latin: r.latin, arabic: r.arabic, subtype: "region"})
	}
	for i := range nCities {
		name := combine(i, placePrefixes, placeRoots)
		g.cities = append(g.cities, len(g.places))
		g.places = append(g.places, ent{id: g.entityID(graph.KindPlace, fmt.Sprint("city ", i)), kind: graph.KindPlace,
			latin: name.latin, arabic: name.arabic, subtype: "city"})
	}
	for i := range nActors {
		g.actors = append(g.actors, g.newActor(i))
	}
	for i, a := range g.actors {
		if a.kind != graph.KindPerson {
			g.orgs = append(g.orgs, i)
		}
	}
	g.pickActor = rand.NewZipf(g.rng, 1.1, 3, uint64(nActors-1))
	g.pickCity = rand.NewZipf(g.rng, 1.2, 2, uint64(nCities-1))
	g.pickOrg = rand.NewZipf(g.rng, 1.1, 2, uint64(len(g.orgs)-1))
	for i := range g.actors {
		g.standingFacts(i)
	}
	return g
}

func (g *generator) entityID(kind graph.Kind, key string) string {
	return graph.EntityID(kind, fmt.Sprintf("synth %d %s", g.cfg.Seed, key))
}

// combine makes the i-th name from two lists, numbering it once the
// combinations run out so that names stay distinct.
func combine(i int, a, b []pair) pair {
	x, y := a[i%len(a)], b[(i/len(a))%len(b)]
	p := pair{strings.TrimSpace(x.latin + " " + y.latin), strings.TrimSpace(x.arabic + " " + y.arabic)}
	if n := i / (len(a) * len(b)); n > 0 {
		p.latin += fmt.Sprint(" ", n+1)
		p.arabic += fmt.Sprint(" ", n+1)
	}
	return p
}

func (g *generator) newActor(i int) ent {
	a := ent{org: -1, base: -1, kin: -1, title: -1}
	switch r := g.rng.IntN(10); {
	case r < 7:
		first := firstNames[g.rng.IntN(len(firstNames))]
		father := firstNames[g.rng.IntN(len(firstNames))]
		family := familyNames[g.rng.IntN(len(familyNames))]
		a.kind, a.latin, a.arabic = graph.KindPerson, first.latin+" "+father.latin+" "+family.latin,
			first.arabic+" "+father.arabic+" "+family.arabic
	case r < 9:
		k := orgKinds[g.rng.IntN(len(orgKinds))]
		city := g.places[g.cities[g.rng.IntN(len(g.cities))]]
		a.kind, a.latin, a.arabic, a.subtype = graph.KindOrganization, city.latin+" "+k.latin, k.arabic+" "+city.arabic, "armed group"
	default:
		k := groupKinds[g.rng.IntN(len(groupKinds))]
		city := g.places[g.cities[g.rng.IntN(len(g.cities))]]
		a.kind, a.latin, a.arabic = graph.KindGroup, city.latin+" "+k.latin, k.arabic+" "+city.arabic
	}
	a.id = g.entityID(a.kind, fmt.Sprint("actor ", i))
	return a
}

// standingFacts fixes what stays true of an actor, which many documents
// then report: whom a person serves and how, where a body is based.
func (g *generator) standingFacts(i int) {
	a := &g.actors[i]
	a.base = g.cities[g.pickCity.Uint64()]
	if a.kind != graph.KindPerson {
		return
	}
	if g.rng.IntN(10) < 6 {
		a.org = g.orgs[g.pickOrg.Uint64()]
		if g.rng.IntN(10) < 3 {
			a.title = g.rng.IntN(len(titles))
		}
	}
	if g.rng.IntN(20) == 0 {
		if k := int(g.pickActor.Uint64()); k != i && g.actors[k].kind == graph.KindPerson {
			a.kin = k
		}
	}
}

// gazetteer emits the place hierarchy, cited from one gazetteer document.
func (g *generator) gazetteer() {
	d := g.newDoc(-1, "en", "gazetteer")
	for i := range g.places {
		if i == g.country {
			continue
		}
		parent := g.country
		if g.places[i].subtype == "city" {
			parent = g.regionsAt + (i-g.regionsAt-len(regions))%len(regions)
		}
		s := d.sentence()
		s.name(g, &g.places[i])
		s.add(" is in ")
		s.name(g, &g.places[parent])
		s.add(".")
		d.relate(g, graph.LocatedIn, g.places[i].id, g.places[parent].id, "", s, "synth/gazetteer")
	}
	d.finish(g)
}

// document writes the n-th report: one to three events, some of them
// reported before, and now and then a standing fact about a participant.
func (g *generator) document(n int) {
	lang := "en"
	if g.rng.IntN(10) < 3 {
		lang = "ar"
	}
	d := g.newDoc(n, lang, "article")
	events := 1
	for events < 3 && g.rng.IntN(10) < 3 {
		events++
	}
	for range events {
		var ev eventRef
		if len(g.events) > 20 && g.rng.IntN(10) < 3 {
			ev = g.events[len(g.events)-1-g.rng.IntN(min(len(g.events), 500))]
		} else {
			ev = g.newEvent(d.date)
		}
		g.reportEvent(d, ev)
		if g.rng.IntN(2) == 0 {
			g.reportFact(d, ev.parts[g.rng.IntN(len(ev.parts))])
		}
	}
	d.finish(g)
}

func (g *generator) newEvent(date string) eventRef {
	shapeAt := g.rng.IntN(len(eventShapes))
	shape := eventShapes[shapeAt]
	k := shape.minParts + g.rng.IntN(shape.maxPar-shape.minParts+1)
	ev := eventRef{shape: shapeAt, place: g.cities[g.pickCity.Uint64()], date: date}
	for len(ev.parts) < k {
		a := int(g.pickActor.Uint64())
		if !containsInt(ev.parts, a) {
			ev.parts = append(ev.parts, a)
			role := shape.roleB
			if len(ev.roles) == 0 {
				role = shape.roleA
			}
			ev.roles = append(ev.roles, role)
		}
	}
	g.nEvent++
	place := g.places[ev.place]
	ev.ent = ent{id: g.entityID(graph.KindEvent, fmt.Sprint("event ", g.nEvent)), kind: graph.KindEvent,
		latin:  fmt.Sprintf("%s in %s, %s", titleCase(shape.eventType), place.latin, date),
		arabic: fmt.Sprintf("%s في %s", shape.arabicVerb, place.arabic), subtype: shape.eventType}
	if len(g.events) == 1000 {
		g.events = append(g.events[:0], g.events[500:]...)
	}
	g.events = append(g.events, ev)
	return ev
}

func (g *generator) reportEvent(d *doc, ev eventRef) {
	shape := eventShapes[ev.shape]
	s := d.sentence()
	if d.lang == "ar" {
		s.add(shape.arabicVerb + " ")
	}
	s.name(g, &g.actors[ev.parts[0]])
	if d.lang == "en" {
		s.add(" " + shape.latinVerb + " ")
	} else {
		s.add(" مع ")
	}
	for i, p := range ev.parts[1:] {
		if i > 0 {
			s.add(map[string]string{"en": " and ", "ar": " و"}[d.lang])
		}
		s.name(g, &g.actors[p])
	}
	s.add(map[string]string{"en": " in ", "ar": " في "}[d.lang])
	s.name(g, &g.places[ev.place])
	s.add(map[string]string{"en": " on ", "ar": " يوم "}[d.lang] + ev.date + ".")

	d.mentionEvent(g, ev)
	for i, p := range ev.parts {
		d.relate(g, graph.ParticipatedIn, g.actors[p].id, ev.ent.id, ev.roles[i], s, "synth/event")
	}
	d.relate(g, graph.OccurredIn, ev.ent.id, g.places[ev.place].id, "", s, "synth/event")
	d.unasserted(g, graph.Reports, ev.ent.id, 0)
	if shape.eventType == "statement" && len(g.events) > 1 {
		about := g.events[g.rng.IntN(len(g.events))]
		if about.ent.id != ev.ent.id && g.seen[about.ent.id] {
			d.relate(g, graph.About, ev.ent.id, about.ent.id, "", s, "synth/event")
		}
	}
}

// reportFact writes one standing fact about actor i, if it has one.
func (g *generator) reportFact(d *doc, i int) {
	a := &g.actors[i]
	s := d.sentence()
	en := d.lang == "en"
	switch r := g.rng.IntN(10); {
	case r < 5 && a.org >= 0:
		org := &g.actors[a.org]
		s.name(g, a)
		if a.title >= 0 {
			t := titles[a.title]
			s.add(map[bool]string{true: ", " + t.latin + " of ", false: "، " + t.arabic + " "}[en])
			s.name(g, org)
			s.add(".")
			d.relate(g, graph.HoldsPosition, a.id, org.id, t.latin, s, "synth/position")
		} else {
			s.add(map[bool]string{true: " is a member of ", false: " عضو في "}[en])
			s.name(g, org)
			s.add(".")
			d.relate(g, graph.MemberOf, a.id, org.id, "", s, "synth/member")
		}
	case r < 7 && a.kin >= 0:
		kin := &g.actors[a.kin]
		s.name(g, a)
		s.add(map[bool]string{true: " is the brother of ", false: " شقيق "}[en])
		s.name(g, kin)
		s.add(".")
		d.relate(g, graph.FamilyOf, a.id, kin.id, "brother", s, "synth/family")
	case r < 9:
		s.name(g, a)
		s.add(map[bool]string{true: " is based in ", false: " مقره في "}[en])
		s.name(g, &g.places[a.base])
		s.add(".")
		d.relate(g, graph.BasedIn, a.id, g.places[a.base].id, "", s, "synth/base")
	default:
		// Alliances and enmities between bodies of nearby rank: both
		// ends drawn the same way, so hubs ally with hubs.
		other := &g.actors[g.orgs[g.pickOrg.Uint64()]]
		if other.id == a.id {
			return
		}
		t, verb := graph.AlliedWith, map[bool]string{true: " announced an alliance with ", false: " أعلن تحالفه مع "}[en]
		if g.rng.IntN(2) == 0 {
			t, verb = graph.OpposedTo, map[bool]string{true: " rejected ", false: " رفض "}[en]
		}
		s.name(g, a)
		s.add(verb)
		s.name(g, other)
		s.add(".")
		d.relate(g, t, a.id, other.id, "", s, "synth/stance")
	}
}

func titleCase(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// sample picks the entities benchmarks query, from those in the graph.
func (g *generator) sample() {
	rng := rand.New(rand.NewPCG(g.cfg.Seed+1, 1))
	pick := rand.NewZipf(rng, 1.1, 3, uint64(len(g.actors)-1))
	for i := 0; i < len(g.actors) && len(g.sum.Sample.Hubs) < 5; i++ {
		if g.seen[g.actors[i].id] {
			g.sum.Sample.Hubs = append(g.sum.Sample.Hubs, g.actors[i].id)
		}
	}
	for tries := 0; len(g.sum.Sample.Actors) < 1000 && tries < 100000; tries++ {
		a := g.actors[pick.Uint64()]
		if !g.seen[a.id] {
			continue
		}
		g.sum.Sample.Actors = append(g.sum.Sample.Actors, a.id)
		if len(g.sum.Sample.Names) < 200 {
			name := a.latin
			switch len(g.sum.Sample.Names) % 4 {
			case 1:
				name = a.arabic
			case 2:
				name = lastWord(a.latin)
			case 3:
				name = lastWord(a.arabic)
			}
			g.sum.Sample.Names = append(g.sum.Sample.Names, name)
		}
	}
	for _, c := range g.cities {
		if g.seen[g.places[c].id] && len(g.sum.Sample.Places) < 100 {
			g.sum.Sample.Places = append(g.sum.Sample.Places, g.places[c].id)
		}
	}
}

func lastWord(s string) string { return s[strings.LastIndexByte(s, ' ')+1:] }

// doc is a document being written: its text grows sentence by sentence,
// and its objects go into the current batch when it is finished.
type doc struct {
	d        graph.Document
	lang     string
	date     string
	text     strings.Builder
	runes    int
	sents    int
	mentions map[string]*graph.Entity // by id: what the document names, with where
	order    []string
	rels     []graph.Relation
	counts   map[string]int // MENTIONS counts by entity
}

// sentence is the document's last sentence, written straight into its text.
type sentence struct {
	d         *doc
	index     int
	start     int // rune offset in the document
	byteStart int
	spans     []span
}

type span struct {
	e          *ent
	start, end int // rune offsets in the document
	text       string
}

func (g *generator) newDoc(n int, lang, source string) *doc {
	day := 0
	if n >= 0 {
		// Reports spread evenly over the years covered, oldest first.
		day = min(g.days, n*g.days/max(1, g.cfg.Relations/14))
	}
	date := g.start.AddDate(0, 0, day).Format("2006-01-02")
	url := fmt.Sprintf("https://synth.example/%d/%s/%d", g.cfg.Seed, source, n)
	d := &doc{lang: lang, date: date, mentions: map[string]*graph.Entity{}, counts: map[string]int{}}
	d.d = graph.Document{ID: graph.DocumentID(url), URL: url, Language: lang, Published: date, Source: source}
	if n >= 0 {
		d.d.Outlet = outlets[n%len(outlets)]
	}
	return d
}

func (d *doc) sentence() *sentence {
	if d.runes > 0 {
		d.text.WriteByte(' ')
		d.runes++
	}
	s := &sentence{d: d, index: d.sents, start: d.runes, byteStart: d.text.Len()}
	d.sents++
	return s
}

func (s *sentence) add(t string) {
	s.d.text.WriteString(t)
	s.d.runes += utf8.RuneCountInString(t)
}

// name writes e's name in the document's script and records the mention.
func (s *sentence) name(g *generator, e *ent) {
	n := e.latin
	if s.d.lang == "ar" {
		n = e.arabic
	}
	start := s.d.runes
	s.add(n)
	s.spans = append(s.spans, span{e: e, start: start, end: start + utf8.RuneCountInString(n), text: n})
	s.d.mention(g, e, graph.Mention{Document: s.d.d.ID, Start: start, End: start + utf8.RuneCountInString(n), Text: n})
}

// text is the sentence as written so far: all of it once it is finished,
// since no other sentence is begun before its relations are recorded.
func (s *sentence) text() string { return s.d.text.String()[s.byteStart:] }

func (d *doc) mention(g *generator, e *ent, m graph.Mention) {
	x, ok := d.mentions[e.id]
	if !ok {
		x = &graph.Entity{ID: e.id, Kind: e.kind, Name: e.latin, NameAr: e.arabic, Subtype: e.subtype}
		d.mentions[e.id] = x
		d.order = append(d.order, e.id)
	}
	x.Mentions = append(x.Mentions, m)
	d.counts[e.id]++
}

func (d *doc) mentionEvent(g *generator, ev eventRef) {
	if _, ok := d.mentions[ev.ent.id]; ok {
		return
	}
	shape := eventShapes[ev.shape]
	d.mentions[ev.ent.id] = &graph.Entity{ID: ev.ent.id, Kind: graph.KindEvent, Name: ev.ent.latin, NameAr: ev.ent.arabic,
		EventType: shape.eventType, Date: ev.date, DatePrecision: "day"}
	d.order = append(d.order, ev.ent.id)
}

// relate records an asserted relation with the sentence as its evidence:
// the span from the first name to the last, as ingest cites a clause.
func (d *doc) relate(g *generator, t graph.RelType, from, to, qualifier string, s *sentence, rule string) {
	text := s.text()
	first, last := s.spans[0], s.spans[len(s.spans)-1]
	r := graph.Relation{ID: graph.RelationID(t, from, to, qualifier), Type: t, From: from, To: to}
	if t == graph.HoldsPosition {
		r.Title = qualifier
	} else {
		r.Role = qualifier
	}
	if t == graph.ParticipatedIn || t == graph.OccurredIn {
		if ev, ok := d.mentions[from]; ok && ev.Kind == graph.KindEvent {
			r.Date = ev.Date
		} else if ev, ok := d.mentions[to]; ok && ev.Kind == graph.KindEvent {
			r.Date = ev.Date
		}
	}
	spanText := string([]rune(text)[first.start-s.start : last.end-s.start])
	r.Evidence = []graph.Evidence{{ID: graph.EvidenceID(r.ID, d.d.ID, first.start, last.end), Document: d.d.ID,
		Sentence: s.index, Start: first.start, End: last.end, Text: spanText, Rule: rule,
		Confidence: float64(55+g.rng.IntN(41)) / 100, SentenceStart: s.start, SentenceText: text, Date: d.date}}
	d.rels = append(d.rels, r)
}

func (d *doc) unasserted(g *generator, t graph.RelType, to string, count int) {
	d.rels = append(d.rels, graph.Relation{ID: graph.RelationID(t, d.d.ID, to, ""), Type: t, From: d.d.ID, To: to, Count: count})
}

// finish puts the document and what it names into the batch, counting
// relations new to the graph, and stops adding new ones at the target.
func (d *doc) finish(g *generator) {
	for _, id := range d.order {
		if d.mentions[id].Kind != graph.KindEvent {
			d.unasserted(g, graph.Mentions, id, d.counts[id])
		}
	}
	d.d.Text = d.text.String()
	if r := []rune(d.d.Text); len(r) > 0 {
		d.d.Title = string(r[:min(len(r), 80)])
	}
	b := g.batch
	b.Documents = append(b.Documents, d.d)
	g.sum.Documents++
	for _, id := range d.order {
		b.Entities = append(b.Entities, *d.mentions[id])
		g.markSeen(id)
	}
	for _, r := range d.rels {
		if _, ok := g.rels[r.ID]; !ok {
			if g.sum.Relations >= g.cfg.Relations {
				continue
			}
			g.rels[r.ID] = struct{}{}
			g.sum.Relations++
		}
		g.sum.Evidence += len(r.Evidence)
		b.Relations = append(b.Relations, r)
	}
}

// markSeen notes that an entity is in the graph, counting it the first
// time.
func (g *generator) markSeen(id string) {
	if !g.seen[id] {
		g.seen[id] = true
		g.sum.Entities++
	}
}
