package ingest

import (
	"slices"
	"strings"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest/segment"
)

// Definite descriptions of organisations: "the council", "the bank",
// "المصرف", "الحكومة" refer to the organisation of the report most
// recently named with that head noun ("Presidential Council", "مصرف ليبيا
// المركزي"). Only organisations named earlier in the same report are
// candidates: a description with no antecedent stays unresolved.
var anaphorHeads = newWordMap(func() map[string]string {
	m := map[string]string{}
	for class, ws := range map[string][]string{
		"council":     {"council", "مجلس"},
		"bank":        {"bank", "مصرف", "بنك"},
		"mission":     {"mission", "بعثة"},
		"government":  {"government", "حكومة"},
		"commission":  {"commission", "committee", "لجنة"},
		"apparatus":   {"apparatus", "جهاز"},
		"ministry":    {"ministry", "وزارة"},
		"brigade":     {"brigade", "كتيبة"},
		"corporation": {"corporation", "مؤسسة"},
		"authority":   {"authority", "هيئة"},
		"house":       {"house"},
		"army":        {"army", "جيش"},
		"capital":     {"capital", "العاصمة"}, // a place: the capital last named
	} {
		for _, w := range ws {
			m[keysOf(w)[0]] = class
		}
	}
	return m
}())

// rememberOrg indexes an organisation by the head nouns of its names, and
// a capital city as "the capital".
func (x *extraction) rememberOrg(e *entity) {
	if e.kind == graph.KindPlace && e.entry != nil && e.entry.Capital {
		x.orgHeads["capital"] = e
	}
	if e.kind != graph.KindOrganization || e.agreement != nil {
		return
	}
	for _, class := range x.headsOf(e) {
		x.orgHeads[class] = e
	}
}

// headsOf are the head noun classes of an organisation's names, computed
// once: per pipeline while the entity has its entry's names.
func (x *extraction) headsOf(e *entity) []string {
	if e.heads == nil {
		if hs, ok := x.p.heads[e.entry]; ok && hasEntryNames(e) {
			e.heads = hs // shared: read only
		} else {
			e.heads = headClasses(x.nameKeys(e))
		}
	}
	return e.heads
}

// headClasses are the head noun classes of names given by their keys,
// never nil.
func headClasses(names [][]string) []string {
	heads := []string{}
	for _, ks := range names {
		for _, k := range ks {
			if class, ok := anaphorHeads.values[k]; ok {
				heads = appendNew(heads, class)
			}
		}
	}
	return heads
}

// hasEntryNames reports an entity that has its gazetteer entry's names.
func hasEntryNames(e *entity) bool {
	g := e.entry
	return g != nil && e.name == g.Name && e.nameAr == g.NameAr && slices.Equal(e.aliases, g.Aliases)
}

// nameKeys are the keys of an entity's names and aliases: those the
// gazetteer computed, while the entity still has its entry's names.
func (x *extraction) nameKeys(e *entity) [][]string {
	if hasEntryNames(e) {
		return x.p.gaz.NameKeys(e.entry)
	}
	var out [][]string
	for _, n := range append([]string{e.name, e.nameAr}, e.aliases...) {
		out = append(out, keysOf(n))
	}
	return out
}

// anaphorCandidates are definite head nouns outside other mentions that
// stand alone ("the council said", not "the council of ministers"; "المجلس"
// not "المجلس البلدي") and have an antecedent.
func (x *extraction) anaphorCandidates(s *segment.Sentence, ms []*mention) []*mention {
	if len(x.orgHeads) == 0 {
		return nil
	}
	covered := x.coveredTokens(ms, len(s.Tokens))
	toks := s.Tokens
	var out []*mention
	for k := range toks {
		t := &toks[k]
		if covered[k] || !isWord(t) || !t.HasForm(anaphorHeads.class) {
			continue
		}
		class, ok := anaphorHeads.values[t.Key]
		form := t.Key
		if !ok && t.Arabic {
			for _, f := range t.Forms()[1:] {
				if class, ok = anaphorHeads.values[f]; ok {
					form = f
					break
				}
			}
		}
		if !ok || x.orgHeads[class] == nil {
			continue
		}
		next := k + 1
		if t.Arabic {
			// "المصرف المركزي", "المجلس البلدي" (an adjective) and "مجلس
			// إدارة" (a construct) are other names; "المصرف الشائعات"
			// (verb, subject, object) is the description.
			if !t.Def || next < len(toks) && isWord(&toks[next]) && toks[next].Arabic &&
				(toks[next].Def && isRelational(&toks[next]) || !toks[next].Def && !toks[next].HasForm(partyStops) && !toks[next].HasForm(speechVerbs) && isNoun(&toks[next])) {
				continue
			}
		} else {
			p := k - 1
			if p > 0 && strings.Contains(toks[p].Text, "-") && !toks[p].Punct {
				p-- // "the Tripoli-based council"
			}
			if p < 0 || toks[p].Key != "the" || covered[p] {
				continue
			}
			if next < len(toks) && (toks[next].Key == "of" || toks[next].Upper && !toks[next].Punct) {
				continue
			}
		}
		ante := x.orgHeads[class]
		m := x.newMention(mention{i: k, j: k + 1, ext: k, last: k + 1, kind: ante.kind, rule: "anaphor", ante: ante})
		if form != t.Key {
			m.skip = t.ProcliticRunes(form)
		}
		x.span(s, m)
		out = append(out, m)
	}
	return out
}

// isNoun is a rough test for an Arabic word that would continue a
// construct chain ("مجلس إدارة"): not a verb-like form starting with a
// present-tense prefix and not a particle. Wrong guesses only leave a
// description unresolved.
func isNoun(t *segment.Token) bool {
	r := []rune(t.Key)
	if len(r) < 3 {
		return false
	}
	switch r[0] {
	case 'ي', 'ت', 'ن':
		return false
	}
	return true
}

// Role mentions: "رئيس الأركان", "the chief of staff", "المحافظ" refer to
// the one person the report has already said holds that post. Posts held
// by several people in the report, and members, stay unresolved.
func (x *extraction) roleCandidates(s *segment.Sentence, ms []*mention) []*mention {
	if len(x.holders) == 0 {
		return nil
	}
	covered := x.coveredTokens(ms, len(s.Tokens))
	toks := s.Tokens
	var out []*mention
	for k := 0; k < len(toks); k++ {
		if covered[k] || !isWord(&toks[k]) {
			continue
		}
		pos, end, ok := positionAt(toks, k)
		if !ok || pos.member {
			continue
		}
		last := &toks[end-1]
		if toks[k].Arabic {
			if !last.Def { // "رئيس أركان …" continues into a name
				continue
			}
		} else if k == 0 || toks[k-1].Key != "the" {
			continue
		}
		next := pastPostAdjectives(toks, end) // "المحافظ السابق الصديق الكبير": a title before a name
		if next < len(toks) && (covered[next] || !toks[k].Arabic && (toks[next].Key == "of" || toks[next].Upper)) {
			continue // a name or an organisation follows: not a bare role
		}
		holders := x.holders[pos.title]
		if len(holders) != 1 {
			continue
		}
		m := x.newMention(mention{i: k, j: end, ext: k, last: end, kind: graph.KindPerson, rule: "role", ante: holders[0]})
		x.span(s, m)
		out = append(out, m)
		k = end - 1
	}
	return out
}
