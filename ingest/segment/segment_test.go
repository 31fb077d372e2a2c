package segment

import (
	"reflect"
	"testing"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"arabic marks", "قال حفتر. هل وافق؟ نعم؛ وافق!", []string{"قال حفتر.", "هل وافق؟", "نعم؛", "وافق!"}},
		{"headline line", "اتفاق حفتر وقيادات مصراتة\nتم الإعلان عن اتفاق.", []string{"اتفاق حفتر وقيادات مصراتة", "تم الإعلان عن اتفاق."}},
		{"abbreviations", "Lt. Gen. Khaled Haftar met Maj. Gen. al-Mahjoub. They agreed.", []string{"Lt. Gen. Khaled Haftar met Maj. Gen. al-Mahjoub.", "They agreed."}},
		{"decimal and initials", "Growth was 5.5 percent, A. Bathily said. Next.", []string{"Growth was 5.5 percent, A. Bathily said.", "Next."}},
		{"closing quote", `He said "enough." Then left.`, []string{`He said "enough."`, "Then left."}},
		{"dot glued to arabic", "الشهر الثاني.ووفقا للاتفاق", []string{"الشهر الثاني.", "ووفقا للاتفاق"}},
		{"blank and punctuation lines", "\n\n...\nنص\n", []string{"نص"}},
		{"crlf", "سطر أول\r\nسطر ثان", []string{"سطر أول", "سطر ثان"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			runes := []rune(tt.text)
			for i, s := range Split(tt.text) {
				if s.Index != i {
					t.Errorf("sentence %d has index %d", i, s.Index)
				}
				if string(runes[s.Start:s.End]) != s.Text {
					t.Errorf("sentence %d text %q is not the slice [%d,%d)", i, s.Text, s.Start, s.End)
				}
				got = append(got, s.Text)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Split(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestTokenize(t *testing.T) {
	type tok struct {
		Text  string
		Key   string
		Punct bool
	}
	tests := []struct {
		name string
		text string
		want []tok
	}{
		{"arabic with proclitic and marks", "وقيادات مُصْراتة،", []tok{{"وقيادات", "وقيادات", false}, {"مُصْراتة", "مصراته", false}, {"،", "", true}}},
		{"article stripped in key", "القيادة العامة", []tok{{"القيادة", "قياده", false}, {"العامة", "عامه", false}}},
		{"latin particle and possessive", "al-Mahjoub's office", []tok{{"al-Mahjoub", "mahjoub", false}, {"'s", "", true}, {"office", "office", false}}},
		{"numbers", "5+5 ٥+٥", []tok{{"5", "5", false}, {"+", "", true}, {"5", "5", false}, {"٥", "5", false}, {"+", "", true}, {"٥", "5", false}}},
		{"hyphen at edge", "الاتفاق -وفق", []tok{{"الاتفاق", "اتفاق", false}, {"-", "", true}, {"وفق", "وفق", false}}},
		{"zero-width non-joiner", "حف\u200cتر", []tok{{"حف\u200cتر", "حفتر", false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runes := []rune(tt.text)
			var got []tok
			for _, k := range Tokenize(runes, 0, len(runes)) {
				if string(runes[k.Start:k.End]) != k.Text {
					t.Errorf("token %q is not the slice [%d,%d)", k.Text, k.Start, k.End)
				}
				got = append(got, tok{k.Text, k.Key, k.Punct})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tokenize(%q)\n got %+v\nwant %+v", tt.text, got, tt.want)
			}
		})
	}
}

func TestTokenFlags(t *testing.T) {
	tests := []struct {
		word       string
		def, upper bool
		forms      []string
	}{
		{"الاتفاق", true, false, []string{"اتفاق"}},
		{"والقيادة", true, false, []string{"والقياده", "القياده", "قياده"}},
		{"للجيش", true, false, []string{"للجيش", "جيش", "لجيش"}},
		{"وقيادات", false, false, []string{"وقيادات", "قيادات"}},
		{"al-Kabir", false, true, []string{"kabir"}},
		{"Haftar", false, true, []string{"haftar"}},
		{"agreement", false, false, []string{"agreement"}},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			runes := []rune(tt.word)
			k := Tokenize(runes, 0, len(runes))[0]
			if k.Def != tt.def || k.Upper != tt.upper {
				t.Errorf("Def=%v Upper=%v, want %v %v", k.Def, k.Upper, tt.def, tt.upper)
			}
			if got := k.Forms(); !reflect.DeepEqual(got, tt.forms) {
				t.Errorf("Forms() = %q, want %q", got, tt.forms)
			}
		})
	}
}

func TestProcliticRunes(t *testing.T) {
	tests := []struct {
		word, form string
		want       int
	}{
		{"وقيادات", "قيادات", 1},
		{"وبالقيادة", "قياده", 2},    // keeps the article: "القيادة"
		{"وَبِالقِيادة", "قياده", 4}, // marks count as runes of the text
		{"لحفتر", "حفتر", 1},
		{"حفتر", "حفتر", 0},
	}
	for _, tt := range tests {
		runes := []rune(tt.word)
		k := Tokenize(runes, 0, len(runes))[0]
		if got := k.ProcliticRunes(tt.form); got != tt.want {
			t.Errorf("%s.ProcliticRunes(%s) = %d, want %d", tt.word, tt.form, got, tt.want)
		}
	}
}

func TestDetectLanguage(t *testing.T) {
	for text, want := range map[string]string{
		"تم الإعلان عن اتفاق":            "ar",
		"The agreement was announced":    "en",
		"قال Haftar إن الاتفاق صامد":     "ar",
		"UNSMIL said (البعثة) it was ok": "en",
		"12345":                          "en",
	} {
		if got := DetectLanguage(text); got != want {
			t.Errorf("DetectLanguage(%q) = %q, want %q", text, got, want)
		}
	}
}
