package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cli runs polgraph with args and returns what it printed.
func cli(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(context.Background(), args, noEnv, &out, &errb)
	return out.String(), errb.String(), err
}

func TestImportReportsBadRowsAndKeepsTheRest(t *testing.T) {
	data := filepath.Join(t.TempDir(), "store")
	fixture := filepath.Join("..", "..", "ingest", "eventdata", "testdata", "acled-current.csv")
	out, errs, err := cli(t, "import", "acled", "--data-dir", data, fixture)
	if err == nil || !strings.Contains(err.Error(), "1 rows were skipped") {
		t.Fatalf("import with a bad row: %v; want an error counting the skipped row", err)
	}
	if !strings.Contains(errs, "acled-current.csv:4: skipped: event_date") {
		t.Errorf("stderr does not name the file, line and column:\n%s", errs)
	}
	if !strings.Contains(out, "4 rows read, 3 imported, 1 skipped") {
		t.Errorf("summary: %s", out)
	}
	// Everything else is stored: importing again changes nothing.
	out, _, _ = cli(t, "import", "acled", "--data-dir", data, fixture)
	if !strings.Contains(out, "0 objects created, 0 updated") {
		t.Errorf("second import changed the store: %s", out)
	}
	for _, c := range []struct{ args, want string }{
		{"import xlsx " + fixture, "the formats are acled, gdelt, ndjson"},
		{"import acled " + filepath.Join(data, "missing.csv"), "missing.csv"},
		{"import gdelt", "requires at least 2 arg"},
		{"export --format pdf", "use one of ndjson, graphml, gexf, csv"},
		{"export --format ndjson --entity Sirte", "writes the whole graph"},
		{"export --format graphml --entity Nowhereville", "no entity is named"},
		{"export --format graphml --since yesterday", "since"},
	} {
		_, _, err := cli(t, append(strings.Fields(c.args), "--data-dir", data)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("polgraph %s: %v; want an error saying %q", c.args, err, c.want)
		}
	}
	// A file that is not ACLED at all fails whole, naming the file.
	notACLED := filepath.Join(t.TempDir(), "notes.csv")
	os.WriteFile(notACLED, []byte("a,b\n1,2\n"), 0o644)
	if _, _, err := cli(t, "import", "acled", "--data-dir", data, notACLED); err == nil || !strings.Contains(err.Error(), "notes.csv") ||
		!strings.Contains(err.Error(), "not an ACLED header") {
		t.Errorf("import of a non-ACLED file: %v", err)
	}
}

// TestExportRoundTripsThroughNDJSON: export, import into an empty store,
// export again: the same bytes. The GraphML export of a neighbourhood
// parses and holds the entity asked for.
func TestExportRoundTripsThroughNDJSON(t *testing.T) {
	first, second := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	fixture := filepath.Join("..", "..", "ingest", "eventdata", "testdata", "acled-monadic.csv")
	if _, errs, err := cli(t, "import", "acled", "--data-dir", first, fixture); err != nil {
		t.Fatal(err, errs)
	}
	dump := filepath.Join(t.TempDir(), "graph.ndjson")
	if _, _, err := cli(t, "export", "--data-dir", first, "-o", dump); err != nil {
		t.Fatal(err)
	}
	out, errs, err := cli(t, "import", "ndjson", "--data-dir", second, dump)
	if err != nil || !strings.Contains(out, "0 skipped") {
		t.Fatalf("import ndjson: %v\n%s%s", err, out, errs)
	}
	again, _, err := cli(t, "export", "--data-dir", second)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(dump)
	if again != string(want) || len(want) == 0 || !strings.HasPrefix(again, `{"kind":"header"`) {
		t.Errorf("the second export differs from the first (%d and %d bytes)", len(again), len(want))
	}

	graphml, _, err := cli(t, "export", "--data-dir", second, "--format", "graphml", "--entity", "BRSC", "--depth", "2")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Nodes []struct {
			Data []struct {
				Key   string `xml:"key,attr"`
				Value string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"graph>node"`
		Edges []struct{} `xml:"graph>edge"`
	}
	if err := xml.Unmarshal([]byte(graphml), &doc); err != nil {
		t.Fatal(err)
	}
	names := ""
	for _, n := range doc.Nodes {
		for _, d := range n.Data {
			if d.Key == "n_name" {
				names += d.Value + "|"
			}
		}
	}
	if !strings.Contains(names, "Shura Council of Benghazi Revolutionaries|") || !strings.Contains(names, "Benghazi|") || len(doc.Edges) < 3 {
		t.Errorf("GraphML around the BRSC: nodes %q, %d edges; want the BRSC, its fight and Benghazi", names, len(doc.Edges))
	}
}
