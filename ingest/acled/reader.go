// Package acled reads ACLED event exports (CSV) into typed rows: the
// current 31-column export and API layout, the older API layout (version
// 5/6 names such as ally_actor_1, columns in any order, a leading pandas
// index), and monadic exports (one row per actor, no actor2). Columns are
// found by header name, never by position. A malformed record is reported
// with its line and skipped; the reader goes on with the next one.
//
// The mapping of rows into the graph lives with the importer; this package
// only reads (../shared/data/FORMATS.md, section 2).
package acled

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/polgraph/polgraph/ingest/records"
)

// Row is one ACLED record. Text fields are trimmed; lists are split on
// "; "; absent columns leave their field zero.
type Row struct {
	Line int // first line of the record in the file (1 is the header)

	EventID   string // event_id_cnty: "LBY1234", or an old real-time id such as "8016RTA"
	Date      string // YYYY-MM-DD
	Precision string // "day", "week" or "month" (time_precision 1, 2, 3); "" when absent
	Year      int

	DisorderType, EventType, SubEventType string
	CivilianTargeting                     bool

	Actor1, Actor2 string
	Assoc1, Assoc2 []string // assoc_actor_N (ally_actor_N in old files)
	Inter1, Inter2 string   // a numeric code in old files, a label since 2024
	Interaction    string

	ISO                                               string // numeric ISO 3166: Libya is 434
	Region, Country, Admin1, Admin2, Admin3, Location string
	Lat, Lon                                          *float64
	GeoPrecision                                      int // 1 exact … 3 region; 0 when absent

	Sources     []string // publication names, not URLs
	SourceScale string
	Notes       string
	Fatalities  int
	Tags        string
	Timestamp   int64 // Unix seconds of the last edit; 0 when absent
}

// ErrHeader is returned by NewReader for a file whose header is not an
// ACLED header.
var ErrHeader = errors.New("not an ACLED header: it needs event_id_cnty, event_date and event_type")

// renamed maps the names of older layouts to the current ones.
var renamed = map[string]string{
	"ally_actor_1": "assoc_actor_1",
	"ally_actor_2": "assoc_actor_2",
}

// Reader reads rows from an ACLED CSV file.
type Reader struct {
	csv   *csv.Reader
	col   map[string]int
	width int
}

// NewReader reads the header. A UTF-8 byte order mark (files saved by
// Excel) is dropped; header names are matched without regard to case.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, ErrHeader
		}
		return nil, fmt.Errorf("line 1: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if to, ok := renamed[name]; ok {
			name = to
		}
		if name != "" {
			col[name] = i
		}
	}
	for _, need := range []string{"event_id_cnty", "event_date", "event_type"} {
		if _, ok := col[need]; !ok {
			return nil, ErrHeader
		}
	}
	cr.FieldsPerRecord = len(header)
	cr.ReuseRecord = true
	return &Reader{csv: cr, col: col, width: len(header)}, nil
}

// Next returns the next row, io.EOF at the end, or a *records.Error for a
// record that cannot be read (the next call goes on after it). Other
// errors (the underlying reader failing) end the file.
func (r *Reader) Next() (Row, error) {
	rec, err := r.csv.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return Row{}, &records.Error{Line: pe.StartLine, Err: pe.Err}
		}
		return Row{}, err
	}
	line, _ := r.csv.FieldPos(0) // only valid after a record was read
	return r.row(rec, line)
}

func (r *Reader) get(rec []string, name string) string {
	if i, ok := r.col[name]; ok {
		// Files that went through Excel may carry Windows-1252 bytes.
		return strings.ToValidUTF8(strings.TrimSpace(rec[i]), "\uFFFD")
	}
	return ""
}

func (r *Reader) row(rec []string, line int) (Row, error) {
	get := func(name string) string { return r.get(rec, name) }
	row := Row{
		Line: line, EventID: get("event_id_cnty"),
		DisorderType: get("disorder_type"), EventType: get("event_type"), SubEventType: get("sub_event_type"),
		CivilianTargeting: get("civilian_targeting") != "",
		Actor1:            get("actor1"), Actor2: get("actor2"),
		Assoc1: list(get("assoc_actor_1")), Assoc2: list(get("assoc_actor_2")),
		Inter1: get("inter1"), Inter2: get("inter2"), Interaction: get("interaction"),
		ISO: get("iso"), Region: get("region"), Country: get("country"),
		Admin1: get("admin1"), Admin2: get("admin2"), Admin3: get("admin3"), Location: get("location"),
		Sources: list(get("source")), SourceScale: get("source_scale"), Notes: get("notes"), Tags: get("tags"),
	}
	if row.EventID == "" {
		return Row{}, &records.Error{Line: line, Column: "event_id_cnty", Err: errors.New("empty")}
	}
	if row.Actor1 == "" && row.Actor2 == "" {
		// Monadic exports name the one actor of the row "actor".
		row.Actor1 = get("actor")
	}
	date, err := ParseDate(get("event_date"))
	if err != nil {
		return Row{}, &records.Error{Line: line, Column: "event_date", Err: err}
	}
	row.Date = date
	ints := []struct {
		name string
		dst  *int
	}{{"year", &row.Year}, {"geo_precision", &row.GeoPrecision}, {"fatalities", &row.Fatalities}}
	for _, f := range ints {
		if v := get(f.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return Row{}, &records.Error{Line: line, Column: f.name, Err: fmt.Errorf("%q is not a count", v)}
			}
			*f.dst = n
		}
	}
	switch v := get("time_precision"); v {
	case "":
	case "1":
		row.Precision = "day"
	case "2":
		row.Precision = "week"
	case "3":
		row.Precision = "month"
	default:
		return Row{}, &records.Error{Line: line, Column: "time_precision", Err: fmt.Errorf("%q is not 1, 2 or 3", v)}
	}
	if row.Lat, err = coordinate(get("latitude"), 90); err != nil {
		return Row{}, &records.Error{Line: line, Column: "latitude", Err: err}
	}
	if row.Lon, err = coordinate(get("longitude"), 180); err != nil {
		return Row{}, &records.Error{Line: line, Column: "longitude", Err: err}
	}
	if (row.Lat == nil) != (row.Lon == nil) {
		return Row{}, &records.Error{Line: line, Column: "latitude", Err: errors.New("latitude and longitude go together")}
	}
	if v := get("timestamp"); v != "" {
		if row.Timestamp, err = strconv.ParseInt(v, 10, 64); err != nil {
			return Row{}, &records.Error{Line: line, Column: "timestamp", Err: fmt.Errorf("%q is not Unix seconds", v)}
		}
	}
	return row, nil
}

// list splits "A; B" lists (assoc actors, sources).
func list(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func coordinate(s string, limit float64) (*float64, error) {
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < -limit || v > limit || v != v {
		return nil, fmt.Errorf("%q is not a coordinate", s)
	}
	return &v, nil
}

// dateLayouts are the layouts event_date comes in: the API's, the
// export's, an Excel-touched copy's, and old upper-case-header files'.
var dateLayouts = []string{
	"2006-01-02",
	"02 January 2006", "2 January 2006",
	"2-Jan-06", "02-Jan-06", "2-Jan-2006", "02-Jan-2006",
	"02-January-2006", "2-January-2006",
	"2006/01/02",
}

// ParseDate reads an ACLED event date in any layout it comes in and
// returns it as YYYY-MM-DD.
func ParseDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02"), nil
		}
	}
	return "", fmt.Errorf("%q is not a date ACLED writes", s)
}
