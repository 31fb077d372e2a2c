package ingest

import (
	"cmp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest/gazetteer"
)

// batch is the last stage: events and joint forces get their keys from
// their participants, everything gets its id, the document links its
// entities (MENTIONS) and events (REPORTS), and the gazetteer's facts about
// the entities named are added with the gazetteer document as evidence.
func (x *extraction) batch() *graph.Batch {
	// Events nothing was said about are dropped: a bare "الاتفاق" with no
	// antecedent and no participants tells the graph nothing.
	for _, d := range x.drafts {
		d.from.related, d.to.related = true, true
	}
	var ents []*entity
	for _, e := range x.all {
		if e.kind == graph.KindEvent && !e.related {
			continue
		}
		if e.agreement != nil && !e.agreement.related {
			continue
		}
		ents = append(ents, e)
	}
	for _, e := range ents {
		if e.kind == graph.KindGroup && e.place != nil {
			nameGroup(e)
		}
	}
	for _, e := range ents {
		if e.kind == graph.KindEvent {
			x.nameEvent(e)
		}
	}
	for _, e := range ents {
		if e.agreement != nil {
			x.nameForce(e)
		}
	}
	for _, e := range ents {
		if e.entry != nil && e.key == e.entry.ID {
			e.id = x.p.gaz.IDOf(e.entry)
		} else {
			e.id = graph.EntityID(e.kind, e.key)
		}
	}

	parents, facts := x.gazetteerFacts(ents)
	b := &graph.Batch{Documents: []graph.Document{x.doc},
		Entities:  make([]graph.Entity, 0, len(ents)+len(parents)),
		Relations: make([]graph.Relation, 0, len(ents)+len(x.drafts)+len(facts))}
	// Entities and relations are indexed by id as they come; an entity
	// given is normalised (graph.NormalizeEntity).
	entityAt := emptied(&x.scratch.entityAt)
	addEntity := func(ge graph.Entity) {
		if n, ok := entityAt[ge.ID]; ok {
			b.Entities[n] = graph.UpsertEntity(b.Entities[n], ge)
			return
		}
		entityAt[ge.ID] = len(b.Entities)
		b.Entities = append(b.Entities, ge)
	}
	relationAt := emptied(&x.scratch.relationAt)
	insertRelation := func(r graph.Relation) { // r has its ids
		if n, ok := relationAt[r.ID]; ok {
			b.Relations[n] = graph.Derive(graph.UpsertRelation(b.Relations[n], r))
			return
		}
		relationAt[r.ID] = len(b.Relations)
		b.Relations = append(b.Relations, graph.Derive(r))
	}
	addRelation := func(r graph.Relation) {
		r.ID = graph.RelationID(r.Type, r.From, r.To, r.Qualifier())
		for n := range r.Evidence {
			ev := &r.Evidence[n]
			ev.ID = graph.EvidenceID(r.ID, ev.Document, ev.Start, ev.End)
		}
		insertRelation(r)
	}

	for _, e := range ents {
		addEntity(x.graphEntity(e))
		if len(e.mentions) == 0 {
			continue
		}
		if e.kind == graph.KindEvent {
			addRelation(graph.Relation{Type: graph.Reports, From: x.doc.ID, To: e.id})
		} else {
			addRelation(graph.Relation{Type: graph.Mentions, From: x.doc.ID, To: e.id, Count: len(e.mentions)})
		}
	}
	for _, d := range x.drafts {
		if d.from.id == "" || d.to.id == "" {
			continue
		}
		r := graph.Relation{Type: d.typ, From: d.from.id, To: d.to.id, Role: d.role, Title: d.title,
			Evidence: d.ev}
		switch { // a fact about an event holds on its date
		case d.from.kind == graph.KindEvent:
			r.Date, _ = x.dateOf(d.from)
		case d.to.kind == graph.KindEvent:
			r.Date, _ = x.dateOf(d.to)
		}
		addRelation(r)
	}

	for _, g := range parents {
		addEntity(x.p.gaz.EntityOf(g))
	}
	for _, st := range facts {
		insertRelation(x.p.fact(st))
	}
	if len(facts) > 0 {
		b.Documents = append(b.Documents, x.p.gaz.Document())
	}
	sortBatch(b)
	return b
}

// gazetteerFacts are the gazetteer's facts about the entities named, to
// be cited with the gazetteer document as evidence: the place hierarchy
// above every place (bringing in the parents not named), memberships and
// family links between entities both named here. The entities have their
// ids.
func (x *extraction) gazetteerFacts(ents []*entity) (parents []*gazetteer.Entry, facts []gazetteer.Statement) {
	// have: entity ids in the batch; named, done: entry ids.
	have, named, done := x.scratch.factSets()
	queue := x.scratch.queue[:0]
	for _, e := range ents {
		have[e.id] = true
		if e.entry != nil {
			named[e.entry.ID] = true
			queue = append(queue, e.entry)
		}
	}
	for n := 0; n < len(queue); n++ {
		g := queue[n]
		if done[g.ID] {
			continue
		}
		done[g.ID] = true
		for _, stm := range x.p.gaz.StatementsAbout(g.ID) {
			switch {
			case stm.Type == graph.LocatedIn:
				if id := x.p.gaz.IDOf(stm.To); !have[id] {
					have[id] = true
					parents = append(parents, stm.To)
				}
				queue = append(queue, stm.To)
			case named[stm.To.ID] && named[g.ID]:
			default:
				continue
			}
			facts = append(facts, stm)
		}
	}
	x.scratch.queue = queue
	return parents, facts
}

// oneLineNames puts names written across lines (a hard-wrapped report, a
// form feed between pages) on one line: each run of white space becomes a
// space and other C0 control characters go, as graph.Validate refuses
// them in names. Names without them are left exactly as they are.
func oneLineNames(e *graph.Entity) {
	for _, f := range []*string{&e.Name, &e.NameAr, &e.Title, &e.TitleAr} {
		*f = graph.OneLine(*f)
	}
	if !slices.ContainsFunc(e.Aliases, func(a string) bool { return graph.OneLine(a) != a }) {
		return
	}
	var aliases []string
	for _, a := range e.Aliases {
		if a = graph.OneLine(a); a != "" && a != e.Name && a != e.NameAr && !slices.Contains(aliases, a) {
			aliases = append(aliases, a)
		}
	}
	e.Aliases = aliases
}

// graphEntity converts an entity of the article.
func (x *extraction) graphEntity(e *entity) graph.Entity {
	var ge graph.Entity
	if e.entry != nil {
		ge = x.p.gaz.EntityView(e.entry) // NormalizeEntity copies its lists
	}
	ge.ID, ge.Kind, ge.Key = e.id, e.kind, e.key
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&ge.Subtype, e.subtype)
	set(&ge.Name, e.name)
	set(&ge.NameAr, e.nameAr)
	set(&ge.Title, e.title)
	set(&ge.TitleAr, e.titleAr)
	if ge.Name == "" {
		ge.Name = ge.NameAr
	}
	// An entry's aliases are among the entity's (fromEntry), and
	// NormalizeEntity copies them.
	ge.Aliases = e.aliases
	oneLineNames(&ge)
	ge.Mentions = e.mentions // NormalizeEntity copies them
	if e.kind == graph.KindEvent {
		ge.EventType = storedType(e.eventType)
		ge.Date, ge.DatePrecision = x.dateOf(e)
		ge.Cameo = kindByType[e.eventType].cameo
		for t := range e.topics {
			ge.Topics = append(ge.Topics, t)
		}
		sort.Strings(ge.Topics)
	}
	if len(ge.Mentions) > 0 || e.kind == graph.KindEvent {
		ge.FirstSeen, ge.LastSeen = x.date, x.date
	}
	return graph.NormalizeEntity(ge)
}

// participants lists an event's actors in the roles that make the event
// what it is (parties, hosts, speakers; not mediators or attendees named
// by a cue), ordered people first, then organisations, then groups, each
// by key. roles filters; none means those core roles.
func (x *extraction) participants(ev *entity, roles ...string) []*entity {
	if len(roles) == 0 {
		roles = []string{"party", "host", "speaker", "target"}
	}
	var out []*entity
	for _, d := range ev.taking {
		if slices.Contains(roles, d.role) && !slices.Contains(out, d.from) {
			out = append(out, d.from)
		}
	}
	// slices.SortFunc runs sort.Slice's algorithm: ties come out as they
	// always did.
	slices.SortFunc(out, func(a, b *entity) int {
		if c := cmp.Compare(participantRank(a.kind), participantRank(b.kind)); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	return out
}

// participantRank orders participants: people, organisations, groups.
func participantRank(k graph.Kind) int {
	switch k {
	case graph.KindOrganization:
		return 1
	case graph.KindGroup:
		return 2
	}
	return 0
}

// nameEvent gives an event its key and names. The key is the type, the
// sorted keys of the core participants and the date, so the same agreement
// read in two reports of the same day gets one id. Without a date, or
// without participants, the key is scoped to the document: nothing says
// two such events are one.
func (x *extraction) nameEvent(ev *entity) {
	ps := x.coreParticipants(ev)
	if ev.eventType == evStatement || ev.eventType == evDenial {
		ps = x.participants(ev, "speaker") // who was addressed does not make the statement
	}
	keys := make([]string, len(ps))
	var en, ar []string
	for n, p := range ps {
		keys[n] = p.key
		en = append(en, p.name)
		ar = append(ar, arName(p))
	}
	sort.Strings(keys)
	date, _ := x.dateOf(ev)
	key := "event/" + ev.eventType + "/" + strings.Join(keys, "+") + "/" + date
	if date == "" || len(ps) == 0 {
		key += "/" + x.doc.ID
	}
	if len(ps) == 0 {
		key += "/" + strconv.Itoa(ev.first)
	}
	ev.key = key
	for _, a := range ar {
		if a == "" {
			ar = nil // no Arabic name for some party: no Arabic event name
			break
		}
	}
	var med []string
	for _, p := range x.participants(ev, "mediator") {
		med = append(med, p.name)
	}
	switch ev.eventType {
	case evAgreement:
		ev.name, ev.nameAr = eventName("Agreement", en, med), ""
		if len(ar) > 0 {
			ev.nameAr = "اتفاق بين " + joinAr(ar)
		}
	case evMeeting:
		ev.name, ev.nameAr = eventName("Meeting", en, med), ""
		switch len(ar) {
		case 0:
		case 1:
			ev.nameAr = "اجتماع مع " + ar[0]
		default:
			ev.nameAr = "اجتماع بين " + joinAr(ar)
		}
	case evStatement, evDenial:
		word, wordAr := "Statement", "تصريح"
		if ev.eventType == evDenial {
			word, wordAr = "Denial", "نفي"
		}
		ev.name, ev.nameAr = word, ""
		if len(en) > 0 {
			ev.name = word + " by " + joinAnd(en)
		}
		if len(ar) > 0 {
			ev.nameAr = wordAr + " " + joinAr(ar)
		}
	default:
		x.nameOtherEvent(ev)
	}
}

// nameOtherEvent names the events of the generic rules: "Attack by A on
// T", "Appointment of T by A", "Clashes between A and B", "Visit by A".
func (x *extraction) nameOtherEvent(ev *entity) {
	ek := kindByType[ev.eventType]
	names := func(roles ...string) (en, ar []string) {
		for _, p := range x.participants(ev, roles...) {
			en = append(en, p.name)
			ar = append(ar, arName(p))
		}
		for _, a := range ar {
			if a == "" {
				return en, nil
			}
		}
		return en, ar
	}
	actors, actorsAr := names("party", "host", "speaker")
	targets, targetsAr := names("target")
	if ev.eventType == evSession && len(x.participants(ev, "host")) > 0 {
		// A session is the sitting body's: "Session of House of
		// Representatives", not of whoever chaired or spoke.
		actors, actorsAr = names("host")
		targets, targetsAr = nil, nil
	}
	ev.name, ev.nameAr = ek.word, ""
	switch {
	case ev.eventType == evClash && len(actors) > 1:
		ev.name += " between " + joinAnd(actors)
	case ev.eventType == evClash && len(actors) == 1:
		ev.name += " involving " + actors[0]
	case ev.eventType == evAppointment && len(targets) > 0:
		ev.name += " of " + joinAnd(targets)
		if len(actors) > 0 {
			ev.name += " by " + joinAnd(actors)
		}
	case ev.eventType == evSession && len(actors) > 0:
		ev.name += " of " + joinAnd(actors)
	case len(actors) > 0 && len(targets) > 0:
		ev.name += " by " + joinAnd(actors) + " on " + joinAnd(targets)
	case len(targets) > 0:
		ev.name += " on " + joinAnd(targets)
	case len(actors) > 0:
		ev.name += " by " + joinAnd(actors)
	}
	if all := append(actorsAr, targetsAr...); len(all) > 0 && (actorsAr != nil || len(actors) == 0) && (targetsAr != nil || len(targets) == 0) {
		ev.nameAr = ek.wordAr + " " + joinAr(all)
	}
	if ev.claimOf != nil {
		ev.name = "Claim denied by " + ev.claimOf.name
		if ev.claimOf.nameAr != "" {
			ev.nameAr = "ادعاء نفاه " + ev.claimOf.nameAr
		}
	}
}

// weakRules add participants from cues rather than from the event's own
// phrase ("بحضور X", "القادة المشاركون", a sentence about the meeting);
// they do not decide which event it is.
var weakRules = map[string]bool{ruleAttendance: true, ruleMediation: true, ruleMeetingSubject: true, ruleParticipants: true}

// coreParticipants are the participants an event's identity and name rest
// on: those read from the event's own phrase, or all of them when there are
// none such.
func (x *extraction) coreParticipants(ev *entity) []*entity {
	all := x.participants(ev)
	var core []*entity
	for _, p := range all {
		for _, role := range []string{"party", "host", "speaker", "target"} {
			d := x.draftIdx[draftKey{graph.ParticipatedIn, p, ev, role}]
			if d == nil {
				continue
			}
			strong := false
			for _, e := range d.ev {
				if !weakRules[e.Rule] {
					strong = true
				}
			}
			if strong {
				core = append(core, p)
				break
			}
		}
	}
	if len(core) == 0 {
		return all
	}
	return core
}

// arName is an entity's Arabic name, or "" if it has none.
func arName(e *entity) string { return e.nameAr }

func eventName(word string, parties, mediators []string) string {
	switch len(parties) {
	case 0:
		if len(mediators) > 0 {
			return word + " mediated by " + joinAnd(mediators)
		}
		return word
	case 1:
		return word + " with " + parties[0]
	}
	return word + " between " + joinAnd(parties)
}

// joinAr joins Arabic names with "و".
func joinAr(list []string) string {
	if len(list) <= 1 {
		return strings.Join(list, "")
	}
	return strings.Join(list[:len(list)-1], "، ") + " و" + list[len(list)-1]
}

// nameForce keys a joint force by the agreement that established it, so it
// is one organisation per agreement.
func (x *extraction) nameForce(f *entity) {
	ag := f.agreement
	f.key = "org/joint-force/" + ag.key
	var parties []string
	for _, p := range x.participants(ag) {
		parties = append(parties, p.name)
	}
	f.name = "Joint force"
	if len(parties) > 0 {
		f.name = "Joint force (agreement of " + joinAnd(parties) + ")"
	}
}

// sortBatch orders a batch for stable output: entities by kind, name and
// id; relations by type, ends and id.
func sortBatch(b *graph.Batch) {
	b.Entities = sortedBy(b.Entities, func(e *graph.Entity) int { return rankIn(graph.Kinds, e.Kind) },
		func(a, c *graph.Entity) int {
			if a.Name != c.Name {
				return strings.Compare(a.Name, c.Name)
			}
			return strings.Compare(a.ID, c.ID)
		})
	b.Relations = sortedBy(b.Relations, func(r *graph.Relation) int { return rankIn(graph.RelTypes, r.Type) },
		func(a, c *graph.Relation) int {
			if a.From != c.From {
				return strings.Compare(a.From, c.From)
			}
			if a.To != c.To {
				return strings.Compare(a.To, c.To)
			}
			return strings.Compare(a.ID, c.ID)
		})
}

// sortedBy orders list by rank, then by compare. It sorts indexes and
// then moves each element once: entities and relations are large to swap.
func sortedBy[T any](list []T, rank func(*T) int, compare func(a, b *T) int) []T {
	type item struct{ rank, at int }
	order := make([]item, len(list))
	for n := range order {
		order[n] = item{rank(&list[n]), n}
	}
	slices.SortFunc(order, func(i, j item) int {
		if i.rank != j.rank {
			return cmp.Compare(i.rank, j.rank)
		}
		return compare(&list[i.at], &list[j.at])
	})
	// Follow each cycle of the permutation: position n takes the element
	// at order[n].at.
	for start := range order {
		if order[start].at < 0 || order[start].at == start {
			continue
		}
		first := list[start]
		n := start
		for order[n].at != start {
			next := order[n].at
			list[n] = list[next]
			order[n].at = -1
			n = next
		}
		list[n] = first
		order[n].at = -1
	}
	return list
}

// rankIn is the position of v in list, 0 when it is not there.
func rankIn[T comparable](list []T, v T) int { return max(slices.Index(list, v), 0) }
