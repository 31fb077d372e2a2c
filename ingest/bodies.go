package ingest

import (
	"slices"
	"strings"

	"github.com/polgraph/polgraph/graph"
)

// seatWords name the seat of the body the sentence is about: "يعقد مجلس
// النواب … في مقره الدائم بمدينة بنغازي", "activating its headquarters in
// Sirte".
var seatWords = set("مقره", "مقرها", "headquarters", "seat")

// seatAdjectives may follow the seat: "مقره الدائم".
var seatAdjectives = set("الدائم", "الرئيسي", "permanent", "main")

// seats: a body's own seat in a place ("its headquarters in Sirte",
// «في مقره الدائم بمدينة بنغازي») is where it is based; the body is the
// organisation named last before the seat word.
func (x *extraction) seats(st *sentenceState) {
	toks := st.s.Tokens
	for k := 1; k < len(toks); k++ {
		if !st.free(k) || !toks[k].HasForm(seatWords) {
			continue
		}
		// English needs the possessive: "its headquarters", not "the
		// headquarters of X" (premises, read by the event rules).
		if !toks[k].Arabic && toks[k-1].Key != "its" && toks[k-1].Key != "their" {
			continue
		}
		q := k + 1
		if q < len(toks) && toks[q].HasForm(seatAdjectives) {
			q++
		}
		var place *mention
		for n := 0; n < 3 && q < len(toks) && place == nil; n, q = n+1, q+1 {
			if m := st.mentionAt(q); m != nil {
				if m.ent.kind == graph.KindPlace {
					place = m
				}
				break
			}
			if !(toks[q].HasForm(setIn) || toks[q].HasForm(cityWords) || toks[q].Key == "the") {
				break
			}
		}
		if place == nil {
			continue
		}
		for p := k - 1; p >= 0 && p >= k-maxWindow; p-- {
			if m := st.covered.at(p); m != nil && m.ent != nil && m.ent.kind == graph.KindOrganization && !m.nested {
				x.relate(graph.BasedIn, m.ent, place.ent, "", "", st.s, toks[k].Start, place.end, ruleAffiliation, confAppositionLoose)
				break
			}
		}
	}
}

// leadVerbs say a person leads a body: "al-Kabir, who led the central
// bank since 2011", "Kikli headed the SSA".
var leadVerbs = set("led", "leads", "heads", "headed", "runs", "ran", "commands", "commanded", "chairs", "chaired")

// leadBases follow "appointed to": "appointed to head the ministry".
var leadBases = set("head", "lead", "run", "chair", "command")

// leaders: "PERSON[, who] led ORG" → the person holds the body's head post
// (its own title for its head where the gazetteer has one: "governor").
func (x *extraction) leaders(st *sentenceState) {
	toks := st.s.Tokens
	for _, m := range st.ms {
		if m.nested || m.ent == nil || m.ent.kind != graph.KindPerson {
			continue
		}
		k := m.last
		if k+1 < len(toks) && toks[k].Text == "," && toks[k+1].Key == "who" {
			k += 2
		} else if k+1 < len(toks) && toks[k].Text == "," && toks[k+1].KeyIn(auxiliaries) {
			k++ // "Al-Zani, has been appointed to …"
		}
		for k < len(toks) && (toks[k].KeyIn(auxiliaries) || toks[k].HasForm(passives)) {
			k++
		}
		// "has been appointed to temporarily head the ministry"
		appointed := false
		if k+1 < len(toks) && toks[k].HasForm(kindByType[evAppointment].verbs) && toks[k+1].Key == "to" {
			k += 2
			if k < len(toks) && adverb(&toks[k]) {
				k++
			}
			appointed = k < len(toks) && toks[k].HasForm(leadBases)
		}
		if k >= len(toks) || !appointed && (!toks[k].HasForm(leadVerbs) || k > 0 && toks[k-1].HasForm(passives)) {
			continue
		}
		q := k + 1
		if q < len(toks) && toks[q].Key == "the" {
			q++
		}
		org := st.mentionAt(q)
		if org == nil || org.ent.kind != graph.KindOrganization && org.ent.kind != graph.KindGroup {
			continue
		}
		x.relate(graph.HoldsPosition, m.ent, org.ent, "", x.titleIn(&headPosition, org.ent), st.s, m.start, org.end, ruleLeader, confAppositionLoose)
	}
}

// headPosition is the head of a body, titled by the body's own word.
var headPosition = position{title: "head", head: true}

// headTitles are posts that preside over a council's sessions.
var headTitles = map[string]bool{"speaker": true, "head": true, "chairman": true, "president": true}

// sessionHosts: a session nobody is said to hold, at which the head of a
// council speaks («وأكد عقيلة صالح خلال الجلسة», Saleh being the speaker
// of the House), is that council's.
func (x *extraction) sessionHosts() {
	for _, ev := range x.all {
		if ev.kind != graph.KindEvent || ev.eventType != evSession || len(x.participants(ev, "host")) > 0 {
			continue
		}
		for _, d := range ev.taking {
			if d.role != "speaker" {
				continue
			}
			if council := x.councilHeadedBy(d.from); council != nil {
				e := d.ev[0]
				x.relate(graph.ParticipatedIn, council, ev, "host", "", &x.sents[e.Sentence], e.Start, e.End, ruleSessionHost, confMeetingSubject)
				break
			}
		}
	}
}

// councilHeadedBy is the council the report says the person heads, or nil.
func (x *extraction) councilHeadedBy(p *entity) *entity {
	for _, d := range x.drafts {
		if d.typ == graph.HoldsPosition && d.from == p && headTitles[strings.ToLower(d.title)] &&
			slices.Contains(x.headsOf(d.to), "council") {
			return d.to
		}
	}
	return nil
}

// consistsOf introduces the members of a body: "اللجنة العسكرية المشتركة،
// التي تتألف من الجيش وقوات خليفة حفتر", "a committee made up of …".
var consistsOf = concat(phrases("", "تتألف من", "تتكون من", "يتألف من", "يتكون من", "المكونة من", "المؤلفة من", "المكون من",
	"consists of", "consisting of", "composed of", "made up of", "comprising", "comprises"))

// members: the bodies a body consists of are its members.
func (x *extraction) members(st *sentenceState) {
	toks := st.s.Tokens
	for k := 1; k < len(toks); k++ {
		if !st.free(k) {
			continue
		}
		_, end, ok := longestAt(toks, k, consistsOf)
		if !ok {
			continue
		}
		// The body: right before the cue, past "، التي" / ", which".
		p := k
		if toks[p-1].HasForm(relatives) || toks[p-1].Key == "which" || toks[p-1].Key == "that" {
			p--
		}
		if p > 0 && (toks[p-1].Text == "،" || toks[p-1].Text == ",") {
			p--
		}
		body := st.byTailAny.at(p)
		if body == nil || body.ent.kind != graph.KindOrganization {
			continue
		}
		for _, m := range x.window(st, end, x.stopAfter(st, end)) {
			if m.ent.kind == graph.KindOrganization || m.ent.kind == graph.KindGroup {
				x.relate(graph.MemberOf, m.ent, body.ent, "", "", st.s, body.start, m.end, ruleAffiliation, confAppositionLoose)
			}
		}
		k = end - 1
	}
}

// talksBehind: the talks that produced an agreement share its mediators
// and sides. "The government reached an accord with a powerful armed
// group … Negotiations between the government and the Radaa Force were
// facilitated by Turkiye": Turkey mediated the accord, Radaa is its other
// side. Talks are the report's meetings whose parties include every party
// of the agreement.
func (x *extraction) talksBehind() {
	for _, ag := range x.all {
		if ag.kind != graph.KindEvent || ag.eventType != evAgreement {
			continue
		}
		sides := x.participants(ag, "party")
		if len(sides) == 0 {
			continue
		}
		for _, talks := range x.all {
			if talks.kind != graph.KindEvent || talks.eventType != evMeeting {
				continue
			}
			parties := x.participants(talks, "party")
			if len(parties) <= 1 || !subset(sides, parties) {
				continue
			}
			for _, d := range talks.taking {
				if slices.Contains(sides, d.from) ||
					d.role != "mediator" && !(d.role == "party" && len(sides) == 1) {
					continue
				}
				e := d.ev[0]
				x.relate(graph.ParticipatedIn, d.from, ag, d.role, "", &x.sents[e.Sentence], e.Start, e.End, ruleTalks, confMeetingSubject)
			}
		}
	}
}

// designees: "… تسمية ناجي عيسى محافظا، ومرعي البرعصي نائبًا له": a
// person designated to a post in the accusative, in a sentence naming an
// appointment, is appointed in it.
func (x *extraction) designees(st *sentenceState) {
	toks := st.s.Tokens
	for _, m := range st.ms {
		if m.nested || m.ent == nil || m.ent.kind != graph.KindPerson || !accusativePost(toks, m.last) {
			continue
		}
		if ref := nearestRef(st, m.ext, evAppointment); ref != nil {
			x.relate(graph.ParticipatedIn, m.ent, ref.ev, "target", "", st.s, min(ref.start, m.start), max(ref.end, toks[m.last].End), ruleDecision, confAttendance)
		}
	}
}
