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
	Punct     bool // not a word
	Arabic    bool // contains Arabic letters
	Upper     bool // a Latin word starting with an upper-case letter
	Caps      int  // number of upper-case Latin letters
	Digits    bool // only digits
	// Def reports an Arabic word carrying the article (after any
	// proclitics): "الاتفاق", "والقيادة", "للجيش".
	Def bool

	forms []string
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

// HasForm reports whether any of the word's forms is one of keys.
func (t *Token) HasForm(keys map[string]bool) bool {
	for _, f := range t.Forms() {
		if keys[f] {
			return true
		}
	}
	return false
}

// Split cuts text into sentences and tokenises each one. Offsets are runes.
func Split(text string) []Sentence {
	runes := []rune(text)
	var out []Sentence
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
		s := Sentence{Index: len(out), Start: from, End: to, Text: string(runes[from:to])}
		s.Tokens = Tokenize(runes, from, to)
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
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) ||
		r == 0x0640 || unicode.Is(unicode.Cf, r)
}

// isJoiner reports runes kept inside a word when letters stand on both
// sides: "al-Kikli", "Abdel-Ghani", "Qaddafi's" is handled apart.
func isJoiner(r rune) bool { return r == '-' || r == '\'' || r == '’' || r == 'ʿ' || r == 'ʾ' }

// Tokenize tokenises runes[from:to]; offsets are into runes.
func Tokenize(runes []rune, from, to int) []Token {
	var out []Token
	i := from
	for i < to {
		r := runes[i]
		if unicode.IsSpace(r) || (unicode.Is(unicode.Cf, r) && (i+1 >= to || !isWordRune(runes[i+1]))) {
			i++
			continue
		}
		if !isWordRune(r) {
			out = append(out, punct(runes, i, i+1))
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
		for ws < we && unicode.Is(unicode.Cf, runes[ws]) {
			ws++
		}
		for we > ws && unicode.Is(unicode.Cf, runes[we-1]) {
			we--
		}
		if ws < we {
			out = append(out, word(runes, ws, we))
		}
		if poss > 0 {
			t := punct(runes, j-2, j)
			out = append(out, t)
		}
		i = j
	}
	return out
}

func punct(runes []rune, i, j int) Token {
	return Token{Text: string(runes[i:j]), Start: i, End: j, Punct: true}
}

// KeyText is the text a word's keys derive from: format characters dropped
// and Arabic-Indic digits written as ASCII, so "٥+٥" meets "5+5".
func KeyText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Cf, r):
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

func word(runes []rune, i, j int) Token {
	text := string(runes[i:j])
	kt := KeyText(text)
	t := Token{Text: text, Start: i, End: j, Fold: names.Fold(kt)}
	if ks := names.Tokens(kt); len(ks) > 0 {
		t.Key = strings.Join(ks, " ")
	}
	t.Digits = true
	for _, r := range kt {
		if names.IsArabicLetter(r) {
			t.Arabic = true
		}
		if !unicode.IsDigit(r) {
			t.Digits = false
		}
		if r < 0x250 && unicode.IsUpper(r) {
			t.Caps++
		}
	}
	if !t.Arabic {
		rs := []rune(kt)
		t.Upper = unicode.IsUpper(rs[0])
		// "al-Mahjoub", "el-Sonni": the particle is lower case, the name not.
		if h := strings.IndexRune(kt, '-'); !t.Upper && h > 0 && h <= 3 && h+1 < len(kt) {
			t.Upper = unicode.IsUpper([]rune(kt[h+1:])[0])
		}
	} else {
		t.Def = isDefinite(t.Fold)
	}
	if t.Key != "" {
		t.forms = names.Variants(t.Key)
	}
	return t
}

// isDefinite reports a folded Arabic word with the article, possibly behind
// one or two proclitics: "ال…", "وال…", "بال…", "وبال…", "لل…".
func isDefinite(fold string) bool {
	r := []rune(fold)
	for k := 0; k <= 2 && k < len(r); k++ {
		rest := r[k:]
		if len(rest) >= 4 && rest[0] == 'ا' && rest[1] == 'ل' {
			return true
		}
		if k < 2 && len(rest) >= 4 && rest[0] == 'ل' && rest[1] == 'ل' {
			return true
		}
		if !strings.ContainsRune("وفبكل", rest[0]) {
			return false
		}
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
