package eventdata

import (
	"fmt"
	"strings"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/loader"
	"github.com/polgraph/polgraph/ingest"
	"github.com/polgraph/polgraph/ingest/gdelt"
)

// cameoRoots are the CAMEO codebook's twenty root event classes.
var cameoRoots = map[string]string{
	"01": "Make public statement", "02": "Appeal", "03": "Express intent to cooperate", "04": "Consult",
	"05": "Engage in diplomatic cooperation", "06": "Engage in material cooperation", "07": "Provide aid",
	"08": "Yield", "09": "Investigate", "10": "Demand", "11": "Disapprove", "12": "Reject", "13": "Threaten",
	"14": "Protest", "15": "Exhibit force posture", "16": "Reduce relations", "17": "Coerce", "18": "Assault",
	"19": "Fight", "20": "Use unconventional mass violence",
}

// cameoActorTypes are the CAMEO codebook's role and group codes that
// follow a country in an actor code ("LBYMIL"), or stand alone ("COP").
var cameoActorTypes = map[string]string{
	"COP": "police", "GOV": "government", "INS": "insurgents", "JUD": "judiciary", "MIL": "military",
	"OPP": "opposition", "REB": "rebels", "SEP": "separatists", "SPY": "intelligence", "UAF": "armed group",
	"AGR": "agriculture", "BUS": "business", "CRM": "criminals", "CVL": "civilians", "DEV": "development",
	"EDU": "education", "ELI": "elites", "ENV": "environment", "HLH": "health", "HRI": "human rights",
	"LAB": "labour", "LEG": "legislature", "MED": "media", "REF": "refugees", "MOD": "moderates",
	"RAD": "radicals", "IGO": "intergovernmental organisation", "NGO": "non-governmental organisation",
	"NGM": "movement", "MNC": "company", "MOS": "Muslims", "CHR": "Christians", "JEW": "Jews",
	"BUD": "Buddhists", "HIN": "Hindus",
}

// cameoOrganizations are the codes of actors that are organisations
// rather than groups of people.
var cameoOrganizations = map[string]bool{"COP": true, "GOV": true, "JUD": true, "MIL": true, "SPY": true,
	"LEG": true, "IGO": true, "NGO": true, "MNC": true, "BUS": true, "MED": true}

// gdeltEventType is the polgraph event type of a CAMEO event code.
func gdeltEventType(code string) string {
	switch {
	case strings.HasPrefix(code, "057"):
		return "agreement"
	case strings.HasPrefix(code, "04"):
		return "meeting"
	case strings.HasPrefix(code, "12"):
		return "denial"
	case strings.HasPrefix(code, "14"):
		return "protest"
	case strings.HasPrefix(code, "19"):
		return "clash"
	case strings.HasPrefix(code, "18"), strings.HasPrefix(code, "20"):
		return "attack"
	case code >= "01" && code < "04", strings.HasPrefix(code, "10"), strings.HasPrefix(code, "11"),
		strings.HasPrefix(code, "13"):
		return "statement"
	}
	return "other"
}

// GDELT maps one row. GDELT writes one row per article and event, and
// often several near-identical rows per article: rows of the same day,
// CAMEO code, actors and place are one event, each article one more piece
// of evidence for it. The article (SOURCEURL) is the document, the same
// document as the article itself once ingested; back-file rows without a
// URL cite the row.
func (m *Mapper) GDELT(row gdelt.Row) (loader.Record, error) {
	if row.ID == "" || row.Date == "" || row.EventCode == "" {
		return loader.Record{}, fmt.Errorf("no GLOBALEVENTID, SQLDATE or EventCode")
	}
	var doc graph.Document
	if row.SourceURL != "" {
		doc = graph.Document{ID: ingest.URLDocumentID(row.SourceURL), URL: row.SourceURL}
	} else {
		doc = graph.Document{ID: graph.DocumentID("gdelt:" + row.ID), URL: "gdelt:" + row.ID,
			Title: "GDELT " + row.Version + " event " + row.ID, Source: "gdelt", Published: row.Date}
	}
	said := row.DateAdded
	if len(said) > 10 {
		said = said[:10]
	}
	b := m.newBuilder(doc, graph.Evidence{Rule: RuleGDELT, Confidence: confidenceGDELT, Date: said}, gdeltCoding)
	a1, n1 := m.gdeltActor(b, row.Actor1)
	a2, n2 := m.gdeltActor(b, row.Actor2)
	place, where := m.gdeltPlace(b, row.ActionGeo)
	// What the evidence shows is what the event is (near-identical rows
	// citing one article give the same evidence), not the row's own text.
	b.evidence.SentenceText = fmt.Sprintf("GDELT, %s: %s (CAMEO %s, %s): %s, at %s", row.Date, cameoRoots[row.EventRootCode],
		row.EventCode, quadClasses[row.QuadClass], orNone(joinNonEmpty(" and ", n1, n2)), orNone(where))
	if row.SourceURL == "" {
		b.b.Documents[0].Text = fmt.Sprintf("GDELT %s event %s: %s %s, %s %s; %s", row.Version, row.ID,
			row.Actor1.Code, row.Actor1.Name, row.Actor2.Code, row.Actor2.Name, b.evidence.SentenceText)
	}
	name := cameoRoots[row.EventRootCode]
	if name == "" {
		name = "CAMEO " + row.EventCode
	}
	if who := joinNonEmpty(" and ", n1, n2); who != "" {
		name += ": " + who
	}
	if where != "" {
		name += " in " + where
	}
	name += ", " + row.Date
	event := graph.Entity{Kind: graph.KindEvent, Key: fmt.Sprintf("gdelt:%s/%s/%s/%s/%s", row.Date, row.EventCode, a1, a2, place),
		Name: name, EventType: gdeltEventType(row.EventCode), Subtype: cameoRoots[row.EventRootCode], Cameo: row.EventCode,
		QuadClass: row.QuadClass, Date: row.Date, DatePrecision: "day", FirstSeen: row.Date, LastSeen: row.Date}
	if row.QuadClass != 0 || row.Goldstein != 0 {
		g := row.Goldstein
		event.Goldstein = &g
	}
	if !graph.ValidCameo(event.Cameo) {
		event.Cameo = ""
	}
	ev := b.entity(event)
	b.reports(ev)
	b.relate(graph.OccurredIn, ev, place, "", row.Date)
	target := "party"
	if row.QuadClass == 4 {
		target = "target"
	}
	b.relate(graph.ParticipatedIn, a1, ev, "party", row.Date)
	b.relate(graph.ParticipatedIn, a2, ev, target, row.Date)
	return b.record(row.Line), nil
}

var gdeltCoding = datasetDocument("gdelt")

var quadClasses = map[int]string{1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// gdeltActor resolves a GDELT actor: a gazetteer entry by the name GDELT
// matched ("HAFTAR"), by a bare country code (a state acting: "LBY"), or
// by a known group ("ARL", the Arab League); else an actor of the data's
// own, one per actor code ("LBYMIL": Libya's military), based in its
// country. It returns the id and a display name.
func (m *Mapper) gdeltActor(b *builder, a gdelt.Actor) (id, name string) {
	if a.Code == "" && a.Name == "" {
		return "", ""
	}
	if e, ok := m.g.ByCode("gdelt", a.Name); ok && a.Name != "" {
		return b.entry(e), e.Name
	}
	if a.Country != "" && a.Code == a.Country {
		if e, ok := m.g.ByCode("cameo", a.Country); ok {
			return b.entry(e), e.Name
		}
	}
	if a.KnownGroup != "" {
		if e, ok := m.g.ByCode("cameo", a.KnownGroup); ok {
			return b.entry(e), e.Name
		}
	}
	if a.Code == "" {
		return "", ""
	}
	country, countryName, rest := "", "", a.Code
	if a.Country != "" && strings.HasPrefix(a.Code, a.Country) {
		rest = a.Code[len(a.Country):]
		if e, ok := m.g.ByCode("cameo", a.Country); ok {
			country, countryName = b.entry(e), e.Name
		} else {
			countryName = a.Country
		}
	}
	kind := graph.KindGroup
	parts := nonEmpty(countryName)
	for i := 0; i+3 <= len(rest); i += 3 {
		c := rest[i : i+3]
		if cameoOrganizations[c] {
			kind = graph.KindOrganization
		}
		if l, ok := cameoActorTypes[c]; ok {
			parts = append(parts, l)
		} else {
			parts = append(parts, c)
		}
	}
	if len(rest)%3 != 0 {
		parts = append(parts, rest[len(rest)-len(rest)%3:])
	}
	// The name derives from the code alone: GDELT's matched text differs
	// from row to row ("BRITISH", "LONDON" for GBR) and goes to the
	// aliases, so that rows in any order give the same entity.
	name = strings.Join(parts, " ")
	if name == "" {
		name = a.Code
	}
	id = b.entity(graph.Entity{Kind: kind, Subtype: "gdelt actor", Key: "gdelt:" + a.Code, Name: name,
		Aliases: nonEmpty(a.Code, titleCase(a.Name))})
	b.relateByCoding(graph.BasedIn, id, country, RuleGDELTCodes)
	return id, name
}

// gdeltPlace resolves GDELT's place of the event: the country by its FIPS
// code, a city or region by its name inside that country in the
// gazetteer, else a place of the data's own keyed by its GNS feature id.
func (m *Mapper) gdeltPlace(b *builder, g gdelt.Geo) (id, name string) {
	if g.Type == 0 || g.FullName == "" {
		return "", ""
	}
	parts := strings.Split(g.FullName, ",")
	first := strings.TrimSpace(parts[0])
	countryName := strings.TrimSpace(parts[len(parts)-1])
	country, countryEntry := "", ""
	if e, ok := m.g.ByCode("fips", g.Country); ok && g.Country != "" {
		country, countryEntry, countryName = b.entry(e), e.ID, e.Name
	} else if g.Country != "" {
		country = b.entity(graph.Entity{Kind: graph.KindPlace, Subtype: "country", Key: "gdelt-fips:" + g.Country,
			Name: countryName, GeoPrecision: "country"})
	}
	if g.Type == 1 {
		return country, countryName
	}
	if countryEntry != "" {
		if e, ok := m.place(first, countryEntry); ok {
			return b.entry(e), e.Name
		}
	}
	// Keyed by the full name, not the feature id: GDELT gives one feature
	// several names ("Washington, …" and "The White House, …"), and a
	// place's name must not depend on which row came last.
	key := strings.ToLower(g.FullName)
	sub := "city"
	if g.Type == 2 || g.Type == 5 {
		sub = "region"
	}
	place := graph.Entity{Kind: graph.KindPlace, Subtype: sub, Key: "gdelt-geo:" + key, Name: first,
		Aliases: nonEmpty(g.FullName), Lat: g.Lat, Lon: g.Lon, GeoPrecision: sub}
	if place.Lat == nil || place.Lon == nil {
		place.Lat, place.Lon, place.GeoPrecision = nil, nil, ""
	}
	id = b.entity(place)
	b.relateByCoding(graph.LocatedIn, id, country, RuleGDELTPlaces)
	return id, first
}
