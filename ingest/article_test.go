package ingest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polgraph/polgraph/graph"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, file, body string
		want             []Article
	}{
		{"txt arabic", "report-1.txt", "\ufeff  تم الإعلان عن اتفاق.\n\n",
			[]Article{{ID: "report-1", Language: "ar", Text: "تم الإعلان عن اتفاق."}}},
		{"txt english", "en.txt", "The agreement was announced.\n",
			[]Article{{ID: "en", Language: "en", Text: "The agreement was announced."}}},
		{"json object", "one.json", `{"id":"a","url":"https://x.example/a","outlet":"X","language":"AR","title":"t","published":"2025-10-20T08:00:00Z","text":"نص"}`,
			[]Article{{ID: "a", URL: "https://x.example/a", Outlet: "X", Language: "ar", Title: "t", Published: "2025-10-20", Text: "نص"}}},
		{"json array", "many.json", `[{"id":"a","text":"نص"},` + "\n" + `{"id":"b","text":"text","published":"2025-10"}]`,
			[]Article{{ID: "a", Language: "ar", Text: "نص"}, {ID: "b", Language: "en", Text: "text", Published: "2025-10"}}},
		{"ndjson", "lines.ndjson", `{"id":"a","text":"نص"}` + "\n\n" + `{"id":"b","text":"text"}` + "\n",
			[]Article{{ID: "a", Language: "ar", Text: "نص"}, {ID: "b", Language: "en", Text: "text"}}},
		{"jsonl", "lines.jsonl", `{"id":"a","text":"نص"}`, []Article{{ID: "a", Language: "ar", Text: "نص"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadFile(write(tt.file, tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d articles, want %d", len(got), len(tt.want))
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("article %d:\n got %+v\nwant %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, body []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := bytes.Repeat([]byte("a"), MaxFileSize+1)
	tests := []struct {
		name, file string
		body       []byte
		code       graph.Code
		msg        string // the error must contain the path and this
	}{
		{"empty", "empty.txt", []byte(" \n\t"), graph.Invalid, "empty"},
		{"nul bytes", "bin.txt", []byte("ab\x00cd"), graph.Invalid, "binary"},
		{"invalid utf-8", "latin1.json", []byte("{\"text\":\"caf\xe9\"}"), graph.Invalid, "binary"},
		{"too large", "big.txt", big, graph.TooLarge, "10 MiB"},
		{"unknown extension", "report.pdf", []byte("x"), graph.Invalid, "unknown file type"},
		{"json syntax", "bad.json", []byte("{\n\"id\": \"a\",\n\"text\": oops\n}"), graph.Invalid, ":3: "},
		{"json type", "type.json", []byte(`{"id": 7, "text": "x"}`), graph.Invalid, `"id"`},
		{"json trailing", "trail.json", []byte(`{"text": "x"} {"text": "y"}`), graph.Invalid, "after the JSON value"},
		{"json empty text", "notext.json", []byte("[\n{\"id\":\"a\",\"text\":\"x\"},\n{\"id\":\"b\",\"text\":\"  \"}\n]"), graph.Invalid, `:3: article 2 (id "b"): text is empty`},
		{"json empty array", "none.json", []byte("[]"), graph.Invalid, "no articles"},
		{"ndjson bad line", "bad.ndjson", []byte("{\"text\":\"a\"}\n{\"text\":\"b\"}\n{oops}\n"), graph.Invalid, ":3: "},
		{"ndjson bad date", "date.ndjson", []byte("{\"text\":\"a\"}\n{\"text\":\"b\",\"published\":\"yesterday\"}\n"), graph.Invalid, ":2: published"},
		{"ndjson text not utf-8 escape", "nul.ndjson", []byte("{\"text\":\"a\\u0000b\"}\n"), graph.Invalid, ":1: text is binary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := write(tt.file, tt.body)
			_, err := ReadFile(p)
			if !graph.Is(err, tt.code) {
				t.Fatalf("err = %v, want code %s", err, tt.code)
			}
			if !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q should name %s and say %q", err, p, tt.msg)
			}
		})
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.json")); !graph.Is(err, graph.NotFound) {
		t.Errorf("missing file: err = %v, want not_found", err)
	}
	if _, err := ReadFile(dir + "/sub.json"); err == nil {
		t.Error("missing file: no error")
	}
	if err := os.Mkdir(filepath.Join(dir, "d.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(filepath.Join(dir, "d.json")); !graph.Is(err, graph.Invalid) {
		t.Errorf("directory: err = %v, want invalid", err)
	}
}

func TestReadArticles(t *testing.T) {
	got, err := ReadArticles(strings.NewReader(`{"text":"نص"}`), "upload", "json")
	if err != nil || len(got) != 1 || got[0].Language != "ar" {
		t.Fatalf("got %+v, %v", got, err)
	}
	if _, err := ReadArticles(strings.NewReader("x"), "upload", "xml"); !graph.Is(err, graph.Invalid) || !strings.Contains(err.Error(), "upload") {
		t.Errorf("unknown format: %v", err)
	}
	big := strings.NewReader(strings.Repeat("a", MaxFileSize+1))
	if _, err := ReadArticles(big, "upload", "txt"); !graph.Is(err, graph.TooLarge) {
		t.Errorf("too large stream: %v", err)
	}
}

func TestNormalizeDate(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "2025-10-20": "2025-10-20", "2025-10": "2025-10", "2025": "2025",
		"2025-10-20T08:00:00Z": "2025-10-20", "2025-10-20T23:30:00+02:00": "2025-10-20", "2025/10/20": "2025-10-20",
	} {
		got, err := normalizeDate(in)
		if err != nil || got != want {
			t.Errorf("normalizeDate(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"yesterday", "20-10-2025", "10/20/2025"} {
		if _, err := normalizeDate(bad); err == nil {
			t.Errorf("normalizeDate(%q): no error", bad)
		}
	}
}

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HTTPS://News.Example.org/a?b=2&a=1#top", "https://news.example.org/a?a=1&b=2"},
		{"https://news.example.org/a?utm_source=rss&fbclid=x&traffic_source=rss", "https://news.example.org/a"},
		{"http://news.example.org:80", "http://news.example.org/"},
		{" https://news.example.org/a/ ", "https://news.example.org/a/"},
		{"polgraph:gazetteer", "polgraph:gazetteer"},
		{"not a url", "not a url"},
	}
	for _, tt := range tests {
		if got := canonicalURL(tt.in); got != tt.want {
			t.Errorf("canonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDocumentID(t *testing.T) {
	a := document(Article{URL: "https://news.example.org/a?utm_medium=x", Text: "one"})
	b := document(Article{URL: "https://NEWS.example.org/a", Text: "two"})
	if a.ID != b.ID {
		t.Error("the same canonical URL gives two document ids")
	}
	c := document(Article{Text: "نص"})
	d := document(Article{Text: "نص"})
	if c.ID != d.ID || c.ID == a.ID || c.SHA256 == "" || c.ID != graph.DocumentID(c.SHA256) {
		t.Errorf("text-only document ids: %s %s", c.ID, d.ID)
	}
}
