package segment

import (
	"testing"

	"github.com/polgraph/polgraph/graph/names"
)

// A token cut with a lexicon answers HasForm and KeyIn from its bits; one
// cut without answers from the class's keys. Both must agree.
func TestLexiconClasses(t *testing.T) {
	lex := NewLexicon()
	var classes []*Class
	for _, words := range [][]string{{"قال", "said"}, {"مدينة", "city"}, {"الدولة"}, {"Haftar", "حفتر"}, {}} {
		var keys []string
		for _, w := range words {
			keys = append(keys, names.Tokens(KeyText(w))...)
		}
		classes = append(classes, lex.Class(keys...))
	}
	classes = append(classes, lex.Union(classes[0], classes[1]))
	text := "وقال حفتر في مدينة سرت، والدولة. Haftar said the city of Sirte, ٥+٥ والمدينة بمدينة"
	runes := []rune(text)
	plain, classified := SplitRunes(text, runes), SplitLexicon(text, runes, lex)
	hits := 0
	for s := range plain {
		for k := range plain[s].Tokens {
			p, c := &plain[s].Tokens[k], &classified[s].Tokens[k]
			for n, cl := range classes {
				if p.HasForm(cl) != c.HasForm(cl) || p.KeyIn(cl) != c.KeyIn(cl) {
					t.Errorf("%q, class %d: HasForm %v/%v KeyIn %v/%v", p.Text, n, p.HasForm(cl), c.HasForm(cl), p.KeyIn(cl), c.KeyIn(cl))
				}
				if c.HasForm(cl) {
					hits++
				}
			}
		}
	}
	if hits < 10 {
		t.Errorf("only %d hits: the test text misses the classes", hits)
	}
}
