package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/names"
)

// Entity ids of the fixture graph (see the package doc for the picture).
// They derive from kind and key with graph.EntityID, as ingest derives them.
var (
	KhaledHaftar    = graph.EntityID(graph.KindPerson, "khaled haftar")
	KhalifaHaftar   = graph.EntityID(graph.KindPerson, "khalifa haftar")
	KhaledMahjoub   = graph.EntityID(graph.KindPerson, "khaled mahjoub")
	OsamaHammad     = graph.EntityID(graph.KindPerson, "osama hammad")
	MustafaSalem    = graph.EntityID(graph.KindPerson, "mustafa salem")
	GeneralCommand  = graph.EntityID(graph.KindOrganization, "general command")
	MoralGuidance   = graph.EntityID(graph.KindOrganization, "moral guidance department")
	StabilityGov    = graph.EntityID(graph.KindOrganization, "government of national stability")
	JointForce      = graph.EntityID(graph.KindOrganization, "joint counter-terrorism force")
	MisrataLeaders  = graph.EntityID(graph.KindGroup, "security and military leaders of misrata")
	Misrata         = graph.EntityID(graph.KindPlace, "misrata")
	Sirte           = graph.EntityID(graph.KindPlace, "sirte")
	Libya           = graph.EntityID(graph.KindPlace, "libya")
	Tripoli         = graph.EntityID(graph.KindPlace, "tripoli")
	SirteMeeting    = graph.EntityID(graph.KindEvent, "2025-10-19 sirte meeting")
	SirteAgreement  = graph.EntityID(graph.KindEvent, "2025-10-20 sirte agreement")
	GuidanceStmt    = graph.EntityID(graph.KindEvent, "2025-10-21 moral guidance statement")
	TripoliClash    = graph.EntityID(graph.KindEvent, "2024-05-12 tripoli clash")
	CabinetMeeting  = graph.EntityID(graph.KindEvent, "2025-03 cabinet meeting")
	MisrataWelcome  = graph.EntityID(graph.KindEvent, "misrata leaders welcome agreement")
	DocAgreement    = graph.DocumentID("https://news.example/2025/10/20/sirte-agreement")
	DocStatement    = graph.DocumentID("https://news.example/ar/2025/10/21/guidance-statement")
	DocCabinet      = graph.DocumentID("https://news.example/2025/04/02/cabinet")
	DocGazetteer    = graph.DocumentID(gazetteerSHA())
	fixtureEntities = 20 // entities of the fixture, documents not counted
)

// Fixture returns the fixture graph as one batch; every call returns a fresh
// copy that the caller may change. Its relations, entities and documents are
// listed in the package doc.
func Fixture() *graph.Batch {
	b := &graph.Batch{}
	for _, d := range fixtureDocs() {
		b.Documents = append(b.Documents, d.Document)
	}
	b.Entities = fixtureEntityList()
	b.Relations = fixtureRelations()
	return b
}

// text is a document written as sentences; its Text joins them with one
// space, so the rune offsets of a phrase follow from the sentence index.
type text struct {
	graph.Document
	sentences []string
}

func newText(d graph.Document, sentences ...string) *text {
	d.Text = strings.Join(sentences, " ")
	if d.ID == "" {
		sum := sha256.Sum256([]byte(d.Text))
		d.SHA256 = hex.EncodeToString(sum[:])
		d.ID = graph.DocumentID(d.SHA256)
	}
	return &text{Document: d, sentences: sentences}
}

// span returns the rune offsets of phrase in sentence si, and of the sentence.
func (t *text) span(si int, phrase string) (start, end, sentStart int) {
	for _, s := range t.sentences[:si] {
		sentStart += utf8.RuneCountInString(s) + 1
	}
	i := strings.Index(t.sentences[si], phrase)
	if i < 0 {
		panic(fmt.Sprintf("storetest: fixture phrase %q is not in sentence %d of %s", phrase, si, t.Title))
	}
	start = sentStart + utf8.RuneCountInString(t.sentences[si][:i])
	return start, start + utf8.RuneCountInString(phrase), sentStart
}

// evidence is a piece of evidence before its relation id is known.
type evidence struct {
	doc      *text
	sentence int
	phrase   string
	conf     float64
}

func (t *text) ev(sentence int, phrase string, conf float64) evidence {
	return evidence{doc: t, sentence: sentence, phrase: phrase, conf: conf}
}

// mention is where an entity is named in a document, for Entity.Mentions.
func (t *text) mention(sentence int, phrase string) graph.Mention {
	s, e, _ := t.span(sentence, phrase)
	return graph.Mention{Document: t.ID, Start: s, End: e, Text: phrase}
}

// rel builds a relation with a derived id and evidence ids. qual is the role,
// or for HOLDS_POSITION the title.
func rel(typ graph.RelType, from, to, qual, date string, evs ...evidence) graph.Relation {
	r := graph.Relation{Type: typ, From: from, To: to, Date: date, Evidence: []graph.Evidence{}}
	if typ == graph.HoldsPosition {
		r.Title = qual
	} else {
		r.Role = qual
	}
	r.ID = graph.RelationID(typ, from, to, r.Qualifier())
	for _, e := range evs {
		start, end, sentStart := e.doc.span(e.sentence, e.phrase)
		rule := "pattern:" + strings.ToLower(string(typ))
		if e.doc.Source == "gazetteer" {
			rule = "gazetteer"
		}
		r.Evidence = append(r.Evidence, graph.Evidence{
			ID:            graph.EvidenceID(r.ID, e.doc.ID, start, end),
			Document:      e.doc.ID,
			Sentence:      e.sentence,
			Start:         start,
			End:           end,
			Text:          e.phrase,
			Rule:          rule,
			Confidence:    e.conf,
			SentenceStart: sentStart,
			SentenceText:  e.doc.sentences[e.sentence],
			Date:          e.doc.Published,
		})
	}
	return r
}

// mentions builds an unasserted MENTIONS relation (no evidence).
func mentions(doc, entity string, count int) graph.Relation {
	return graph.Relation{ID: graph.RelationID(graph.Mentions, doc, entity, ""), Type: graph.Mentions,
		From: doc, To: entity, Count: count, Evidence: []graph.Evidence{}}
}

// reports builds an unasserted REPORTS relation.
func reports(doc, event string) graph.Relation {
	return graph.Relation{ID: graph.RelationID(graph.Reports, doc, event, ""), Type: graph.Reports,
		From: doc, To: event, Evidence: []graph.Evidence{}}
}

// The fixture's documents. The texts are ours, written for the tests; they
// report nothing that happened.
func docAgreement() *text {
	return newText(graph.Document{ID: DocAgreement, URL: "https://news.example/2025/10/20/sirte-agreement",
		Outlet: "Example Wire", Title: "Khaled Haftar and Misrata leaders agree on a joint force",
		Language: "en", Published: "2025-10-20", Source: "article"},
		"Khaled Haftar met security and military leaders of Misrata in Sirte on 19 October.",
		"The meeting ended with an agreement to form a joint counter-terrorism force.",
		"Khaled Haftar, chief of staff of the land forces of the General Command, signed the agreement on 20 October.",
		"He is a son of Khalifa Haftar, the commander of the General Command.")
}

func docStatement() *text {
	return newText(graph.Document{ID: DocStatement, URL: "https://news.example/ar/2025/10/21/guidance-statement",
		Outlet: "Example Wire Arabic", Title: "بيان التوجيه المعنوي حول لقاء سرت",
		Language: "ar", Published: "2025-10-21", Source: "article"},
		"أكد خالد خليفة حفتر أن الاتفاق مع قيادات أمنية وعسكرية في مدينة مصراتة يهدف إلى مكافحة الإرهاب.",
		"وقال بيان صادر عن إدارة التوجيه المعنوي التابعة للقيادة العامة إن اللقاء عقد في سرت.",
		"ونفى مدير إدارة التوجيه المعنوي خالد المحجوب ما تداولته صفحات عن انسحاب القوات.",
		"ورحبت قيادات مصراتة بالاتفاق في بيان لاحق.")
}

func docCabinet() *text {
	return newText(graph.Document{ID: DocCabinet, URL: "https://news.example/2025/04/02/cabinet",
		Outlet: "Example Wire", Title: "Cabinet meets as Tripoli clashes are recalled",
		Language: "en", Published: "2025-04-02", Source: "article"},
		"Prime minister Osama Hammad chaired a cabinet meeting of the Government of National Stability in March.",
		"Minister Mustafa Salem is a member of the Government of National Stability.",
		"The meeting recalled the clashes in Tripoli on 12 May 2024.")
}

var gazetteerSentences = []string{
	"Misrata is a city in Libya.",
	"Sirte is a city in Libya.",
	"Tripoli is the capital of Libya.",
}

// docGazetteer has no URL and no date: its id derives from its text's
// sha256, and the LOCATED_IN relations it supports are undated.
func docGazetteer() *text {
	return newText(graph.Document{Title: "polgraph gazetteer: places", Language: "en", Source: "gazetteer"},
		gazetteerSentences...)
}

func gazetteerSHA() string {
	sum := sha256.Sum256([]byte(strings.Join(gazetteerSentences, " ")))
	return hex.EncodeToString(sum[:])
}

func fixtureDocs() []*text {
	return []*text{docAgreement(), docStatement(), docCabinet(), docGazetteer()}
}

func ptr(f float64) *float64 { return &f }

func fixtureEntityList() []graph.Entity {
	d1, d2 := docAgreement(), docStatement()
	person := func(id, name, ar string, aliases ...string) graph.Entity {
		return graph.Entity{ID: id, Kind: graph.KindPerson, Name: name, NameAr: ar, Key: names.Key(name),
			Aliases: aliases}
	}
	org := func(id, sub, name, ar string) graph.Entity {
		return graph.Entity{ID: id, Kind: graph.KindOrganization, Subtype: sub, Name: name, NameAr: ar,
			Key: names.Key(name)}
	}
	place := func(id, sub, name, ar string, lat, lon float64, aliases ...string) graph.Entity {
		return graph.Entity{ID: id, Kind: graph.KindPlace, Subtype: sub, Name: name, NameAr: ar,
			Key: names.Key(name), Aliases: aliases, Lat: ptr(lat), Lon: ptr(lon), GeoPrecision: "city"}
	}
	event := func(id, typ, date, name, ar string, topics ...string) graph.Entity {
		prec := map[int]string{0: "", 4: "year", 7: "month", 10: "day"}[len(date)]
		return graph.Entity{ID: id, Kind: graph.KindEvent, EventType: typ, Date: date, DatePrecision: prec,
			Name: name, NameAr: ar, Topics: topics, FirstSeen: date, LastSeen: date}
	}
	khaled := person(KhaledHaftar, "Khaled Haftar", "خالد خليفة حفتر", "Khaled Hifter", "Khalid Haftar")
	khaled.Title = "Lt. Gen."
	khaled.Mentions = []graph.Mention{d1.mention(0, "Khaled Haftar"), d2.mention(0, "خالد خليفة حفتر")}
	khaled.FirstSeen, khaled.LastSeen = "2025-10-20", "2025-10-21"
	// The clash carries what event data adds (ACLED, GDELT): zero
	// fatalities must survive as zero, not as unknown.
	clash := event(TripoliClash, "clash", "2024-05-12", "Tripoli clashes", "اشتباكات طرابلس")
	zero := 0
	clash.Cameo, clash.QuadClass, clash.Goldstein, clash.Fatalities, clash.Revision = "190", 4, ptr(-10), &zero, 1715500000
	libya := place(Libya, "country", "Libya", "ليبيا", 26.3351, 17.2283)
	libya.GeoPrecision = "country"
	return []graph.Entity{
		khaled,
		person(KhalifaHaftar, "Khalifa Haftar", "خليفة حفتر"),
		person(KhaledMahjoub, "Khaled al-Mahjoub", "خالد المحجوب"),
		person(OsamaHammad, "Osama Hammad", "أسامة حماد"),
		person(MustafaSalem, "Mustafa Salem", "مصطفى سالم"),
		org(GeneralCommand, "military", "General Command", "القيادة العامة"),
		org(MoralGuidance, "military", "Moral Guidance Department", "إدارة التوجيه المعنوي"),
		org(StabilityGov, "government", "Government of National Stability", "حكومة الاستقرار الوطني"),
		org(JointForce, "military", "Joint Counter-Terrorism Force", "القوة المشتركة لمكافحة الإرهاب"),
		{ID: MisrataLeaders, Kind: graph.KindGroup, Name: "security and military leaders of Misrata",
			NameAr: "قيادات أمنية وعسكرية في مدينة مصراتة", Key: "security and military leaders of misrata"},
		place(Misrata, "city", "Misrata", "مصراتة", 32.3754, 15.0925, "Misurata"),
		place(Sirte, "city", "Sirte", "سرت", 31.2089, 16.5887),
		libya,
		place(Tripoli, "city", "Tripoli", "طرابلس", 32.8872, 13.1913),
		event(SirteMeeting, "meeting", "2025-10-19", "Sirte meeting of Khaled Haftar and Misrata leaders", "لقاء سرت",
			"counter_terrorism"),
		event(SirteAgreement, "agreement", "2025-10-20", "Sirte agreement on a joint force", "اتفاق سرت",
			"counter_terrorism"),
		event(GuidanceStmt, "statement", "2025-10-21", "Moral Guidance Department statement on the Sirte meeting",
			"بيان إدارة التوجيه المعنوي", "media_deescalation"),
		clash,
		event(CabinetMeeting, "meeting", "2025-03", "Cabinet meeting of the Government of National Stability",
			"اجتماع مجلس الوزراء"),
		event(MisrataWelcome, "statement", "", "Misrata leaders welcome the agreement", "ترحيب قيادات مصراتة"),
	}
}

func fixtureRelations() []graph.Relation {
	d1, d2, d3, d4 := docAgreement(), docStatement(), docCabinet(), docGazetteer()
	P, H, ab := graph.ParticipatedIn, graph.HoldsPosition, graph.About
	return []graph.Relation{
		// The Sirte meeting and agreement (d1, d2).
		rel(P, KhaledHaftar, SirteMeeting, "party", "2025-10-19",
			d1.ev(0, "Khaled Haftar met security and military leaders of Misrata", 0.9)),
		rel(P, MisrataLeaders, SirteMeeting, "party", "2025-10-19",
			d1.ev(0, "met security and military leaders of Misrata", 0.8)),
		rel(graph.OccurredIn, SirteMeeting, Sirte, "", "2025-10-19", d1.ev(0, "in Sirte on 19 October", 0.9)),
		rel(P, KhaledHaftar, SirteAgreement, "party", "2025-10-20",
			d1.ev(2, "signed the agreement on 20 October", 0.8),
			d2.ev(0, "أكد خالد خليفة حفتر أن الاتفاق", 0.6)),
		rel(P, MisrataLeaders, SirteAgreement, "party", "2025-10-20",
			d2.ev(0, "الاتفاق مع قيادات أمنية وعسكرية", 0.7)),
		rel(graph.Established, SirteAgreement, JointForce, "", "2025-10-20",
			d1.ev(1, "an agreement to form a joint counter-terrorism force", 0.7)),
		rel(graph.BasedIn, MisrataLeaders, Misrata, "", "", d2.ev(0, "قيادات أمنية وعسكرية في مدينة مصراتة", 0.8)),
		// The General Command and the Haftar family (d1).
		rel(H, KhaledHaftar, GeneralCommand, "chief of staff of the land forces", "",
			d1.ev(2, "Khaled Haftar, chief of staff of the land forces of the General Command", 0.9)),
		rel(graph.FamilyOf, KhaledHaftar, KhalifaHaftar, "son", "", d1.ev(3, "a son of Khalifa Haftar", 0.95)),
		rel(H, KhalifaHaftar, GeneralCommand, "commander", "",
			d1.ev(3, "Khalifa Haftar, the commander of the General Command", 0.9)),
		// The Moral Guidance Department's statement (d2).
		rel(P, MoralGuidance, GuidanceStmt, "speaker", "2025-10-21", d2.ev(1, "بيان صادر عن إدارة التوجيه المعنوي", 0.9)),
		rel(ab, GuidanceStmt, SirteMeeting, "", "", d2.ev(1, "إن اللقاء عقد في سرت", 0.6)),
		rel(graph.MemberOf, MoralGuidance, GeneralCommand, "", "",
			d2.ev(1, "إدارة التوجيه المعنوي التابعة للقيادة العامة", 0.9)),
		rel(H, KhaledMahjoub, MoralGuidance, "director", "", d2.ev(2, "مدير إدارة التوجيه المعنوي خالد المحجوب", 0.9)),
		rel(P, MisrataLeaders, MisrataWelcome, "speaker", "", d2.ev(3, "ورحبت قيادات مصراتة بالاتفاق في بيان", 0.5)),
		// The disconnected component (d3), and the Tripoli clash.
		rel(H, OsamaHammad, StabilityGov, "prime minister", "",
			d3.ev(0, "Prime minister Osama Hammad chaired a cabinet meeting of the Government of National Stability", 0.8)),
		rel(P, OsamaHammad, CabinetMeeting, "convener", "2025-03", d3.ev(0, "Osama Hammad chaired a cabinet meeting", 0.8)),
		rel(P, StabilityGov, CabinetMeeting, "host", "2025-03",
			d3.ev(0, "a cabinet meeting of the Government of National Stability", 0.7)),
		rel(graph.MemberOf, MustafaSalem, StabilityGov, "", "",
			d3.ev(1, "Mustafa Salem is a member of the Government of National Stability", 0.9)),
		rel(graph.OccurredIn, TripoliClash, Tripoli, "", "2024-05-12", d3.ev(2, "the clashes in Tripoli on 12 May 2024", 0.9)),
		// Places (d4, undated).
		rel(graph.LocatedIn, Misrata, Libya, "", "", d4.ev(0, "Misrata is a city in Libya", 1)),
		rel(graph.LocatedIn, Sirte, Libya, "", "", d4.ev(1, "Sirte is a city in Libya", 1)),
		rel(graph.LocatedIn, Tripoli, Libya, "", "", d4.ev(2, "Tripoli is the capital of Libya", 1)),
		// What the documents contain.
		mentions(DocAgreement, KhaledHaftar, 3),
		mentions(DocAgreement, MisrataLeaders, 1),
		mentions(DocAgreement, Sirte, 1),
		mentions(DocStatement, KhaledHaftar, 1),
		mentions(DocStatement, KhaledMahjoub, 1),
		mentions(DocStatement, MoralGuidance, 2),
		mentions(DocCabinet, OsamaHammad, 1),
		reports(DocAgreement, SirteMeeting),
		reports(DocAgreement, SirteAgreement),
		reports(DocStatement, GuidanceStmt),
		reports(DocCabinet, CabinetMeeting),
	}
}
