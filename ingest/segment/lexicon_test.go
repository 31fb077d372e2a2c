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
	classes = append(classes, lex.ClassFunc(func(k string) bool { return len(k) > 8 }))
	// An extension answers for its own classes and those of its root; the
	// root's tokens answer for the extension's classes from their keys.
	ext, other := lex.Extend(), lex.Extend()
	classes = append(classes, ext.Class(names.Tokens("سرت Sirte")...), other.Class(names.Tokens("city")...))
	text := "وقال حفتر في مدينة سرت، والدولة. Haftar said the city of Sirte, ٥+٥ والمدينة بمدينة"
	runes := []rune(text)
	plain := SplitRunes(text, runes)
	for _, l := range []*Lexicon{lex, ext, other} {
		checkClasses(t, plain, SplitLexicon(text, runes, l), classes)
	}
}

func checkClasses(t *testing.T, plain, classified []Sentence, classes []*Class) {
	t.Helper()
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
