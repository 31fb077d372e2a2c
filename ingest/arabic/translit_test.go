package arabic

import "testing"

func TestTransliterate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"المحجوب", "al-Mahjoub"},
		{"خالد المحجوب", "Khaled al-Mahjoub"},
		{"حفتر", "Haftar"},
		{"الكبير", "al-Kabir"},
		{"عبد الله باتيلي", "Abdullah Batili"},
		{"سالم الزروق", "Salem al-Zarouq"},
		{"عمر الفيتوري", "Omar al-Fitouri"},
		{"محمد", "Mohamed"},
		{"سعيد", "Said"},
		{"Haftar", "Haftar"},
		{"مُحَمَّد", "Mohamed"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Transliterate(tt.in); got != tt.want {
			t.Errorf("Transliterate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsGivenName(t *testing.T) {
	for w, want := range map[string]bool{"وليد": true, "خالد": true, "وقيادات": false, "أحمد": true} {
		if got := IsGivenName(w); got != want {
			t.Errorf("IsGivenName(%q) = %v, want %v", w, got, want)
		}
	}
}
