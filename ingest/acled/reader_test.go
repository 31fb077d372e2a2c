package acled

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/ingest/records"
	"github.com/polgraph/polgraph/internal/shared"
)

// readAll reads every row, collecting the rows and the skipped records.
func readAll(t *testing.T, text string) ([]Row, []*records.Error) {
	t.Helper()
	r, err := NewReader(strings.NewReader(text))
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	rows, bad, err := records.ReadAll(r.Next)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	return rows, bad
}

// The fixtures are invented rows in ACLED's layouts, not ACLED data.
const modern = `event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp
LBY90001,"03 March 2025",2025,1,"Political violence","Battles","Armed clash","Military Forces of Libya (2014-) Libyan National Army","Tebu Ethnic Militia (Libya); Misrata Communal Militia (Libya)","State forces","Unidentified Armed Group (Libya)",,"Political militia","State forces-Political militia",,434,"Northern Africa",Libya,Surt,Surt,,Sirte,31.2089,16.5887,1,"Libya Observer; Libya Herald",National,"On 3 March 2025, forces clashed near the port, ""heavily"",
the invented note says.",2,,1741000000
LBY90002,"04 March 2025",2025,2,"Demonstrations","Protests","Peaceful protest","Protesters (Libya)",,"Protesters",,,,"Protesters only","Civilian targeting",434,"Northern Africa",Libya,Tripoli,Tripoli,,Tripoli,32.8872,13.1913,2,"Al Wasat",National,"An invented protest.",0,"crowd size=no report",1741100000
`

func TestModernLayout(t *testing.T) {
	rows, bad := readAll(t, modern)
	if len(bad) != 0 || len(rows) != 2 {
		t.Fatalf("rows %d, bad %v", len(rows), bad)
	}
	r := rows[0]
	if r.EventID != "LBY90001" || r.Date != "2025-03-03" || r.Precision != "day" || r.Year != 2025 || r.Line != 2 {
		t.Errorf("first row: %+v", r)
	}
	if r.Actor1 != "Military Forces of Libya (2014-) Libyan National Army" || len(r.Assoc1) != 2 || r.Assoc1[1] != "Misrata Communal Militia (Libya)" {
		t.Errorf("actors: %q %q", r.Actor1, r.Assoc1)
	}
	if r.Lat == nil || *r.Lat != 31.2089 || *r.Lon != 16.5887 || r.GeoPrecision != 1 || r.ISO != "434" || r.Location != "Sirte" {
		t.Errorf("place: %+v", r)
	}
	if len(r.Sources) != 2 || r.Sources[0] != "Libya Observer" || r.Fatalities != 2 || r.Timestamp != 1741000000 {
		t.Errorf("sources, fatalities, timestamp: %q %d %d", r.Sources, r.Fatalities, r.Timestamp)
	}
	if !strings.Contains(r.Notes, "\"heavily\",\nthe invented") {
		t.Errorf("notes with quotes and a newline: %q", r.Notes)
	}
	if r.CivilianTargeting || !rows[1].CivilianTargeting {
		t.Error("civilian_targeting")
	}
	// The second record starts after the note's embedded line.
	if rows[1].Line != 4 || rows[1].Precision != "week" || rows[1].Actor2 != "" {
		t.Errorf("second row: line %d, %+v", rows[1].Line, rows[1])
	}
}

// The older API layout: a leading unnamed index, alphabetical columns,
// ally_actor_N, numeric inter codes, a BOM.
const older = "\uFEFF,actor1,actor2,admin1,ally_actor_1,country,event_date,event_id_cnty,event_type,fatalities,inter1,latitude,location,longitude,notes,source,time_precision,year\n" +
	"0,Military Forces of Libya (2014-),Islamic State (Tripoli),Surt,Misratah Communal Militia (Libya),Libya,2016-07-02,9999RTA,Remote violence,0,1,31.2,Sirte,16.5,An invented note.,Invented News,3,2016\n"

func TestOlderLayout(t *testing.T) {
	rows, bad := readAll(t, older)
	if len(bad) != 0 || len(rows) != 1 {
		t.Fatalf("rows %d, bad %v", len(rows), bad)
	}
	r := rows[0]
	if r.EventID != "9999RTA" || r.Date != "2016-07-02" || r.Precision != "month" || r.Inter1 != "1" {
		t.Errorf("row: %+v", r)
	}
	if len(r.Assoc1) != 1 || r.Assoc1[0] != "Misratah Communal Militia (Libya)" || r.DisorderType != "" {
		t.Errorf("ally_actor_1 read as assoc_actor_1: %+v", r)
	}
}

func TestMonadicLayout(t *testing.T) {
	rows, bad := readAll(t, "event_id_cnty,event_date,event_type,actor,country\nLBY5,2024-05-01,Riots,Rioters (Libya),Libya\nLBY5,2024-05-01,Riots,Police Forces of Libya (2014-),Libya\n")
	if len(bad) != 0 || len(rows) != 2 || rows[0].Actor1 != "Rioters (Libya)" || rows[1].Actor1 != "Police Forces of Libya (2014-)" {
		t.Fatalf("rows %+v, bad %v", rows, bad)
	}
}

func TestDateLayouts(t *testing.T) {
	for in, want := range map[string]string{
		"2016-07-02": "2016-07-02", "01 November 2024": "2024-11-01", "5-Aug-24": "2024-08-05",
		"01-January-2015": "2015-01-01", " 3 March 2025 ": "2025-03-03",
	} {
		if got, err := ParseDate(in); err != nil || got != want {
			t.Errorf("ParseDate(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "yesterday", "2016-13-01", "32 January 2020"} {
		if _, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) accepted", in)
		}
	}
}

// A malformed record is reported with its line and column, and the rows
// after it are still read.
func TestMalformedRowsAreSkipped(t *testing.T) {
	text := "event_id_cnty,event_date,event_type,latitude,longitude,fatalities\n" +
		"LBY1,2024-01-01,Battles,32.1,13.1,0\n" +
		"LBY2,someday,Battles,32.1,13.1,0\n" +
		"LBY3,2024-01-03,Battles,132.1,13.1,0\n" +
		"LBY4,2024-01-04,Battles\n" +
		"LBY5,2024-01-05,Battles,32.1,,0\n" +
		"LBY6,2024-01-06,Battles,32.1,13.1,-4\n" +
		",2024-01-07,Battles,32.1,13.1,0\n" +
		"LBY8,2024-01-08,Battles,32.1,13.1,1\n"
	rows, bad := readAll(t, text)
	if len(rows) != 2 || rows[0].EventID != "LBY1" || rows[1].EventID != "LBY8" || rows[1].Line != 9 {
		t.Errorf("rows: %+v", rows)
	}
	want := []string{
		"line 3: event_date:", "line 4: latitude:", "line 5: wrong number of fields",
		"line 6: latitude: latitude and longitude go together", "line 7: fatalities:", "line 8: event_id_cnty: empty",
	}
	if len(bad) != len(want) {
		t.Fatalf("bad rows %v, want %d", bad, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(bad[i].Error(), w) {
			t.Errorf("bad[%d] = %q, want prefix %q", i, bad[i].Error(), w)
		}
	}
}

func TestNotACLED(t *testing.T) {
	for _, text := range []string{"", "a,b,c\n1,2,3\n", "GLOBALEVENTID\tSQLDATE\n"} {
		if _, err := NewReader(strings.NewReader(text)); !errors.Is(err, ErrHeader) {
			t.Errorf("NewReader(%q) = %v, want ErrHeader", text, err)
		}
	}
}

// TestSharedSamples reads the real samples of ../shared/data/acled
// (FORMATS.md): every record reads, the 54 Libya records come first, and
// the six line breaks inside five notes move the later records' lines on.
func TestSharedSamples(t *testing.T) {
	b, err := os.ReadFile(shared.Path(t, "data", "acled", "events-sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, bad := readAll(t, string(b))
	if len(bad) != 0 || len(rows) != 500 {
		t.Fatalf("events-sample: %d rows, bad %v", len(rows), bad)
	}
	libya := 0
	for i, r := range rows {
		if r.Country == "Libya" {
			libya++
			if i >= 54 {
				t.Errorf("Libya row %s at %d, after the first 54", r.EventID, i)
			}
			if r.Lat == nil || r.Date[:4] != "2016" || r.Actor1 == "" {
				t.Errorf("Libya row %s incomplete: %+v", r.EventID, r)
			}
		}
	}
	if libya != 54 {
		t.Errorf("Libya rows %d, want 54", libya)
	}
	if last := rows[len(rows)-1].Line; last != 501+6 {
		t.Errorf("last record on line %d, want %d (500 records, 6 line breaks in notes)", last, 501+6)
	}

	b, err = os.ReadFile(shared.Path(t, "data", "acled", "modern-api-format-sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, bad = readAll(t, string(b))
	if len(bad) != 0 || len(rows) != 2 || rows[0].EventID != "PSE62716" || rows[0].Date != "2024-11-01" || rows[0].Inter1 == "" || rows[1].Timestamp == 0 {
		t.Fatalf("modern sample: %+v, bad %v", rows, bad)
	}
}

// FuzzReader: any input either fails the header or yields rows and row
// errors until EOF, never a panic; every row it returns is well formed.
func FuzzReader(f *testing.F) {
	f.Add(modern)
	f.Add(older)
	f.Add("event_id_cnty,event_date,event_type\nX,2024-01-01,\"a\n")
	f.Add("event_id_cnty,event_date,event_type,latitude,longitude\nX,5-Aug-24,B,1e400,2\n")
	f.Fuzz(func(t *testing.T, text string) {
		r, err := NewReader(strings.NewReader(text))
		if err != nil {
			return
		}
		for n := 0; n < 10000; n++ {
			row, err := r.Next()
			if err == io.EOF {
				return
			}
			var re *records.Error
			if errors.As(err, &re) {
				if re.Line < 1 {
					t.Fatalf("row error without a line: %v", re)
				}
				continue
			}
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			if _, err := ParseDate(row.Date); err != nil || row.EventID == "" || (row.Lat == nil) != (row.Lon == nil) {
				t.Fatalf("malformed row returned: %+v", row)
			}
		}
		t.Fatal("no EOF after 10,000 records")
	})
}
