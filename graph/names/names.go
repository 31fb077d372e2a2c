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

// FoldRune folds one rune for matching; it returns "" for runes to drop.
func FoldRune(r rune) string {
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

// Fold folds a whole string for matching: tashkeel and tatweel dropped,
// letter variants unified, Latin lower-cased without diacritics.
func Fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteString(FoldRune(r))
	}
	return b.String()
}

// latinParticles are the article forms of transliterated names ("al-Kabir",
// "el Sonni"); they carry nothing for matching.
var latinParticles = map[string]bool{"al": true, "el": true, "al-": true, "el-": true}

// Tokens splits s into folded word tokens, dropping the Arabic article from
// each Arabic token and Latin article particles, so "خالد المحجوب" gives
// [خالد محجوب] and "Khaled al-Mahjoub" gives [khaled mahjoub].
func Tokens(s string) []string {
	var out []string
	for _, raw := range splitWords(s) {
		t := Fold(raw)
		if t == "" {
			continue
		}
		if isArabicWord(t) {
			t = stripArticle(t)
		} else {
			// "al-Kabir" arrives as one word: drop the particle before the hyphen.
			for _, p := range []string{"al-", "el-", "as-", "ad-", "ash-", "ar-", "az-", "at-"} {
				if strings.HasPrefix(t, p) && len(t) > len(p)+1 {
					t = t[len(p):]
					break
				}
			}
			t = strings.Trim(t, "-")
			if latinParticles[t] || t == "" {
				continue
			}
		}
		out = append(out, t)
	}
	return out
}

// Key is the folded, article-free form of a whole name: equal keys are the
// same name written differently.
func Key(s string) string { return strings.Join(Tokens(s), " ") }

// splitWords cuts s at anything that is neither a letter, a digit, a
// combining mark nor an in-word hyphen or apostrophe.
func splitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) ||
			r == '-' || r == '\'' || r == '’' || r == 'ʿ' || r == 'ʾ' || r == 0x0640)
	})
}

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
	r := []rune(t)
	if len(r) >= 5 && r[0] == 'ا' && r[1] == 'ل' {
		return string(r[2:])
	}
	return t
}

// Variants returns the forms an Arabic query token may stand for once its
// proclitics are peeled: "وحفتر" → [وحفتر حفتر], "لحفتر" → [لحفتر حفتر],
// "وبالقيادة" → [... قياده]. The token itself is always first. Latin tokens
// have one variant, themselves.
func Variants(token string) []string {
	out := []string{token}
	if !isArabicWord(token) {
		return out
	}
	seen := map[string]bool{token: true}
	add := func(s string) {
		if len([]rune(s)) >= 2 && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	var peel func(s string, depth int)
	peel = func(s string, depth int) {
		r := []rune(s)
		if len(r) < 3 || depth > 2 {
			return
		}
		// لل is ل + ال with the alef dropped ("للجيش" = "ل" + "الجيش").
		if r[0] == 'ل' && r[1] == 'ل' && len(r) >= 4 {
			add(string(r[2:]))
		}
		switch r[0] {
		case 'و', 'ف', 'ب', 'ل', 'ك':
			rest := string(r[1:])
			add(rest)
			add(stripArticle(rest))
			peel(rest, depth+1)
		}
	}
	peel(token, 0)
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
	t := token
	for _, p := range [][2]string{{"ou", "u"}, {"ee", "i"}, {"kh", "k"}, {"gh", "g"}, {"q", "k"}, {"g", "k"}, {"dh", "d"}, {"th", "t"}, {"sh", "s"}, {"ph", "f"}, {"ck", "k"}, {"-", ""}, {"'", ""}} {
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

// Score rates how well a query matches one name, in [0, 1]; 0 means no match.
// Exact key equality scores 1; every query token found as a folded token
// scores by the share of the name covered; a match that needs skeletons or
// proclitic peeling scores lower.
func Score(query, name string) float64 {
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
		if s := Skeleton(t); s != "" {
			skel[s] = true
		}
	}
	queryTokens := Tokens(query)
	penalty := 0.0
	for _, qt := range queryTokens {
		switch {
		case exact[qt]:
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
