package gdelt

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/ingest/records"
	"github.com/polgraph/polgraph/internal/shared"
)

// line builds an invented row of n fields with the given values set.
func line(n int, set map[int]string) string {
	f := make([]string, n)
	for i, v := range set {
		f[i] = v
	}
	return strings.Join(f, "\t")
}

func readAll(t *testing.T, text string) ([]Row, []*records.Error) {
	t.Helper()
	rows, bad, err := records.ReadAll(NewReader(strings.NewReader(text)).Next)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	return rows, bad
}

// Invented rows, one per layout: a Libyan military actor named HAFTAR
// meeting the GNU in Tripoli (2.0), a 1.0 daily row, a 1.0 back-file row.
var (
	v2 = line(61, map[int]string{0: "900000001", 1: "20250807", 5: "LBYMIL", 6: "HAFTAR", 7: "LBY", 12: "MIL",
		15: "LBYGOV", 16: "TRIPOLI", 17: "LBY", 22: "GOV", 25: "1", 26: "040", 27: "040", 28: "04", 29: "1", 30: "1",
		31: "4", 32: "1", 33: "4", 34: "-2.5", 51: "4", 52: "Tripoli, Tarabulus, Libya", 53: "LY", 54: "LY61", 56: "32.8925",
		57: "13.18", 58: "-3178767", 59: "20250807221500", 60: "https://example.org/invented"})
	v1 = line(58, map[int]string{0: "500000002", 1: "20160728", 5: "LBY", 6: "LIBYA", 7: "LBY", 26: "0353", 27: "035", 28: "03",
		29: "1", 30: "5.0", 35: "1", 36: "Libya", 37: "LY", 38: "LY", 39: "27", 40: "17", 41: "LY",
		49: "4", 50: "Sirte, Sha`biyat Surt, Libya", 51: "LY", 52: "LY76", 53: "31.2089", 54: "16.5887", 55: "-3178329", 56: "20160728", 57: "http://example.org/a"})
	v1old = line(57, map[int]string{0: "1000003", 1: "19820102", 15: "LBY", 16: "LIBYA", 26: "042", 27: "042", 28: "04", 29: "1", 30: "1.9", 56: "20130203"})
)

func TestLayouts(t *testing.T) {
	rows, bad := readAll(t, v2+"\n\n"+v1+"\r\n"+v1old)
	if len(bad) != 0 || len(rows) != 3 {
		t.Fatalf("rows %d, bad %v", len(rows), bad)
	}
	a := rows[0]
	if a.Version != "2.0" || a.ID != "900000001" || a.Date != "2025-08-07" || a.DateAdded != "2025-08-07T22:15:00Z" || a.SourceURL != "https://example.org/invented" {
		t.Errorf("2.0 row: %+v", a)
	}
	if a.Actor1.Code != "LBYMIL" || a.Actor1.Name != "HAFTAR" || len(a.Actor1.Types) != 1 || a.Actor1.Types[0] != "MIL" || a.Actor2.Code != "LBYGOV" {
		t.Errorf("actors: %+v %+v", a.Actor1, a.Actor2)
	}
	if a.EventCode != "040" || a.EventRootCode != "04" || a.QuadClass != 1 || a.Goldstein != 1 || a.AvgTone != -2.5 || !a.IsRoot {
		t.Errorf("event: %+v", a)
	}
	if g := a.ActionGeo; g.Type != 4 || g.Country != "LY" || g.ADM1 != "LY61" || g.Lat == nil || *g.Lat != 32.8925 || *g.Lon != 13.18 || g.FeatureID != "-3178767" {
		t.Errorf("action geo: %+v", g)
	}
	if a.Actor1Geo.Type != 0 || a.Actor1Geo.Lat != nil {
		t.Errorf("empty geo: %+v", a.Actor1Geo)
	}
	b := rows[1]
	if b.Version != "1.0" || b.EventCode != "0353" || b.Goldstein != 5 || b.DateAdded != "2016-07-28" || b.SourceURL != "http://example.org/a" || b.Line != 3 {
		t.Errorf("1.0 row: %+v", b)
	}
	if g := b.Actor1Geo; g.Type != 1 || g.FeatureID != "LY" || *g.Lat != 27 {
		t.Errorf("1.0 country geo (integer coordinates, text feature id): %+v", g)
	}
	if g := b.ActionGeo; g.ADM1 != "LY76" || *g.Lon != 16.5887 {
		t.Errorf("1.0 action geo: %+v", g)
	}
	c := rows[2]
	if c.Version != "1.0" || c.SourceURL != "" || c.Date != "1982-01-02" || c.Actor1.Code != "" || c.Actor2.Name != "LIBYA" {
		t.Errorf("back-file row: %+v", c)
	}
}

func TestMalformedLinesAreSkipped(t *testing.T) {
	bad := func(i int, v string) string {
		f := strings.Split(v2, "\t")
		f[i] = v
		return strings.Join(f, "\t")
	}
	text := strings.Join([]string{
		v2,
		"a\tb\tc",
		bad(1, "2025-08-07"),
		bad(56, "91.5"),
		bad(29, "7"),
		bad(26, ""),
		bad(57, ""),
		v1,
	}, "\n")
	rows, errs := readAll(t, text)
	if len(rows) != 2 || rows[1].Line != 8 {
		t.Errorf("rows: %d, last line %d", len(rows), rows[len(rows)-1].Line)
	}
	want := []string{"line 2: 3 fields", "line 3: SQLDATE:", "line 4: Geo_Lat:", "line 5: QuadClass:", "line 6: EventCode: empty", "line 7: Geo_Lat:"}
	if len(errs) != len(want) {
		t.Fatalf("errors %v, want %d", errs, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(errs[i].Error(), w) {
			t.Errorf("errs[%d] = %q, want prefix %q", i, errs[i], w)
		}
	}
}

func TestLongLineIsSkipped(t *testing.T) {
	rows, errs := readAll(t, strings.Repeat("x", MaxLine+10)+"\n"+v2+"\n")
	if len(rows) != 1 || len(errs) != 1 || errs[0].Line != 1 || rows[0].Line != 2 {
		t.Fatalf("rows %d, errors %v", len(rows), errs)
	}
}

// TestSharedSamples reads the real samples (FORMATS.md): the 2.0 slice
// (82 rows, no Libya), and the 1.0 sample mixing 57 and 58 columns whose
// first five rows are Libya's.
func TestSharedSamples(t *testing.T) {
	b, err := os.ReadFile(shared.Path(t, "data", "gdelt", "events-sample.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, errs := readAll(t, string(b))
	if len(errs) != 0 || len(rows) != 82 {
		t.Fatalf("2.0 sample: %d rows, errors %v", len(rows), errs)
	}
	for _, r := range rows {
		if r.Version != "2.0" || r.ActionGeo.Country == "LY" {
			t.Errorf("2.0 row %s: version %s, action country %s", r.ID, r.Version, r.ActionGeo.Country)
		}
	}
	b, err = os.ReadFile(shared.Path(t, "data", "gdelt", "v1", "events-sample.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, errs = readAll(t, string(b))
	if len(errs) != 0 || len(rows) != 710 {
		t.Fatalf("1.0 sample: %d rows, errors %v", len(rows), errs)
	}
	libya, noURL := 0, 0
	for i, r := range rows {
		isLibya := r.Actor1.Country == "LBY" || r.Actor2.Country == "LBY" || r.ActionGeo.Country == "LY"
		if isLibya {
			libya++
		}
		if i < 5 && !isLibya {
			t.Errorf("row %d (%s) is not Libya's", i, r.ID)
		}
		if r.SourceURL == "" {
			noURL++
		}
	}
	if libya < 5 || noURL != 201 {
		t.Errorf("Libya rows %d (want ≥ 5), rows without a source URL %d (want the 201 back-file rows)", libya, noURL)
	}
}

// FuzzReader: any input yields rows and row errors until EOF, never a
// panic; every row returned is well formed.
func FuzzReader(f *testing.F) {
	f.Add(v2 + "\n" + v1 + "\n" + v1old)
	f.Add("a\tb\n\n\r\n")
	f.Add(strings.Replace(v2, "32.8925", "NaN", 1))
	f.Fuzz(func(t *testing.T, text string) {
		r := NewReader(strings.NewReader(text))
		for n := 0; n < 100000; n++ {
			row, err := r.Next()
			if err == io.EOF {
				return
			}
			var re *records.Error
			if errors.As(err, &re) {
				continue
			}
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			if row.ID == "" || row.EventCode == "" || len(row.Date) != 10 || row.QuadClass < 0 || row.QuadClass > 4 {
				t.Fatalf("malformed row returned: %+v", row)
			}
			for _, g := range []Geo{row.Actor1Geo, row.Actor2Geo, row.ActionGeo} {
				if (g.Lat == nil) != (g.Lon == nil) || g.Lat != nil && (*g.Lat < -90 || *g.Lat > 90 || *g.Lat != *g.Lat) {
					t.Fatalf("bad geo: %+v", g)
				}
			}
		}
		t.Fatal("no EOF")
	})
}
