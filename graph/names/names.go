// Package names turns a name in Arabic or Latin script into the matching keys
// that search and entity resolution share, so that "حفتر", "وحفتر", "Haftar"
// and "Hifter" meet. It holds normalisation only: no gazetteer, no store.
//
// Keys are stored by both graph backends; changing what Tokens or Skeleton
// return for an input changes what existing data matches, so treat their
// outputs as persisted.
package names

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// arabicFold maps letter variants that writers use interchangeably to one
// form. ة→ه and ى→ي lose information, which is why they are applied to
// matching keys only, never to displayed names.
var arabicFold = map[rune]rune{
	'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا',
	'ى': 'ي', 'ة': 'ه', 'ؤ': 'و', 'ئ': 'ي',
	'ک': 'ك', 'ی': 'ي', 'گ': 'ك', 'ڤ': 'ف', 'پ': 'ب', 'چ': 'ج',
}

// latinFold strips the diacritics of Latin letters seen in transliterated
// Arabic names (including scholarly ḥ ṭ ṣ ḍ ẓ) without pulling in a Unicode
// normalisation table.
var latinFold = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a",
	'ç': "c", 'ć': "c", 'č': "c",
	'ḍ': "d", 'đ': "d", 'ḏ': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ė': "e", 'ę': "e", 'ě': "e",
	'ğ': "g", 'ġ': "g",
	'ḥ': "h", 'ḫ': "h",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'ı': "i",
	'ñ': "n", 'ń': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ō': "o", 'ø': "o",
	'ś': "s", 'š': "s", 'ş': "s", 'ṣ': "s",
	'ṭ': "t", 'ţ': "t", 'ṯ': "t",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u",
	'ý': "y", 'ÿ': "y",
	'ẓ': "z", 'ž': "z", 'ż': "z", 'ź': "z",
	'ß': "ss", 'æ': "ae", 'œ': "oe",
}

// IsArabicLetter reports whether r is a letter of the Arabic block.
func IsArabicLetter(r rune) bool {
	return (r >= 0x0621 && r <= 0x064A) || (r >= 0x0671 && r <= 0x06D3) || r == 0x06D5
}

// isArabicMark reports tashkeel, the superscript alef and tatweel: marks that
// never distinguish names.
func isArabicMark(r rune) bool {
	return (r >= 0x064B && r <= 0x065F) || r == 0x0670 || r == 0x0640 ||
		(r >= 0x06D6 && r <= 0x06ED)
}

// foldRune is the folding rule of FoldRune; FoldRune answers from tables
// built from it for ASCII and the Arabic block.
func foldRune(r rune) string {
	if isArabicMark(r) {
		return ""
	}
	if f, ok := arabicFold[r]; ok {
		return string(f)
	}
	if r < 0x80 {
		return string(unicode.ToLower(r))
	}
	if f, ok := latinFold[unicode.ToLower(r)]; ok {
		return f
	}
	if r == 'ʿ' || r == 'ʾ' || r == '\'' || r == '’' || r == '‘' || r == '`' {
		return ""
	}
	return string(unicode.ToLower(r))
}

// arabicBlock is where Arabic text spends its runes: U+0600–U+06FF.
const arabicBlock = 0x0600

// asciiFolds and arabicFolds hold foldRune of every rune below 0x80 and of
// the Arabic block, so folding the common runes neither allocates nor looks
// up a map. arabicRunes holds the same for the block as a rune, -1 for a
// rune that folds to nothing; wordRunes reports the block's word runes (see
// isWordRune).
var (
	asciiFolds  [0x80]string
	arabicFolds [0x100]string
	arabicRunes [0x100]rune
	wordRunes   [0x100]bool
)

func init() {
	for r := rune(0); r < 0x80; r++ {
		asciiFolds[r] = foldRune(r)
	}
	for i := range arabicFolds {
		r := arabicBlock + rune(i)
		f := foldRune(r)
		arabicFolds[i] = f
		switch utf8.RuneCountInString(f) {
		case 0:
			arabicRunes[i] = -1
		case 1:
			arabicRunes[i], _ = utf8.DecodeRuneInString(f)
		default:
			panic("names: an Arabic rune folds to more than one rune")
		}
		wordRunes[i] = isWordRuneSlow(r)
	}
}

// FoldRune folds one rune for matching; it returns "" for runes to drop.
func FoldRune(r rune) string {
	if r >= 0 && r < 0x80 {
		return asciiFolds[r]
	}
	if r >= arabicBlock && r < arabicBlock+0x100 {
		return arabicFolds[r-arabicBlock]
	}
	return foldRune(r)
}

// Fold folds a whole string for matching: tashkeel and tatweel dropped,
// letter variants unified, Latin lower-cased without diacritics. A string
// that folding leaves unchanged is returned as is, without allocating.
func Fold(s string) string {
	i := foldedPrefix(s)
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case r < 0x80:
			b.WriteString(asciiFolds[r])
		case r >= arabicBlock && r < arabicBlock+0x100:
			if f := arabicRunes[r-arabicBlock]; f >= 0 {
				b.WriteRune(f)
			}
		default:
			b.WriteString(foldRune(r))
		}
	}
	return b.String()
}

// foldedPrefix returns the length in bytes of the longest prefix of s that
// folding leaves unchanged.
func foldedPrefix(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if 'A' <= c && c <= 'Z' {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			return i // invalid UTF-8 folds to U+FFFD
		case r >= arabicBlock && r < arabicBlock+0x100:
			if arabicRunes[r-arabicBlock] != r {
				return i
			}
		default:
			if foldRune(r) != s[i:i+n] {
				return i
			}
		}
		i += n
	}
	return len(s)
}

// latinParticles are the article forms of transliterated names ("al-Kabir",
// "el Sonni"); they carry nothing for matching.
var latinParticles = map[string]bool{"al": true, "el": true, "al-": true, "el-": true}

// latinArticles are the particles glued to a transliterated name by a hyphen.
var latinArticles = [...]string{"al-", "el-", "as-", "ad-", "ash-", "ar-", "az-", "at-"}

// Tokens splits s into folded word tokens, dropping the Arabic article from
// each Arabic token and Latin article particles, so "خالد المحجوب" gives
// [خالد محجوب] and "Khaled al-Mahjoub" gives [khaled mahjoub].
func Tokens(s string) []string {
	var buf [8]string // most names: one allocation, of the right size
	out := buf[:0]
	for i := 0; i < len(s); {
		var raw string
		raw, i = nextWord(s, i)
		if t, ok := token(Fold(raw)); ok {
			out = append(out, t)
		}
	}
	return append([]string(nil), out...)
}

// token turns one folded word into its token; false when nothing is left.
func token(t string) (string, bool) {
	if t == "" {
		return "", false
	}
	if isArabicWord(t) {
		return stripArticle(t), true
	}
	// "al-Kabir" arrives as one word: drop the particle before the hyphen.
	// Every particle starts with a or e and has its hyphen in the first
	// four bytes.
	if len(t) > 3 && (t[0] == 'a' || t[0] == 'e') && strings.IndexByte(t[:4], '-') > 0 {
		for _, p := range latinArticles {
			if strings.HasPrefix(t, p) && len(t) > len(p)+1 {
				t = t[len(p):]
				break
			}
		}
	}
	t = strings.Trim(t, "-")
	if latinParticles[t] || t == "" {
		return "", false
	}
	return t, true
}

// Key is the folded, article-free form of a whole name: equal keys are the
// same name written differently.
func Key(s string) string {
	var one string
	n := 0
	for i := 0; i < len(s); {
		var raw string
		raw, i = nextWord(s, i)
		if t, ok := token(Fold(raw)); ok {
			if n++; n == 1 {
				one = t
			} else {
				return strings.Join(Tokens(s), " ")
			}
		}
	}
	return one
}

// FoldKey returns Fold(s) and Key(s) of one word, folding it only once when
// it holds no separator, as the words a tokeniser cuts usually do.
func FoldKey(s string) (fold, key string) {
	fold = Fold(s)
	if w, _ := nextWord(s, 0); w != s {
		return fold, Key(s)
	}
	if t, ok := token(fold); ok {
		key = t
	}
	return fold, key
}

// nextWord returns the first word of s[i:] and the offset after it; the
// word is "" when only separators remain.
func nextWord(s string, i int) (string, int) {
	for i < len(s) {
		n := wordRuneAt(s, i)
		if n > 0 {
			break
		}
		i -= n
	}
	start := i
	for i < len(s) {
		n := wordRuneAt(s, i)
		if n < 0 {
			break
		}
		i += n
	}
	return s[start:i], i
}

// wordRuneAt returns the size of the rune at s[i], negated when it is a
// separator.
func wordRuneAt(s string, i int) int {
	c := s[i]
	if c < 0x80 {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '\'' {
			return 1
		}
		return -1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if r >= arabicBlock && r < arabicBlock+0x100 {
		if wordRunes[r-arabicBlock] {
			return n
		}
		return -n
	}
	if isWordRuneSlow(r) {
		return n
	}
	return -n
}

// isWordRuneSlow reports the runes that make up words: letters, digits,
// combining marks and in-word hyphens and apostrophes. Anything else
// separates words.
func isWordRuneSlow(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) ||
		r == '-' || r == '\'' || r == '’' || r == 'ʿ' || r == 'ʾ' || r == 0x0640
}

// HasArabic reports whether s holds an Arabic letter: a name that does is
// written in Arabic script, one that does not in Latin script.
func HasArabic(s string) bool { return isArabicWord(s) }

func isArabicWord(t string) bool {
	for _, r := range t {
		if IsArabicLetter(r) {
			return true
		}
	}
	return false
}

// stripArticle removes a leading ال when enough of the word remains to be a
// word ("المحجوب" → "محجوب", but "الله" stays).
func stripArticle(t string) string {
	if strings.HasPrefix(t, "ال") && utf8.RuneCountInString(t) >= 5 {
		return t[len("ال"):]
	}
	return t
}

// Variants returns the forms an Arabic query token may stand for once its
// proclitics are peeled: "وحفتر" → [وحفتر حفتر], "لحفتر" → [لحفتر حفتر],
// "وبالقيادة" → [... قياده]. The token itself is always first. Latin tokens
// have one variant, themselves.
func Variants(token string) []string { return AppendVariants(nil, token) }

// AppendVariants appends the Variants of token to dst, so that the forms of
// many tokens can share one array.
func AppendVariants(dst []string, token string) []string {
	base := len(dst)
	out := append(dst, token)
	if !isArabicWord(token) {
		return out
	}
	add := func(s string) {
		if utf8.RuneCountInString(s) < 2 {
			return
		}
		for _, v := range out[base:] {
			if v == s {
				return
			}
		}
		out = append(out, s)
	}
	// Peel one proclitic at a time, at most three. Variants of a token that
	// is not valid UTF-8 carry U+FFFD for each bad byte, as []rune has it.
	s := token
	if !utf8.ValidString(s) {
		s = string([]rune(s))
	}
	for depth := 0; depth <= 2; depth++ {
		n := utf8.RuneCountInString(s)
		if n < 3 {
			break
		}
		r0, w0 := utf8.DecodeRuneInString(s)
		r1, w1 := utf8.DecodeRuneInString(s[w0:])
		// لل is ل + ال with the alef dropped ("للجيش" = "ل" + "الجيش").
		if r0 == 'ل' && r1 == 'ل' && n >= 4 {
			add(s[w0+w1:])
		}
		switch r0 {
		case 'و', 'ف', 'ب', 'ل', 'ك':
		default:
			return out
		}
		s = s[w0:]
		add(s)
		add(stripArticle(s))
	}
	return out
}

// Skeleton is a loose phonetic key for Latin transliterations: vowels after
// the first letter dropped, doubled letters collapsed, and the letter pairs
// that transliteration schemes swap unified, so Haftar, Hifter and Hiftar
// share "hftr" and Misrata, Misurata and Misratah share "msrt". Arabic tokens
// have no skeleton: their folding already unifies spelling.
func Skeleton(token string) string {
	if token == "" || isArabicWord(token) {
		return ""
	}
	var buf [64]byte
	if len(token) > len(buf) || !isASCII(token) {
		return skeletonOf(token)
	}
	// The same steps as skeletonOf, in place on the bytes. seen has a bit
	// for every byte that is or was in b, so most pairs are skipped.
	b := append(buf[:0], token...)
	var seen [2]uint64
	for _, c := range b {
		seen[c>>6] |= 1 << (c & 63)
	}
	for _, p := range skeletonPairs {
		if c := p[0][0]; seen[c>>6]&(1<<(c&63)) == 0 {
			continue
		}
		b = replaceShorter(b, p[0], p[1])
		for i := 0; i < len(p[1]); i++ {
			c := p[1][i]
			seen[c>>6] |= 1 << (c & 63)
		}
	}
	if n := len(b); n > 2 && b[n-1] == 'h' && strings.IndexByte("aeiou", b[n-2]) >= 0 {
		b = b[:n-1]
	}
	w := 0
	var last byte
	for i, c := range b {
		if i > 0 && strings.IndexByte("aeiouyw", c) >= 0 || c == last {
			continue
		}
		b[w] = c
		w++
		last = c
	}
	return string(b[:w])
}

// skeletonPairs are the spelling variants Skeleton unifies, replaced in
// this order.
var skeletonPairs = [...][2]string{{"ou", "u"}, {"ee", "i"}, {"kh", "k"}, {"gh", "g"}, {"q", "k"}, {"g", "k"}, {"dh", "d"}, {"th", "t"}, {"sh", "s"}, {"ph", "f"}, {"ck", "k"}, {"-", ""}, {"'", ""}}

// skeletonOf is Skeleton for any token, on strings.
func skeletonOf(token string) string {
	t := token
	for _, p := range skeletonPairs {
		t = strings.ReplaceAll(t, p[0], p[1])
	}
	// A final h after a vowel is a transliterated ة or ه: Misratah = Misrata.
	if n := len(t); n > 2 && t[n-1] == 'h' && strings.ContainsRune("aeiou", rune(t[n-2])) {
		t = t[:n-1]
	}
	var b strings.Builder
	var last rune
	for i, r := range t {
		if i > 0 && strings.ContainsRune("aeiouyw", r) {
			continue
		}
		if r == last {
			continue
		}
		b.WriteRune(r)
		last = r
	}
	return b.String()
}

// replaceShorter is strings.ReplaceAll on bytes, in place: repl is no
// longer than old.
func replaceShorter(b []byte, old, repl string) []byte {
	w := 0
	for r := 0; r < len(b); {
		if r+len(old) <= len(b) && string(b[r:r+len(old)]) == old {
			w += copy(b[w:], repl)
			r += len(old)
			continue
		}
		b[w] = b[r]
		w++
		r++
	}
	return b[:w]
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// IndexKeys returns every key under which a name is found: its folded tokens
// and, for Latin tokens, their skeletons prefixed with "~". Backends store
// these keys per entity and look candidates up by them.
func IndexKeys(name string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range Tokens(name) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
		if s := Skeleton(t); s != "" && !seen["~"+s] {
			seen["~"+s] = true
			out = append(out, "~"+s)
		}
	}
	return out
}

// QueryKeys returns, for each token of a query, the keys that may match it.
// A name matches the query when every token's set intersects the name's
// IndexKeys.
func QueryKeys(query string) [][]string {
	var out [][]string
	for _, t := range Tokens(query) {
		var keys []string
		for _, v := range Variants(t) {
			keys = append(keys, v)
			if s := Skeleton(v); s != "" {
				keys = append(keys, "~"+s)
			}
		}
		out = append(out, keys)
	}
	return out
}

// QueryKeysExact is QueryKeys for an exact search (ScoreExact): each token
// of the query is its only key, with no proclitics peeled and no skeleton.
func QueryKeysExact(query string) [][]string {
	var out [][]string
	for _, t := range Tokens(query) {
		out = append(out, []string{t})
	}
	return out
}

// Score rates how well a query matches one name, in [0, 1]; 0 means no match.
// Exact key equality scores 1; every query token found as a folded token
// scores by the share of the name covered; a match that needs skeletons or
// proclitic peeling scores lower.
func Score(query, name string) float64 { return score(query, name, false) }

// ScoreExact is Score without spelling variants: every query token must be
// one of the name's tokens once both are folded and stripped of articles
// (case, diacritics, tashkeel, letter variants, al-/ال), with no proclitics
// peeled and no consonant skeletons, so "Hifter" and "وحفتر" do not match
// "Haftar" and "حفتر". A name it matches scores what Score gives it.
func ScoreExact(query, name string) float64 { return score(query, name, true) }

func score(query, name string, exactOnly bool) float64 {
	qk, nk := Key(query), Key(name)
	if qk == "" || nk == "" {
		return 0
	}
	if qk == nk {
		return 1
	}
	nameTokens := Tokens(name)
	exact := map[string]bool{}
	skel := map[string]bool{}
	for _, t := range nameTokens {
		exact[t] = true
		if s := Skeleton(t); s != "" && !exactOnly {
			skel[s] = true
		}
	}
	queryTokens := Tokens(query)
	penalty := 0.0
	for _, qt := range queryTokens {
		switch {
		case exact[qt]:
		case exactOnly:
			return 0
		case anyIn(Variants(qt)[1:], exact):
			penalty += 0.05
		case Skeleton(qt) != "" && skel[Skeleton(qt)]:
			penalty += 0.15
		default:
			return 0
		}
	}
	coverage := float64(len(queryTokens)) / float64(len(nameTokens))
	if coverage > 1 {
		coverage = 1
	}
	s := 0.5 + 0.45*coverage - penalty
	if s < 0.05 {
		s = 0.05
	}
	// Rounded so that equal matches tie exactly and JSON stays readable.
	return math.Round(s*1000) / 1000
}

func anyIn(keys []string, set map[string]bool) bool {
	for _, k := range keys {
		if set[k] {
			return true
		}
	}
	return false
}
