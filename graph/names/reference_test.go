package names

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
)

// The functions below are the plain implementations that the fast ones in
// names.go replaced (rune by rune, map lookups, FieldsFunc, []rune). Keys
// are persisted, so the fast versions must agree with them on every input;
// TestFastMatchesReference and FuzzFastMatchesReference check that.

func refFoldRune(r rune) string {
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

func refFold(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteString(refFoldRune(r))
	}
	return b.String()
}

func refTokens(s string) []string {
	var out []string
	for _, raw := range refSplitWords(s) {
		t := refFold(raw)
		if t == "" {
			continue
		}
		if isArabicWord(t) {
			t = refStripArticle(t)
		} else {
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

func refKey(s string) string { return strings.Join(refTokens(s), " ") }

func refSplitWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) ||
			r == '-' || r == '\'' || r == '’' || r == 'ʿ' || r == 'ʾ' || r == 0x0640)
	})
}

func refStripArticle(t string) string {
	r := []rune(t)
	if len(r) >= 5 && r[0] == 'ا' && r[1] == 'ل' {
		return string(r[2:])
	}
	return t
}

func refVariants(token string) []string {
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
		if r[0] == 'ل' && r[1] == 'ل' && len(r) >= 4 {
			add(string(r[2:]))
		}
		switch r[0] {
		case 'و', 'ف', 'ب', 'ل', 'ك':
			rest := string(r[1:])
			add(rest)
			add(refStripArticle(rest))
			peel(rest, depth+1)
		}
	}
	peel(token, 0)
	return out
}

func refSkeleton(token string) string {
	if token == "" || isArabicWord(token) {
		return ""
	}
	t := token
	for _, p := range [][2]string{{"ou", "u"}, {"ee", "i"}, {"kh", "k"}, {"gh", "g"}, {"q", "k"}, {"g", "k"}, {"dh", "d"}, {"th", "t"}, {"sh", "s"}, {"ph", "f"}, {"ck", "k"}, {"-", ""}, {"'", ""}} {
		t = strings.ReplaceAll(t, p[0], p[1])
	}
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

// checkAgainstReference compares every fast function with its reference on s.
func checkAgainstReference(t *testing.T, s string) {
	t.Helper()
	for _, r := range s {
		if got, want := FoldRune(r), refFoldRune(r); got != want {
			t.Fatalf("FoldRune(%U) = %q, reference %q", r, got, want)
		}
	}
	if got, want := Fold(s), refFold(s); got != want {
		t.Fatalf("Fold(%q) = %q, reference %q", s, got, want)
	}
	if got, want := Tokens(s), refTokens(s); !reflect.DeepEqual(got, want) {
		t.Fatalf("Tokens(%q) = %q, reference %q", s, got, want)
	}
	if got, want := Key(s), refKey(s); got != want {
		t.Fatalf("Key(%q) = %q, reference %q", s, got, want)
	}
	if f, k := FoldKey(s); f != refFold(s) || k != refKey(s) {
		t.Fatalf("FoldKey(%q) = %q, %q, reference %q, %q", s, f, k, refFold(s), refKey(s))
	}
	for _, v := range append([]string{s, refFold(s)}, refTokens(s)...) {
		if got, want := Skeleton(v), refSkeleton(v); got != want {
			t.Fatalf("Skeleton(%q) = %q, reference %q", v, got, want)
		}
	}
	for _, v := range []string{s, refFold(s), refKey(s)} {
		if got, want := Variants(v), refVariants(v); !reflect.DeepEqual(got, want) {
			t.Fatalf("Variants(%q) = %q, reference %q", v, got, want)
		}
		prefix := []string{"x", v}
		if got, want := AppendVariants(prefix, v), append(prefix, refVariants(v)...); !reflect.DeepEqual(got, want) {
			t.Fatalf("AppendVariants(%q, %q) = %q, want %q", prefix, v, got, want)
		}
	}
}

// referenceSamples are words and names that exercise each branch: marks,
// letter variants, proclitics, Latin diacritics and particles, separators,
// runes that fold to several or no runes, invalid UTF-8.
var referenceSamples = []string{
	"", " ", "خالد المحجوب", "حَفْتَر", "أسامة حمّاد", "مصطفى", "وبالقيادة", "للجيش", "فبحفتر",
	"ولل", "لل", "كال", "الله", "ال", "وال", "ـــ", "مـصـراتـة", "ٱلرَّحْمَٰن", "گ", "ۖ",
	"Khaled al-Mahjoub", "El Sonni", "el-", "al", "-al-", "Ḥaftar", "ʿAbd", "Qaddafi’s", "ṭ‘ṣ`ẓ",
	"Straße", "ÆØ", "İstanbul", "\u212a", "a‘b", "5+5", "٥+٥", "\xff\xfe", "ح\xffف", "\uFFFD",
	"حف\u200cتر", "x-y-z", "'", "--", "Dbeibah, Menfi; Tetteh.",
	"misratah", "khouqh", "sheekh-gh'q", "aaaa", "ah", "oh", "\x00a", "ckkh", "al-a", "el-", "at-t", "ash-sharif",
	"haftar hifter hiftar haftir misurata aguila aqila dbeibah dbaiba", "thoughquakeeep",
}

func TestFastMatchesReference(t *testing.T) {
	for _, s := range referenceSamples {
		checkAgainstReference(t, s)
	}
	for r := rune(0); r < 0x3000; r++ {
		checkAgainstReference(t, string(r))
		checkAgainstReference(t, "وال"+string(r)+"ب")
	}
	// Every word of the shared corpus, when it is here.
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "articles", "*.json"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range strings.Fields(string(data)) {
			checkAgainstReference(t, w)
		}
	}
}

func FuzzFastMatchesReference(f *testing.F) {
	for _, s := range referenceSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkAgainstReference(t, s) })
}
