// Package segment cuts a document's text into sentences and word tokens,
// keeping every span as rune offsets into the original text, and gives each
// word the matching keys of graph/names. It knows Arabic and Latin script
// but no lexicon beyond the abbreviations that must not end a sentence.
//
// What belongs here: splitting and keying. What does not: gazetteers,
// patterns, anything that decides what a span means.
package segment

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/polgraph/polgraph/graph/names"
)

// Sentence is one sentence of a document: a span of the text ended by
// . ! ? ؟ ؛ or a line break. Headline lines without a full stop are
// sentences too.
type Sentence struct {
	Index  int     // position in the document, from 0
	Start  int     // rune offset of the first rune
	End    int     // rune offset after the last rune
	Text   string  // exactly the runes [Start, End) of the document
	Tokens []Token // words and punctuation, in order
}

// Token is a word or a punctuation mark. Start and End are rune offsets into
// the document; Text is exactly that slice.
type Token struct {
	Text       string
	Start, End int
	// Fold is the folded form (names.Fold) with the article kept; Key is the
	// names.Tokens key (article and Latin particles dropped), "" for
	// punctuation and for bare particles such as "al".
	Fold, Key string
	Caps      int  // number of upper-case Latin letters
	Punct     bool // not a word
	Arabic    bool // contains Arabic letters
	Upper     bool // a Latin word starting with an upper-case letter
	Digits    bool // only digits
	// Def reports an Arabic word carrying the article (after any
	// proclitics): "الاتفاق", "والقيادة", "للجيش".
	Def bool

	forms []string
	// The classes of a Lexicon the word's key and its forms are in, when it
	// was cut with one (lex, and the lexicon it extends: root; by id).
	lex, root               uint32
	keyClasses, formClasses classBits
}

// Break reports whether a punctuation token ends a phrase: commas, colons,
// brackets, sentence marks. Quotes, hyphens, plus signs, dots inside
// abbreviations and the like do not.
func (t *Token) Break() bool {
	if !t.Punct {
		return false
	}
	switch t.Text {
	case ".", "+", "-", "ـ", "&", "/", "\"", "'", "«", "»", "“", "”", "‘", "’", "'s", "’s":
		return false
	}
	return true
}

// Transparent reports whether a token may be skipped inside a multi-word
// name or phrase ("5 + 5", "Lt. Gen.", a quoted name).
func (t *Token) Transparent() bool { return t.Punct && !t.Break() }

// Forms returns the keys a word may stand for once Arabic proclitics (و ف ب
// ل ك, and ال after them) are peeled: its own key first. Latin words have
// one form.
func (t *Token) Forms() []string {
	if t.forms == nil && t.Key != "" {
		t.forms = names.Variants(t.Key)
	}
	return t.forms
}

// Split cuts text into sentences and tokenises each one. Offsets are runes.
func Split(text string) []Sentence { return SplitRunes(text, []rune(text)) }

// SplitRunes is Split for a caller that holds the text's runes already:
// runes must be []rune(text).
func SplitRunes(text string, runes []rune) []Sentence { return SplitLexicon(text, runes, nil) }

// SplitLexicon is SplitRunes giving each word the classes of lex it is in
// (none when lex is nil).
func SplitLexicon(text string, runes []rune, lex *Lexicon) []Sentence {
	return (&Splitter{Lexicon: lex}).Split(text, runes)
}

// A Splitter splits texts as SplitLexicon does, keeping its memory from one
// text to the next: the sentences, tokens and forms one Split returns are
// overwritten by the next. Not safe for concurrent use.
type Splitter struct {
	Lexicon *Lexicon // classifies the words, when not nil
	// Words is how many distinct words the splitter remembers the keys,
	// forms and classes of (forgetting all when full); 0 remembers none.
	// Reports reuse their vocabulary: a word met before is not keyed again.
	Words int
	sents []Sentence
	toks  []Token
	forms []string
	known map[string]*Token // word text → its token, without text and offsets
}

// Split is SplitLexicon(text, runes, sp.Lexicon) in the splitter's memory.
func (sp *Splitter) Split(text string, runes []rune) []Sentence {
	return sp.split(text, runes, nil)
}

// SplitAt is Split for a caller that holds the byte offset in text of
// every rune, and len(text): text is valid UTF-8, and strings are cut from
// it without counting bytes.
func (sp *Splitter) SplitAt(text string, runes []rune, offsets []int) []Sentence {
	return sp.split(text, runes, offsets)
}

func (sp *Splitter) split(text string, runes []rune, offsets []int) []Sentence {
	src := &source{runes: runes, lex: sp.Lexicon, offsets: offsets}
	if sp.Words > 0 {
		if sp.known == nil {
			sp.known = map[string]*Token{}
		}
		src.known, src.maxKnown = sp.known, sp.Words
	}
	if offsets != nil || utf8.ValidString(text) {
		src.text = text
	}
	out := sp.sents[:0]
	// All tokens of the document share one array, each sentence holding its
	// slice of it, and all their forms another. The corpus has a token per
	// five or six runes, and few words have more than one form.
	all, forms := sp.toks[:0], sp.forms[:0]
	if n := len(runes)/5 + 16; cap(all) < n {
		all, forms = make([]Token, 0, n), make([]string, 0, n)
	}
	src.forms = forms
	start := 0
	emit := func(from, to int) {
		for from < to && unicode.IsSpace(runes[from]) {
			from++
		}
		for to > from && unicode.IsSpace(runes[to-1]) {
			to--
		}
		if from >= to || !hasWordRune(runes[from:to]) {
			return
		}
		s := Sentence{Index: len(out), Start: from, End: to, Text: src.str(from, to)}
		n := len(all)
		all = src.tokenize(all, from, to)
		s.Tokens = all[n:len(all):len(all)]
		if len(s.Tokens) == 0 {
			s.Tokens = nil
		}
		out = append(out, s)
	}
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		switch {
		case r == '\n' || r == '\r' || r == '\u2029' || r == '\u2028':
			emit(start, i)
			start = i + 1
		case r == '؟' || r == '?' || r == '!' || r == '؛' || r == '…' || r == '.':
			if r == '.' && !endsSentence(runes, i) {
				continue
			}
			end := i + 1
			for end < len(runes) && (runes[end] == '.' || runes[end] == '!' || runes[end] == '?' || runes[end] == '؟' || isCloser(runes[end])) {
				end++
			}
			emit(start, end)
			start = end
			i = end - 1
		}
	}
	emit(start, len(runes))
	sp.sents, sp.toks, sp.forms = out, all, src.forms
	return out
}

func hasWordRune(rs []rune) bool {
	for _, r := range rs {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', '»', ')', ']', '}':
		return true
	}
	return false
}

// abbreviations never end a sentence with their dot ("Lt. Gen. Khaled").
var abbreviations = map[string]bool{
	"lt": true, "gen": true, "maj": true, "col": true, "brig": true, "capt": true, "cpt": true,
	"sgt": true, "cpl": true, "adm": true, "cmdr": true, "dr": true, "mr": true, "mrs": true,
	"ms": true, "prof": true, "st": true, "no": true, "nos": true, "jr": true, "sr": true,
	"gov": true, "sen": true, "rep": true, "vs": true, "etc": true, "inc": true, "co": true,
	"corp": true, "ltd": true, "jan": true, "feb": true, "mar": true, "apr": true, "jun": true,
	"jul": true, "aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
	"u.s": true, "u.n": true, "e.g": true, "i.e": true, "approx": true, "dept": true,
	"mt": true, "ft": true, "est": true, "fig": true, "al": true,
}

// endsSentence decides whether the dot at i ends a sentence: not between
// digits, not after an abbreviation or a single initial, not before a
// lower-case Latin letter.
func endsSentence(runes []rune, i int) bool {
	prev, next := rune(0), rune(0)
	if i > 0 {
		prev = runes[i-1]
	}
	if i+1 < len(runes) {
		next = runes[i+1]
	}
	if unicode.IsDigit(prev) && unicode.IsDigit(next) {
		return false
	}
	if next != 0 && (unicode.IsLower(next) && next < 0x250 || next == ',' || next == '،') {
		return false
	}
	// The word before the dot.
	j := i
	for j > 0 && (isLatinLetter(runes[j-1]) || runes[j-1] == '.') {
		j--
	}
	word := strings.ToLower(string(runes[j:i]))
	if word == "" {
		return true
	}
	if abbreviations[word] {
		return false
	}
	if w := []rune(word); len(w) == 1 && unicode.IsUpper(runes[i-1]) {
		return false // an initial: "A. Bathily"
	}
	if strings.Contains(word, ".") {
		return false // "U.S." style acronyms
	}
	return true
}

func isLatinLetter(r rune) bool { return r < 0x250 && unicode.IsLetter(r) }

// isWordRune reports runes that make up words, as in names.splitWords, plus
// format characters (ZWNJ, RLM…) that writers leave inside Arabic words.
func isWordRune(r rune) bool {
	if r < 0x80 {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	if r >= 0x0600 && r < 0x0700 {
		return arabicClass[r-0x0600]&classWord != 0
	}
	return isWordRuneSlow(r)
}

// isWordRuneSlow is isWordRune by the Unicode tables, from which the
// table of the Arabic block is built.
func isWordRuneSlow(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) ||
		r == 0x0640 || unicode.Is(unicode.Cf, r)
}

// isFormat reports format characters (Cf): ZWNJ, RLM, the Arabic number
// signs.
func isFormat(r rune) bool {
	if r < 0x80 {
		return false
	}
	if r >= 0x0600 && r < 0x0700 {
		return arabicClass[r-0x0600]&classFormat != 0
	}
	return unicode.Is(unicode.Cf, r)
}

// arabicClass caches isWordRuneSlow and unicode.Cf for the Arabic block,
// where most runes of Arabic text fall.
var arabicClass = func() (c [0x100]uint8) {
	for i := range c {
		r := rune(0x0600 + i)
		if isWordRuneSlow(r) {
			c[i] |= classWord
		}
		if unicode.Is(unicode.Cf, r) {
			c[i] |= classFormat
		}
	}
	return c
}()

const (
	classWord = 1 << iota
	classFormat
)

// isJoiner reports runes kept inside a word when letters stand on both
// sides: "al-Kikli", "Abdel-Ghani", "Qaddafi's" is handled apart.
func isJoiner(r rune) bool { return r == '-' || r == '\'' || r == '’' || r == 'ʿ' || r == 'ʾ' }

// source is the text being tokenised: its runes, and the text itself when
// token strings can be cut from it rather than built from runes.
type source struct {
	runes []rune
	text  string // "" unless text is valid UTF-8 and the runes are its runes
	// ri and bi are a cursor: rune ri starts at byte bi of text. Sentences
	// and their tokens are cut in order, so byteAt moves it a little at a
	// time. mri and mbi mark where the last string cut began.
	ri, bi   int
	mri, mbi int
	offsets  []int    // the byte offset of every rune, when the caller has them
	forms    []string // the forms of the words so far, which their tokens slice
	lex      *Lexicon // classifies the words, when not nil
	// known holds the words met before (Splitter.Words), up to maxKnown.
	known    map[string]*Token
	maxKnown int
}

// lexID is the id of the lexicon classifying the words, 0 for none.
func (s *source) lexID() uint32 {
	if s.lex == nil {
		return 0
	}
	return s.lex.id
}

// str returns the runes [i, j) as a string.
func (s *source) str(i, j int) string {
	if s.text == "" {
		return string(s.runes[i:j])
	}
	if s.offsets != nil {
		return s.text[s.offsets[i]:s.offsets[j]]
	}
	bi := s.byteAt(i)
	s.mri, s.mbi = i, bi
	return s.text[bi:s.byteAt(j)]
}

// byteAt returns the byte offset of rune i, moving the cursor there. A
// sentence's text is cut before its tokens: the cursor goes back to the
// sentence's start from the mark str left there, not rune by rune.
func (s *source) byteAt(i int) int {
	if i < s.ri && i >= s.mri {
		s.ri, s.bi = s.mri, s.mbi
	}
	for ; s.ri < i; s.ri++ {
		s.bi += utf8.RuneLen(s.runes[s.ri])
	}
	for ; s.ri > i; s.ri-- {
		s.bi -= utf8.RuneLen(s.runes[s.ri-1])
	}
	return s.bi
}

// Tokenize tokenises runes[from:to]; offsets are into runes.
func Tokenize(runes []rune, from, to int) []Token {
	return (&source{runes: runes}).tokenize(nil, from, to)
}

// tokenize appends the tokens of runes [from, to) to out.
func (src *source) tokenize(out []Token, from, to int) []Token {
	runes := src.runes
	i := from
	for i < to {
		r := runes[i]
		if unicode.IsSpace(r) || (isFormat(r) && (i+1 >= to || !isWordRune(runes[i+1]))) {
			i++
			continue
		}
		if !isWordRune(r) {
			out = append(out, src.punct(i, i+1))
			i++
			continue
		}
		j := i
		for j < to {
			if isWordRune(runes[j]) {
				j++
				continue
			}
			if isJoiner(runes[j]) && j+1 < to && isWordRune(runes[j+1]) && j > i && isWordRune(runes[j-1]) {
				j++
				continue
			}
			break
		}
		// English possessive: "Haftar's" is "Haftar" + "'s".
		poss := 0
		if n := j - i; n > 2 && (runes[j-1] == 's' || runes[j-1] == 'S') && (runes[j-2] == '\'' || runes[j-2] == '’') {
			poss = 2
		}
		// Arabic-Indic digits and letters do not mix with Latin in one word;
		// trim format characters at the edges.
		ws, we := i, j-poss
		for ws < we && isFormat(runes[ws]) {
			ws++
		}
		for we > ws && isFormat(runes[we-1]) {
			we--
		}
		if ws < we {
			out = src.appendWord(out, src.str(ws, we), ws, we)
		}
		if poss > 0 {
			out = append(out, src.punct(j-2, j))
		}
		i = j
	}
	return out
}

func (src *source) punct(i, j int) Token {
	t := Token{Text: src.str(i, j), Start: i, End: j, Punct: true}
	if src.lex != nil {
		t.lex, t.root = src.lex.id, src.lex.root.id
	}
	return t
}

// KeyText is the text a word's keys derive from: format characters dropped
// and Arabic-Indic digits written as ASCII, so "٥+٥" meets "5+5".
func KeyText(s string) string {
	i := 0
	for i < len(s) {
		if s[i] < 0x80 {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || isFormat(r) || r >= '٠' && r <= '٩' || r >= '۰' && r <= '۹' {
			break
		}
		i += n
	}
	if i == len(s) {
		return s // nothing to drop or rewrite
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case isFormat(r):
		case r >= '٠' && r <= '٩':
			b.WriteRune('0' + r - '٠')
		case r >= '۰' && r <= '۹':
			b.WriteRune('0' + r - '۰')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// appendWord appends the token of one word: text is the runes [i, j). A
// word met before is copied once, from memory to out.
func (src *source) appendWord(out []Token, text string, i, j int) []Token {
	if t := src.known[text]; t != nil && t.lex == src.lexID() {
		out = append(out, *t)
		w := &out[len(out)-1]
		w.Text, w.Start, w.End = text, i, j
		return out
	}
	t := src.newWord(text, i, j)
	if src.known != nil {
		src.remember(text, t)
	}
	return append(out, t)
}

// remember keeps a word's token for the next time the word comes, in
// memory of its own: the token's strings may be slices of the text and its
// forms of the splitter's array, which the next text reuses.
func (src *source) remember(text string, t Token) {
	if len(src.known) >= src.maxKnown {
		clear(src.known)
	}
	t.Text, t.Start, t.End = "", 0, 0
	t.Fold, t.Key = strings.Clone(t.Fold), strings.Clone(t.Key)
	if t.forms != nil {
		forms := make([]string, len(t.forms))
		for n, f := range t.forms {
			forms[n] = strings.Clone(f)
		}
		t.forms = forms
	}
	src.known[strings.Clone(text)] = &t
}

// newWord makes the token of a word not met before.
func (src *source) newWord(text string, i, j int) Token {
	kt := KeyText(text)
	t := Token{Text: text, Start: i, End: j}
	t.Fold, t.Key = names.FoldKey(kt)
	t.Digits = true
	for k := 0; k < len(kt); {
		if c := kt[k]; c < 0x80 {
			if c < '0' || c > '9' {
				t.Digits = false
			}
			if 'A' <= c && c <= 'Z' {
				t.Caps++
			}
			k++
			continue
		}
		r, n := utf8.DecodeRuneInString(kt[k:])
		k += n
		if !t.Arabic && names.IsArabicLetter(r) {
			t.Arabic = true
		}
		if t.Digits && !unicode.IsDigit(r) {
			t.Digits = false
		}
		if r < 0x250 && unicode.IsUpper(r) {
			t.Caps++
		}
	}
	if !t.Arabic {
		r, _ := utf8.DecodeRuneInString(kt)
		t.Upper = unicode.IsUpper(r)
		// "al-Mahjoub", "el-Sonni": the particle is lower case, the name not.
		if h := strings.IndexRune(kt, '-'); !t.Upper && h > 0 && h <= 3 && h+1 < len(kt) {
			r, _ := utf8.DecodeRuneInString(kt[h+1:])
			t.Upper = unicode.IsUpper(r)
		}
	} else {
		t.Def = isDefinite(t.Fold)
	}
	if t.Key != "" {
		n := len(src.forms)
		src.forms = names.AppendVariants(src.forms, t.Key)
		t.forms = src.forms[n:len(src.forms):len(src.forms)]
	}
	if src.lex != nil {
		src.lex.classify(&t)
	}
	return t
}

// isDefinite reports a folded Arabic word with the article, possibly behind
// one or two proclitics: "ال…", "وال…", "بال…", "وبال…", "لل…".
func isDefinite(fold string) bool {
	rest := fold
	for k := 0; k <= 2 && rest != ""; k++ {
		// At least four runes: a rune takes at most four bytes.
		if len(rest) >= 16 || utf8.RuneCountInString(rest) >= 4 {
			if strings.HasPrefix(rest, "ال") || k < 2 && strings.HasPrefix(rest, "لل") {
				return true
			}
		}
		r, n := utf8.DecodeRuneInString(rest)
		if !strings.ContainsRune("وفبكل", r) {
			return false
		}
		rest = rest[n:]
	}
	return false
}

// DetectLanguage guesses "ar" or "en" from the script of the letters.
func DetectLanguage(text string) string {
	ar, lat := 0, 0
	for i, r := range text {
		if i > 1<<16 {
			break
		}
		switch {
		case names.IsArabicLetter(r):
			ar++
		case isLatinLetter(r):
			lat++
		}
	}
	if ar > 0 && ar*2 >= lat {
		return "ar"
	}
	return "en"
}

// ProcliticRunes counts the runes at the start of the token that come before
// form, one of its Forms: for "وبالقيادة" matched as "قياده" it is 2 ("وب"),
// keeping the article with the name. It is 0 when form is the whole word.
func (t *Token) ProcliticRunes(form string) int {
	f := []rune(t.Fold)
	v := []rune(form)
	p := len(f) - len(v)
	if p <= 0 || string(f[p:]) != form {
		return 0
	}
	if p >= 2 && f[p-2] == 'ا' && f[p-1] == 'ل' {
		p -= 2
	}
	// Map folded runes back to runes of the text: marks fold to nothing.
	// Marks after the last proclitic letter belong to it.
	count := 0
	for i, r := range []rune(t.Text) {
		n := 0
		if !unicode.Is(unicode.Cf, r) {
			n = len([]rune(names.FoldRune(r)))
		}
		if count >= p && n > 0 {
			return i
		}
		count += n
	}
	return 0
}
