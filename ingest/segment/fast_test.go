package segment

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/polgraph/polgraph/graph/names"
)

// Split cuts token texts from the text and keys each word in one pass;
// checkSplit holds it to the plain definitions: every text is its rune
// slice, every key what graph/names gives for the word, every flag what the
// rune-by-rune rule says.
func checkSplit(t *testing.T, text string) {
	t.Helper()
	runes := []rune(text)
	sents := Split(text)
	if !reflect.DeepEqual(sents, SplitRunes(text, runes)) {
		t.Fatalf("SplitRunes differs from Split on %q", text)
	}
	if offsets := byteOffsets(text); offsets != nil && !reflect.DeepEqual(sents, new(Splitter).SplitAt(text, runes, offsets)) {
		t.Fatalf("SplitAt differs from Split on %q", text)
	}
	for _, s := range sents {
		if s.Text != string(runes[s.Start:s.End]) {
			t.Fatalf("sentence %q is not the slice [%d,%d) of %q", s.Text, s.Start, s.End, text)
		}
		if want := Tokenize(runes, s.Start, s.End); !reflect.DeepEqual(s.Tokens, want) && len(want) > 0 {
			t.Fatalf("Split's tokens of %q differ from Tokenize's:\n%+v\n%+v", s.Text, s.Tokens, want)
		}
		for _, k := range s.Tokens {
			checkToken(t, runes, k)
		}
	}
}

// byteOffsets are the offsets SplitAt takes, nil for a text that is not
// valid UTF-8.
func byteOffsets(text string) []int {
	if !utf8.ValidString(text) {
		return nil
	}
	var offsets []int
	for i := range text {
		offsets = append(offsets, i)
	}
	return append(offsets, len(text))
}

func checkToken(t *testing.T, runes []rune, k Token) {
	t.Helper()
	if k.Text != string(runes[k.Start:k.End]) {
		t.Fatalf("token %q is not the slice [%d,%d)", k.Text, k.Start, k.End)
	}
	if k.Punct {
		if k.Fold != "" || k.Key != "" || k.Forms() != nil {
			t.Fatalf("punctuation %q has keys", k.Text)
		}
		return
	}
	kt := plainKeyText(k.Text)
	if got := KeyText(k.Text); got != kt {
		t.Fatalf("KeyText(%q) = %q, want %q", k.Text, got, kt)
	}
	if k.Fold != names.Fold(kt) || k.Key != strings.Join(names.Tokens(kt), " ") {
		t.Fatalf("%q: Fold %q Key %q, want %q %q", k.Text, k.Fold, k.Key, names.Fold(kt), names.Key(kt))
	}
	var forms []string
	if k.Key != "" {
		forms = names.Variants(k.Key)
	}
	if !reflect.DeepEqual(k.Forms(), forms) {
		t.Fatalf("%q: Forms %q, want %q", k.Text, k.Forms(), forms)
	}
	rs := []rune(kt)
	arabic, digits, caps := false, true, 0
	for _, r := range rs {
		arabic = arabic || names.IsArabicLetter(r)
		digits = digits && unicode.IsDigit(r)
		if r < 0x250 && unicode.IsUpper(r) {
			caps++
		}
	}
	upper, def := false, false
	if !arabic {
		upper = unicode.IsUpper(rs[0])
		if h := strings.IndexRune(kt, '-'); !upper && h > 0 && h <= 3 && h+1 < len(kt) {
			upper = unicode.IsUpper([]rune(kt[h+1:])[0])
		}
	} else {
		def = plainIsDefinite(k.Fold)
	}
	if k.Arabic != arabic || k.Digits != digits || k.Caps != caps || k.Upper != upper || k.Def != def {
		t.Fatalf("%q: Arabic %v Digits %v Caps %d Upper %v Def %v, want %v %v %d %v %v",
			k.Text, k.Arabic, k.Digits, k.Caps, k.Upper, k.Def, arabic, digits, caps, upper, def)
	}
}

func plainKeyText(s string) string {
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

func plainIsDefinite(fold string) bool {
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

var splitSamples = []string{
	"قال حفتر. هل وافق؟ نعم؛ وافق!",
	"Lt. Gen. Khaled Haftar met Maj. Gen. al-Mahjoub's aide. They agreed.",
	"وبالقيادة للجيش والاتفاق ٥+٥ حف\u200cتر \u200f«مُصْراتة»، ـــ Ḥaftar",
	"bad \xff utf-8 وال\xfeقيادة. Next",
	"\n\n...\nنص\n", "", "Straße ÆØ İstanbul \u212a 1.5 U.S. A. Bathily",
}

func TestSplitMatchesPlainDefinitions(t *testing.T) {
	for _, s := range splitSamples {
		checkSplit(t, s)
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "articles", "*.json"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkSplit(t, string(data))
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range splitSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkSplit(t, s) })
}
