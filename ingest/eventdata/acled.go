package eventdata

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/loader"
	"github.com/polgraph/polgraph/ingest/acled"
)

var (
	// "BRSC: Shura Council of Benghazi Revolutionaries"
	acledAcronym = regexp.MustCompile(`^([A-Z][A-Za-z0-9-]{1,11}): (.+)$`)
	// "Military Forces of Libya (2014-) Special Forces": a state force, its
	// period, and the unit or faction after it.
	acledPeriod = regexp.MustCompile(`^(.+?) \((\d{4})-(\d{4})?\)\s*(.*)$`)
	// "Islamic State (Tripoli)", "Misratah Communal Militia (Libya)"
	acledQualifier = regexp.MustCompile(`^(.+?) \(([^()]+)\)$`)
)

var acledCoding = datasetDocument("acled")

// acledPopulations are ACLED's actors for kinds of people rather than
// organised groups: they take part in events but oppose no one.
var acledPopulations = map[string]bool{"civilians": true, "protesters": true, "rioters": true, "students": true,
	"refugees/idps": true, "journalists": true, "labour group": true, "prisoners": true, "health workers": true}

// acledInter names the numeric actor categories of older files.
var acledInter = map[string]string{"1": "state forces", "2": "rebel group", "3": "political militia",
	"4": "identity militia", "5": "rioters", "6": "protesters", "7": "civilians", "8": "external/other forces"}

// ACLED maps one row: the event (keyed by event_id_cnty, so a revised row
// updates it and a monadic export's rows, one per actor, add up to it),
// its actors and associated actors, its place in the ACLED hierarchy
// (location in admin1 in country) unless the gazetteer knows the place,
// and the row itself as the document every relation cites.
func (m *Mapper) ACLED(row acled.Row) (loader.Record, error) {
	if row.EventID == "" {
		return loader.Record{}, fmt.Errorf("no event_id_cnty")
	}
	if row.Date == "" {
		return loader.Record{}, fmt.Errorf("no event_date")
	}
	typ := row.EventType
	if row.SubEventType != "" {
		typ = row.SubEventType
	}
	name := typ
	if row.Location != "" {
		name += " in " + row.Location
	}
	name += ", " + row.Date
	text := row.Notes
	if text == "" {
		text = strings.Join(nonEmpty(row.EventType, row.SubEventType, row.Actor1, row.Actor2, row.Location, row.Country), "; ")
	}
	doc := graph.Document{ID: graph.DocumentID("acled:" + row.EventID), URL: "acled:" + row.EventID,
		Title: "ACLED " + row.EventID + ": " + name, Outlet: strings.Join(row.Sources, "; "),
		Language: "en", Published: row.Date, Source: "acled", Text: text, Revision: row.Timestamp}
	// The notes stay in the document, which follows the record's
	// revisions; evidence carries no sentence an older version could
	// overwrite.
	b := m.newBuilder(doc, graph.Evidence{Rule: RuleACLED, Confidence: confidenceACLED, Date: row.Date}, acledCoding)

	event := graph.Entity{Kind: graph.KindEvent, Key: "acled:" + row.EventID, Name: name,
		EventType: acledEventType(row.EventType, row.SubEventType), Subtype: joinNonEmpty(": ", row.EventType, row.SubEventType),
		Date: row.Date, DatePrecision: row.Precision, Summary: row.Notes, Revision: row.Timestamp,
		FirstSeen: row.Date, LastSeen: row.Date}
	fatalities := row.Fatalities
	event.Fatalities = &fatalities
	ev := b.entity(event)
	b.reports(ev)

	country := m.acledCountry(b, row)
	b.relate(graph.OccurredIn, ev, m.acledPlace(b, row, country), "", row.Date)

	target := "party"
	if event.EventType == "attack" {
		target = "target"
	}
	a1 := m.acledActor(b, row.Actor1, row.Inter1, country, row.Country)
	a2 := m.acledActor(b, row.Actor2, row.Inter2, country, row.Country)
	b.relate(graph.ParticipatedIn, a1, ev, "party", row.Date)
	b.relate(graph.ParticipatedIn, a2, ev, target, row.Date)
	for _, side := range []struct {
		lead  string
		assoc []string
	}{{a1, row.Assoc1}, {a2, row.Assoc2}} {
		for _, name := range side.assoc {
			a := m.acledActor(b, name, "", country, row.Country)
			b.relate(graph.ParticipatedIn, a, ev, "associated", row.Date)
			b.relate(graph.AlliedWith, side.lead, a, "", row.Date)
		}
	}
	if (event.EventType == "clash" || event.EventType == "attack") && !acledPopulation(row.Actor1) && !acledPopulation(row.Actor2) {
		b.relate(graph.OpposedTo, a1, a2, "", row.Date)
	}
	return b.record(row.Line), nil
}

// acledEventType is the polgraph event type of an ACLED type, current or
// old (version 5/6: "Battle-No change of territory", "Remote violence",
// "Riots/Protests").
func acledEventType(typ, sub string) string {
	t := strings.ToLower(typ)
	switch {
	case strings.HasPrefix(t, "battle"):
		return "clash"
	case strings.Contains(t, "remote violence"), strings.HasPrefix(t, "violence against civilians"):
		return "attack"
	case strings.HasPrefix(t, "protest"), strings.HasPrefix(t, "riot"):
		return "protest"
	case strings.Contains(strings.ToLower(sub), "agreement"):
		return "agreement"
	}
	return "other"
}

func acledPopulation(name string) bool {
	if m := acledQualifier.FindStringSubmatch(name); m != nil {
		name = m[1]
	}
	return acledPopulations[strings.ToLower(name)]
}

// acledCountry is the row's country: the gazetteer's by ISO number or
// name, else one of the data's own.
func (m *Mapper) acledCountry(b *builder, row acled.Row) string {
	if e, ok := m.g.ByCode("iso", strings.TrimLeft(row.ISO, "0")); ok && row.ISO != "" {
		return b.entry(e)
	}
	if e, ok := m.named(row.Country, graph.KindPlace); ok {
		return b.entry(e)
	}
	if row.Country == "" {
		return ""
	}
	return b.entity(graph.Entity{Kind: graph.KindPlace, Subtype: "country", Key: "acled-country:" + strings.ToLower(row.Country),
		Name: row.Country, GeoPrecision: "country"})
}

// acledPlace is where the event happened: the gazetteer's place of that
// name in the country, else a place of the data's own inside its admin1
// region, with ACLED's coordinates.
func (m *Mapper) acledPlace(b *builder, row acled.Row, country string) string {
	if row.Location == "" {
		return country
	}
	countryEntry := ""
	if e, ok := m.g.ByCode("iso", strings.TrimLeft(row.ISO, "0")); ok {
		countryEntry = e.ID
	} else if e, ok := m.named(row.Country, graph.KindPlace); ok {
		countryEntry = e.ID
	}
	if countryEntry != "" {
		if e, ok := m.place(row.Location, countryEntry); ok {
			return b.entry(e)
		}
	}
	parent := country
	path := strings.ToLower(row.Country)
	if row.Admin1 != "" {
		path += "/" + strings.ToLower(row.Admin1)
		region := b.entity(graph.Entity{Kind: graph.KindPlace, Subtype: "region", Key: "acled-admin1:" + path,
			Name: row.Admin1, GeoPrecision: "region"})
		b.relateByCoding(graph.LocatedIn, region, country, RuleACLEDPlaces)
		parent = region
	}
	// Only exact coordinates belong to the place: a row of precision 2 or
	// 3 gives a point near it or its region's, which differs from row to
	// row, and an import must not depend on which row came last.
	place := graph.Entity{Kind: graph.KindPlace, Subtype: "locality", Key: "acled-place:" + path + "/" + strings.ToLower(row.Location),
		Name: row.Location}
	if row.Lat != nil && row.Lon != nil && row.GeoPrecision == 1 {
		place.Lat, place.Lon, place.GeoPrecision = row.Lat, row.Lon, "exact"
	}
	id := b.entity(place)
	b.relateByCoding(graph.LocatedIn, id, parent, RuleACLEDPlaces)
	return id
}

// acledActor resolves an ACLED actor name: a gazetteer entry by its ACLED
// code or its name, else an actor of the data's own. A state force with a
// unit ("Military Forces of Libya (2016-) Presidential Guard") is the
// unit, a member of the force; a name qualified by a place ("Islamic State
// (Tripoli)") or led by one ("Misratah Communal Militia") is based there.
func (m *Mapper) acledActor(b *builder, name, inter, country, countryName string) string {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return ""
	}
	if e, ok := m.g.ByCode("acled", name); ok {
		return b.entry(e)
	}
	plain, acronym := name, ""
	if mm := acledAcronym.FindStringSubmatch(name); mm != nil {
		acronym, plain = mm[1], mm[2]
	}
	if p := acledPeriod.FindStringSubmatch(plain); p != nil {
		force := fmt.Sprintf("%s (%s-%s)", p[1], p[2], p[3])
		parent := ""
		if e, ok := m.g.ByCode("acled", force); ok {
			parent = b.entry(e)
		} else {
			parent = b.entity(graph.Entity{Kind: graph.KindOrganization, Subtype: "state forces",
				Key: "acled:" + strings.ToLower(force), Name: force})
		}
		if p[4] == "" {
			return parent
		}
		if e, ok := m.named(p[4], graph.KindOrganization, graph.KindGroup); ok {
			b.relateByCoding(graph.MemberOf, b.entry(e), parent, RuleACLEDNames)
			return b.entry(e)
		}
		unit := b.entity(graph.Entity{Kind: graph.KindOrganization, Subtype: "unit", Key: "acled:" + strings.ToLower(name),
			Name: name, Aliases: []string{p[4]}})
		b.relateByCoding(graph.MemberOf, unit, parent, RuleACLEDNames)
		return unit
	}
	for _, n := range nonEmpty(plain, acronym) {
		if e, ok := m.named(n, graph.KindPerson, graph.KindOrganization, graph.KindGroup); ok {
			return b.entry(e)
		}
	}
	head, where := plain, ""
	if q := acledQualifier.FindStringSubmatch(plain); q != nil {
		head, where = q[1], q[2]
		if e, ok := m.named(head, graph.KindPerson, graph.KindOrganization, graph.KindGroup); ok && where == countryName {
			return b.entry(e)
		}
	}
	label := acledInter[inter]
	if label == "" {
		label = strings.ToLower(inter)
	}
	kind := graph.KindGroup
	if strings.HasPrefix(label, "state forces") || strings.HasPrefix(label, "external") ||
		strings.HasPrefix(plain, "Government of ") || strings.Contains(plain, " Forces of ") {
		kind = graph.KindOrganization
	}
	actor := graph.Entity{Kind: kind, Subtype: label, Key: "acled:" + strings.ToLower(name), Name: plain,
		Aliases: nonEmpty(acronym)}
	if name != plain {
		actor.Aliases = append(actor.Aliases, name) // ACLED's own spelling, acronym and all
	}
	id := b.entity(actor)
	// Where the group is based: the place its name starts with
	// ("Misratah Communal Militia (Libya)"), else the place that
	// qualifies its name ("Islamic State (Tripoli)", "Civilians (Libya)").
	base := ""
	for _, suffix := range []string{" Communal Militia", " Ethnic Militia", " Tribal Militia", " Militia"} {
		if town, ok := strings.CutSuffix(head, suffix); ok {
			if e, ok := m.place(town, ""); ok {
				base = b.entry(e)
			}
			break
		}
	}
	if base == "" && where != "" {
		if where == countryName {
			base = country
		} else if e, ok := m.place(where, ""); ok {
			base = b.entry(e)
		}
	}
	b.relateByCoding(graph.BasedIn, id, base, RuleACLEDNames)
	return id
}

func nonEmpty(s ...string) []string {
	out := s[:0:0]
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func joinNonEmpty(sep string, s ...string) string { return strings.Join(nonEmpty(s...), sep) }
