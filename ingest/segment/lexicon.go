package segment

import (
	"fmt"
	"maps"
	"slices"
	"sync/atomic"
)

// A Lexicon numbers word classes (sets of keys: "speech verbs", "city
// words") so that a token cut with it carries the classes of its key and of
// its forms as bits. Rules ask a token about its classes many times each;
// the bits make every question after the first cut a bit test instead of a
// map lookup per form.
//
// Classes are added while the caller initialises its word lists; a lexicon
// in use by SplitLexicon must not get more.
type Lexicon struct {
	of map[string]classBits // key → the classes it is in
	n  int
	// root is the lexicon this one extends (Extend), or itself: tokens
	// cut with any extension of root answer for root's classes by bits.
	root     *Lexicon
	id       uint32   // tokens and classes name their lexicon by it
	extended bool     // root has extensions: its bits are taken
	funcs    []*Class // the classes of ClassFunc
}

// maxClasses bounds the classes of a lexicon: the bits of classBits.
// ingest's rules use about 115 and each pipeline adds its own few.
const maxClasses = 64 * len(classBits{})

type classBits [3]uint64

func (b *classBits) add(c classBits) {
	for n := range b {
		b[n] |= c[n]
	}
}

// Class is a set of keys registered in a Lexicon.
type Class struct {
	lex uint32 // the lexicon's id
	// The class's bit is mask in word of classBits: precomputed, so that
	// HasForm and KeyIn, asked at every token by many rules, are inlined.
	word int
	mask uint64
	keys map[string]bool
	// accept decides the membership of a class of ClassFunc.
	accept func(key string) bool
}

// NewLexicon returns an empty lexicon.
func NewLexicon() *Lexicon {
	l := &Lexicon{of: map[string]classBits{}, id: lexicons.Add(1)}
	l.root = l
	return l
}

// Extend returns a lexicon with the classes of l, to which classes of its
// own may be added (a pipeline's gazetteer names, say). Tokens cut with it
// answer for the classes of l as fast as tokens cut with l. l gets no more
// classes.
func (l *Lexicon) Extend() *Lexicon {
	if l.root != l {
		panic("segment: only a new lexicon can be extended")
	}
	l.extended = true
	return &Lexicon{of: maps.Clone(l.of), n: l.n, root: l, id: lexicons.Add(1), funcs: slices.Clone(l.funcs)}
}

// lexicons numbers the lexicons from 1. Tokens hold the numbers, not
// pointers: a token is copied from the splitter's memory for every word,
// and pointers cost the collector's write barriers.
var lexicons atomic.Uint32

// Class registers the set of keys as a class of the lexicon.
func (l *Lexicon) Class(keys ...string) *Class {
	c := l.newClass()
	for _, k := range keys {
		c.keys[k] = true
		b := l.of[k]
		b[c.word] |= c.mask
		l.of[k] = b
	}
	return c
}

// ClassFunc registers the class of the keys accept accepts, for sets
// that cannot be listed ("keys whose skeleton starts a name"). The
// splitter remembers words with their classes, so accept is asked once
// per word it meets, not once per token; it must always give the same
// answer for a key.
func (l *Lexicon) ClassFunc(accept func(key string) bool) *Class {
	c := l.newClass()
	c.accept = accept
	l.funcs = append(l.funcs, c)
	return c
}

func (l *Lexicon) newClass() *Class {
	if l.extended {
		panic("segment: an extended lexicon gets no more classes")
	}
	if l.n == maxClasses {
		panic(fmt.Sprintf("segment: a lexicon holds at most %d classes", maxClasses))
	}
	c := &Class{lex: l.id, word: l.n / 64, mask: 1 << (l.n % 64), keys: map[string]bool{}}
	l.n++
	return c
}

// Union registers the class of the keys of all the classes, which are not
// of ClassFunc.
func (l *Lexicon) Union(classes ...*Class) *Class {
	var keys []string
	for _, c := range classes {
		if c.accept != nil {
			panic("segment: no union with a class of ClassFunc")
		}
		for k := range c.keys {
			keys = append(keys, k)
		}
	}
	return l.Class(keys...)
}

// Has reports whether key is in the class.
func (c *Class) Has(key string) bool { return c.keys[key] || c.accept != nil && c.accept(key) }

// HasForm reports whether any of the word's forms is in the class.
func (t *Token) HasForm(c *Class) bool {
	if t.root != c.lex { // c.lex is never 0
		return t.hasFormSlow(c)
	}
	return t.formClasses[c.word]&c.mask != 0
}

// hasFormSlow is HasForm for a class not of the root lexicon the word was
// classified by: an extension's own, or another lexicon's. Kept apart, and
// out of line, so that HasForm, asked at every token by many rules, is
// inlined.
//
//go:noinline
func (t *Token) hasFormSlow(c *Class) bool {
	if t.lex == c.lex {
		return t.formClasses[c.word]&c.mask != 0
	}
	for _, f := range t.Forms() {
		if c.Has(f) {
			return true
		}
	}
	return false
}

// KeyIn reports whether the word's key itself is in the class.
func (t *Token) KeyIn(c *Class) bool {
	if t.root != c.lex { // c.lex is never 0
		return t.keyInSlow(c)
	}
	return t.keyClasses[c.word]&c.mask != 0
}

// keyInSlow is KeyIn as hasFormSlow is HasForm.
//
//go:noinline
func (t *Token) keyInSlow(c *Class) bool {
	if t.lex == c.lex {
		return t.keyClasses[c.word]&c.mask != 0
	}
	return c.Has(t.Key)
}

// classify gives a word the classes of its key and forms.
func (l *Lexicon) classify(t *Token) {
	t.lex, t.root = l.id, l.root.id
	if t.Key == "" {
		return
	}
	t.keyClasses = l.classesOf(t.Key)
	t.formClasses = t.keyClasses
	for _, f := range t.forms[1:] {
		t.formClasses.add(l.classesOf(f))
	}
}

// classesOf returns the classes a key is in.
func (l *Lexicon) classesOf(key string) classBits {
	b := l.of[key]
	for _, c := range l.funcs {
		if c.accept(key) {
			b[c.word] |= c.mask
		}
	}
	return b
}
