package ndjson_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestDocExample: the example in docs/NDJSON.md is a file this package
// reads without a complaint and writes back byte for byte, so the page
// shows the format as it is.
func TestDocExample(t *testing.T) {
	page, err := os.ReadFile("../../docs/NDJSON.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(page), "```ndjson\n")
	example, _, closed := strings.Cut(rest, "```")
	if !ok || !closed || strings.Contains(rest[len(example):], "```ndjson") {
		t.Fatal("docs/NDJSON.md should hold one ```ndjson block")
	}
	st := openMemory(t)
	importAll(t, st, []byte(example))
	if out := export(t, st); !bytes.Equal(out, []byte(example)) {
		t.Errorf("the example does not read back as written:\n%s", lineDiff([]byte(example), out))
	}
}
