// Package gdelt reads GDELT event exports (tab-separated, no header, no
// quoting) into typed rows: GDELT 2.0 (61 columns) and 1.0 (58 columns
// from 2013-04; 57 in the 1979–2013 back-file, without SOURCEURL). The
// layout is chosen per line by its field count, so files that mix them
// read. A malformed line is reported with its number and skipped.
//
// The mapping of rows into the graph lives with the importer; this package
// only reads (../shared/data/FORMATS.md, section 1).
package gdelt

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/polgraph/polgraph/ingest/records"
)

// Actor is one side of an event as GDELT codes it: Code is the full chain
// of 3-letter CAMEO codes ("LBYMIL"), Name the upper-case text that
// matched ("HAFTAR"), not a canonical entity.
type Actor struct {
	Code, Name, Country, KnownGroup, Ethnic, Religion1, Religion2 string
	Types                                                         []string // Type1Code … Type3Code, the non-empty ones
}

// Geo is a place GDELT resolved. Country and ADM1 are FIPS 10-4 codes
// ("LY", "LY61"), not ISO. Type 0 means no place (the other fields are
// then empty): 1 country, 2 US state, 3 US city, 4 world city, 5 world ADM1.
type Geo struct {
	Type                    int
	FullName, Country, ADM1 string
	ADM2                    string // 2.0 only
	Lat, Lon                *float64
	FeatureID               string // a GNS number, or a text code for countries
}

// Row is one GDELT event record.
type Row struct {
	Line    int
	Version string // "2.0" or "1.0"
	ID      string // GLOBALEVENTID
	Date    string // SQLDATE as YYYY-MM-DD: when the event happened

	Actor1, Actor2 Actor
	IsRoot         bool
	// Event codes are strings: they have leading zeros ("010", "0353").
	EventCode, EventBaseCode, EventRootCode string
	QuadClass                               int // 1 verbal cooperation … 4 material conflict
	Goldstein                               float64
	NumMentions, NumSources, NumArticles    int
	AvgTone                                 float64

	Actor1Geo, Actor2Geo, ActionGeo Geo

	// DateAdded is when GDELT first saw the event: RFC 3339 (UTC) in 2.0,
	// YYYY-MM-DD in 1.0.
	DateAdded string
	SourceURL string // "" in the 1.0 back-file
}

// MaxLine bounds a line: longer ones are reported and skipped whole.
const MaxLine = 1 << 20

// Reader reads rows from a GDELT export.
type Reader struct {
	br   *bufio.Reader
	line int
}

// NewReader reads GDELT rows from r.
func NewReader(r io.Reader) *Reader { return &Reader{br: bufio.NewReaderSize(r, 64<<10)} }

// Next returns the next row, io.EOF at the end, or a *records.Error for a line
// that cannot be read (the next call goes on after it). Blank lines are
// skipped. Other errors (the underlying reader failing) end the file.
func (r *Reader) Next() (Row, error) {
	for {
		text, err := r.readLine()
		if err != nil {
			return Row{}, err
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		return parse(strings.Split(text, "\t"), r.line)
	}
}

// readLine reads one line without its end; a line over MaxLine is
// consumed and reported.
func (r *Reader) readLine() (string, error) {
	var b []byte
	tooLong := false
	for {
		chunk, isPrefix, err := r.br.ReadLine()
		if err != nil {
			if err == io.EOF && (len(b) > 0 || tooLong) {
				break
			}
			return "", err
		}
		if !tooLong {
			if len(b)+len(chunk) > MaxLine {
				tooLong, b = true, nil
			} else {
				b = append(b, chunk...)
			}
		}
		if !isPrefix {
			break
		}
	}
	r.line++
	if tooLong {
		return "", &records.Error{Line: r.line, Err: fmt.Errorf("line longer than %d bytes", MaxLine)}
	}
	// GDELT text can carry odd bytes ("AttikíR"): read it leniently.
	return strings.ToValidUTF8(strings.TrimSuffix(string(b), "\r"), "\uFFFD"), nil
}

// layout is where the columns after the 35 common ones sit.
type layout struct {
	version   string
	geoWidth  int // 8 with ADM2Code (2.0), 7 without (1.0)
	dateAdded int
	sourceURL int // -1 when absent
}

var layouts = map[int]layout{
	61: {"2.0", 8, 59, 60},
	58: {"1.0", 7, 56, 57},
	57: {"1.0", 7, 56, -1},
}

func parse(f []string, line int) (Row, error) {
	lay, ok := layouts[len(f)]
	if !ok {
		return Row{}, &records.Error{Line: line, Err: fmt.Errorf("%d fields: not a GDELT 2.0 (61) or 1.0 (57, 58) event row", len(f))}
	}
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	p := fieldParser{f: f, line: line}
	row := Row{Line: line, Version: lay.version, ID: f[0],
		Actor1: actor(f[5:15]), Actor2: actor(f[15:25]),
		IsRoot: f[25] == "1", EventCode: f[26], EventBaseCode: f[27], EventRootCode: f[28],
	}
	if row.ID == "" {
		return Row{}, &records.Error{Line: line, Column: "GLOBALEVENTID", Err: errors.New("empty")}
	}
	if row.EventCode == "" {
		return Row{}, &records.Error{Line: line, Column: "EventCode", Err: errors.New("empty")}
	}
	row.Date = p.date(1, "SQLDATE", "20060102")
	row.QuadClass = p.integer(29, "QuadClass")
	row.Goldstein = p.number(30, "GoldsteinScale")
	row.NumMentions = p.integer(31, "NumMentions")
	row.NumSources = p.integer(32, "NumSources")
	row.NumArticles = p.integer(33, "NumArticles")
	row.AvgTone = p.number(34, "AvgTone")
	for n, g := range []*Geo{&row.Actor1Geo, &row.Actor2Geo, &row.ActionGeo} {
		*g = p.geo(35+n*lay.geoWidth, lay.geoWidth)
	}
	if lay.version == "2.0" {
		row.DateAdded = p.date(lay.dateAdded, "DATEADDED", "20060102150405")
	} else {
		row.DateAdded = p.date(lay.dateAdded, "DATEADDED", "20060102")
	}
	if lay.sourceURL >= 0 {
		row.SourceURL = f[lay.sourceURL]
	}
	if p.err != nil {
		return Row{}, p.err
	}
	if row.QuadClass < 0 || row.QuadClass > 4 {
		return Row{}, &records.Error{Line: line, Column: "QuadClass", Err: fmt.Errorf("%d is not 1–4", row.QuadClass)}
	}
	return row, nil
}

func actor(f []string) Actor {
	a := Actor{Code: f[0], Name: f[1], Country: f[2], KnownGroup: f[3], Ethnic: f[4], Religion1: f[5], Religion2: f[6]}
	for _, t := range f[7:10] {
		if t != "" {
			a.Types = append(a.Types, t)
		}
	}
	return a
}

// fieldParser reads typed fields, keeping the first error.
type fieldParser struct {
	f    []string
	line int
	err  error
}

func (p *fieldParser) fail(col string, format string, args ...any) {
	if p.err == nil {
		p.err = &records.Error{Line: p.line, Column: col, Err: fmt.Errorf(format, args...)}
	}
}

func (p *fieldParser) integer(i int, col string) int {
	s := p.f[i]
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		p.fail(col, "%q is not an integer", s)
	}
	return n
}

// number reads "5.0" and "1" alike.
func (p *fieldParser) number(i int, col string) float64 {
	s := p.f[i]
	if s == "" {
		return 0
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v != v {
		p.fail(col, "%q is not a number", s)
	}
	return v
}

func (p *fieldParser) date(i int, col, layout string) string {
	t, err := time.Parse(layout, p.f[i])
	if err != nil {
		p.fail(col, "%q is not a date in the layout %s", p.f[i], layout)
		return ""
	}
	if len(layout) > 8 {
		return t.UTC().Format(time.RFC3339)
	}
	return t.Format("2006-01-02")
}

// geo reads a geo block of width 8 (2.0) or 7 (1.0) at i.
func (p *fieldParser) geo(i, width int) Geo {
	f := p.f[i : i+width]
	g := Geo{FullName: f[1], Country: f[2], ADM1: f[3]}
	g.Type = p.integer(i, "Geo_Type")
	rest := f[4:]
	if width == 8 {
		g.ADM2, rest = f[4], f[5:]
	}
	g.FeatureID = rest[2]
	if rest[0] != "" || rest[1] != "" {
		lat, lon := p.number(i+width-3, "Geo_Lat"), p.number(i+width-2, "Geo_Long")
		if lat < -90 || lat > 90 || lon < -180 || lon > 180 || rest[0] == "" || rest[1] == "" {
			p.fail("Geo_Lat", "%q,%q is not a coordinate pair", rest[0], rest[1])
		}
		g.Lat, g.Lon = &lat, &lon
	}
	if g.Type < 0 || g.Type > 5 {
		p.fail("Geo_Type", "%d is not 0–5", g.Type)
	}
	return g
}
