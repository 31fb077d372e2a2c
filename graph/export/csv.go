package export

import (
	"encoding/csv"
	"io"
	"strconv"
)

// csvHeader names the CSV's columns. Stable for people's scripts: add
// columns at the end, do not rename.
var csvHeader = []string{
	"relation_id", "type", "from_id", "from_name", "to_id", "to_name", "role", "title", "date",
	"confidence", "evidence_count",
	"document_id", "document_url", "document_title", "outlet", "published",
	"sentence", "start", "end", "span_text", "sentence_text", "rule", "evidence_confidence", "evidence_date",
}

// WriteCSV writes the relations of g with their evidence: a header row,
// then one row per piece of evidence, or one row with the evidence columns
// empty for a relation that has none. start and end are rune offsets into
// the document's text and span_text is exactly that slice; sentence_text
// is the sentence around it. Names and document columns are looked up in
// g.Nodes and g.Documents, and left empty when missing there.
//
// Cells are written as they are, even those that start with = + - or @,
// which a spreadsheet opening the file directly may take for a formula.
// The file is data for tools (pandas, R, a spreadsheet's text import), and
// a span must read back exactly as the document has it, so prefixing such
// cells would corrupt the values those tools rely on. Whoever opens an
// export of untrusted news text in a spreadsheet should import it as text
// columns rather than double-click it.
func WriteCSV(w io.Writer, g *Graph) error {
	names := make(map[string]string, len(g.Nodes))
	for i := range g.Nodes {
		names[g.Nodes[i].ID] = label(&g.Nodes[i])
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for i := range g.Relations {
		r := &g.Relations[i]
		rel := []string{r.ID, string(r.Type), r.From, names[r.From], r.To, names[r.To], r.Role, r.Title, r.Date,
			formatFloat(r.Confidence), strconv.Itoa(r.EvidenceCount)}
		if len(r.Evidence) == 0 {
			if err := cw.Write(append(rel, make([]string, len(csvHeader)-len(rel))...)); err != nil {
				return err
			}
			continue
		}
		for _, ev := range r.Evidence {
			d := g.Documents[ev.Document]
			row := append(rel[:len(rel):len(rel)], ev.Document, d.URL, d.Title, d.Outlet, d.Published,
				strconv.Itoa(ev.Sentence), strconv.Itoa(ev.Start), strconv.Itoa(ev.End), ev.Text, ev.SentenceText,
				ev.Rule, formatFloat(ev.Confidence), ev.Date)
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
