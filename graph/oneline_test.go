package graph

import "testing"

func TestOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"Khaled Haftar":              "Khaled Haftar",
		"Khaled  Haftar":             "Khaled  Haftar", // no control character: as it is
		"Khaled\nHaftar":             "Khaled Haftar",
		"Khaled\r\n  Haftar\f":       "Khaled Haftar",
		"\tخالد\vحفتر":               "خالد حفتر",
		"Nul\x00Byte\x1b[0m":         "NulByte[0m",
		"Windows\u0092 quote\u0085x": "Windows\u0092 quote\u0085x",
	} {
		got := OneLine(in)
		if got != want {
			t.Errorf("OneLine(%q) = %q, want %q", in, got, want)
		}
		e := Entity{ID: EntityID(KindPerson, "x"), Kind: KindPerson, Name: got}
		if msg := checkEntity(&e); msg != "" {
			t.Errorf("OneLine(%q) = %q, which Validate refuses: %s", in, got, msg)
		}
	}
}
