package names

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/ar"
)

// Fold does its own Arabic normalisation rather than calling bleve's
// ArabicNormalizeFilter (the Lucene ArabicNormalizer) for three reasons:
//
//   - graph imports only the standard library and uuid; bleve's analysis
//     packages bring its index, geo and storage modules with them.
//   - bleve's rules are a subset of ours: it unifies آ أ إ → ا, ى → ي,
//     ة → ه and drops tatweel and the eight harakat U+064B–U+0652, but
//     keeps ؤ ئ ٱ, the Persian letters ک ی گ ڤ پ چ, the other marks
//     (U+0653–U+065F, the superscript alef U+0670, Quranic marks
//     U+06D6–U+06ED), and Latin, so Fold would still need its own pass.
//   - It converts every term to runes and back; Fold returns a word that
//     is already folded as is, without allocating, which matters on the
//     hot path of extraction (BenchmarkFoldArabic).
//
// TestFoldAgreesWithBleve keeps the two in step instead: Fold unifies
// everything bleve does, and on words our extra rules leave alone the two
// give the same result.
func TestFoldAgreesWithBleve(t *testing.T) {
	words := append([]string{}, bleveSamples...)
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "articles", "*.json"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		words = append(words, strings.FieldsFunc(string(data), func(r rune) bool { return !inArabicBlock(r) })...)
	}
	same := 0
	for _, w := range words {
		b := bleveNormalize(w)
		if Fold(b) != Fold(w) {
			t.Errorf("Fold(%q) = %q but Fold of bleve's %q = %q: bleve unifies what Fold does not", w, Fold(w), b, Fold(b))
		}
		if beyondBleve(w) {
			continue
		}
		same++
		if Fold(w) != b {
			t.Errorf("Fold(%q) = %q, bleve normalises it to %q", w, Fold(w), b)
		}
	}
	t.Logf("%d words, %d compared exactly", len(words), same)
	if same < len(bleveSamples)/2 {
		t.Errorf("only %d of %d words compared", same, len(words))
	}
}

// bleveSamples are Arabic words with each letter variant and mark that
// either normaliser handles.
var bleveSamples = []string{
	"أحمد", "إبراهيم", "آمر", "ٱلله", "مصطفى", "علي", "مصراتة", "طرابلس", "حَفْتَر", "مُحَمَّد",
	"القِيادةُ", "ـــقوات", "مـصـراتـة", "مؤتمر", "رئيس", "هيئة", "كِتاباً", "فوزيٌ", "بنغازيٍ",
	"شؤون", "سئل", "پرویز", "گاز", "ڤيينا", "چاد", "کابل", "الرَّحْمٰن", "قُرْآنٓ", "ۖصلے",
}

func bleveNormalize(w string) string {
	ts := analysis.TokenStream{&analysis.Token{Term: []byte(w)}}
	return string(ar.NewArabicNormalizeFilter().Filter(ts)[0].Term)
}

func inArabicBlock(r rune) bool { return r >= 0x0600 && r <= 0x06FF }

// beyondBleve reports a word that one of the rules Fold has and bleve's
// normaliser lacks applies to.
func beyondBleve(w string) bool {
	for _, r := range w {
		switch {
		case r == 'ؤ' || r == 'ئ' || r == 'ٱ' || r == 'ک' || r == 'ی' || r == 'گ' || r == 'ڤ' || r == 'پ' || r == 'چ':
			return true
		case isArabicMark(r) && !(r >= 0x064B && r <= 0x0652) && r != 0x0640:
			return true
		case !inArabicBlock(r):
			return true
		}
	}
	return false
}

func BenchmarkFoldArabic(b *testing.B) {
	words := strings.Fields("قال رئيس المجلس الرئاسي محمد المنفي إن الاتفاق بين الأطراف الليبية في مدينة سرت يمثل خطوة مهمة")
	b.Run("names.Fold", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, w := range words {
				Fold(w)
			}
		}
	})
	b.Run("bleve", func(b *testing.B) {
		f := ar.NewArabicNormalizeFilter()
		ts := make(analysis.TokenStream, len(words))
		for i := 0; i < b.N; i++ {
			for n, w := range words {
				ts[n] = &analysis.Token{Term: []byte(w)}
			}
			f.Filter(ts)
		}
	})
}
