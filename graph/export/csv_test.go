package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strconv"
	"testing"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/storetest"
)

func readCSV(t *testing.T, g *Graph) (header []string, rows []map[string]string) {
	t.Helper()
	b := write(t, WriteCSV, g)
	records, err := csv.NewReader(bytes.NewReader(b)).ReadAll() // every row as wide as the header
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, v := range rec {
			row[records[0][i]] = v
		}
		rows = append(rows, row)
	}
	return records[0], rows
}

func TestWriteCSV(t *testing.T) {
	st, g := selectAll(t)
	ctx := context.Background()
	header, rows := readCSV(t, g)
	want := []string{"relation_id", "type", "from_id", "from_name", "to_id", "to_name", "role", "title", "date",
		"confidence", "evidence_count", "document_id", "document_url", "document_title", "outlet", "published",
		"sentence", "start", "end", "span_text", "sentence_text", "rule", "evidence_confidence", "evidence_date"}
	if !slices.Equal(header, want) {
		t.Errorf("header %v; want %v", header, want)
	}
	// Every asserted relation has evidence; MENTIONS and REPORTS have none
	// and get one row each.
	stats, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := stats.Evidence + stats.Relations[graph.Mentions] + stats.Relations[graph.Reports]; len(rows) != n {
		t.Errorf("%d rows; want %d", len(rows), n)
	}
	texts := map[string][]rune{}
	for _, row := range rows {
		if row["document_id"] == "" {
			if row["type"] != string(graph.Mentions) && row["type"] != string(graph.Reports) ||
				row["span_text"] != "" || row["start"] != "" || row["evidence_count"] != "0" {
				t.Errorf("row without evidence: %v", row)
			}
			continue
		}
		// The span is exactly the document's text between the offsets.
		id := row["document_id"]
		if texts[id] == nil {
			d, err := st.Document(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			texts[id] = []rune(d.Text)
		}
		start, err1 := strconv.Atoi(row["start"])
		end, err2 := strconv.Atoi(row["end"])
		if err1 != nil || err2 != nil || end > len(texts[id]) || string(texts[id][start:end]) != row["span_text"] {
			t.Errorf("span %s–%s %q is not the document's text there", row["start"], row["end"], row["span_text"])
		}
	}

	r := relationBetween(t, g, graph.ParticipatedIn, storetest.KhaledHaftar, storetest.SirteAgreement)
	var found bool
	for _, row := range rows {
		if row["relation_id"] != r.ID || row["document_id"] != storetest.DocStatement {
			continue
		}
		found = true
		for col, v := range map[string]string{
			"from_name": "Khaled Haftar", "to_name": "Sirte agreement on a joint force", "role": "party",
			"date": "2025-10-20", "evidence_count": "2", "span_text": "أكد خالد خليفة حفتر أن الاتفاق",
			"document_url": "https://news.example/ar/2025/10/21/guidance-statement", "outlet": "Example Wire Arabic",
			"document_title": "بيان التوجيه المعنوي حول لقاء سرت", "published": "2025-10-21", "sentence": "0",
			"evidence_confidence": "0.6", "evidence_date": "2025-10-21", "rule": "pattern:participated_in",
		} {
			if row[col] != v {
				t.Errorf("%s is %q; want %q", col, row[col], v)
			}
		}
	}
	if !found {
		t.Errorf("no row for Khaled Haftar's part in the agreement as the Arabic statement has it")
	}
}

// TestWriteCSVVerbatim pins the decision in WriteCSV's doc: cells a
// spreadsheet would take for formulas are written as they are, and quotes,
// commas and newlines survive.
func TestWriteCSVVerbatim(t *testing.T) {
	span := `=HYPERLINK("https://evil.example","click")`
	sentence := "He said, \"" + span + "\"\nand left."
	g := &Graph{
		Nodes: []graph.Entity{{ID: "a", Name: "+a"}, {ID: "b", Name: "@b"}},
		Relations: []graph.Relation{{ID: "r", Type: graph.AlliedWith, From: "a", To: "b", Role: "-1",
			Evidence: []graph.Evidence{{Document: "d", Text: span, SentenceText: sentence}}}},
	}
	_, rows := readCSV(t, g)
	if len(rows) != 1 {
		t.Fatalf("%d rows; want 1", len(rows))
	}
	row := rows[0]
	if row["span_text"] != span || row["sentence_text"] != sentence || row["from_name"] != "+a" ||
		row["to_name"] != "@b" || row["role"] != "-1" || row["document_url"] != "" {
		t.Errorf("cells changed: %v", row)
	}
}
