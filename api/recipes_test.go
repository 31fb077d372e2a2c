package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/itchyny/gojq"

	"github.com/polgraph/polgraph/api"
	"github.com/polgraph/polgraph/graph/memstore"
	"github.com/polgraph/polgraph/ingest"
)

// docs/API.md shows curl recipes with their output. TestAPIRecipes runs
// each recipe, in order, against a server holding the demo reports (as
// `polgraph serve --demo` does) and compares the output with the document,
// so the document cannot drift from what the API answers. After a change
// that alters an answer on purpose, rewrite the outputs with
//
//	POLGRAPH_UPDATE_DOCS=1 go test ./api -run TestAPIRecipes
//
// and read the diff.

const apiDoc = "../docs/API.md"

// The keys the recipes use; docs/API.md shows them in full, so they are
// examples, never keys of a real deployment.
const recipeKeys = "analyst-key-0000000000000001:writer:analyst,admin-key-00000000000000002:admin:lead"

// recipeBlock matches a recipe: a sh block holding a curl command, then
// the block with its output.
var recipeBlock = regexp.MustCompile("(?s)```sh\n(curl [^`]*?)```\n```(json|text)\n(.*?)```")

func TestAPIRecipes(t *testing.T) {
	raw, err := os.ReadFile(apiDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	base := recipeServer(t)
	update := os.Getenv("POLGRAPH_UPDATE_DOCS") != ""
	var out strings.Builder
	last, n := 0, 0
	for _, m := range recipeBlock.FindAllStringSubmatchIndex(doc, -1) {
		n++
		cmd, want := doc[m[2]:m[3]], doc[m[6]:m[7]]
		got, err := runRecipe(base, cmd)
		if err != nil {
			t.Fatalf("recipe %d:\n%s\n%v", n, cmd, err)
		}
		if got != want && !update {
			t.Errorf("recipe %d:\n%s\ndocs/API.md shows:\n%s\nthe API answers:\n%s", n, cmd, want, got)
		}
		out.WriteString(doc[last:m[6]])
		out.WriteString(got)
		last = m[7]
	}
	out.WriteString(doc[last:])
	if n < 10 {
		t.Fatalf("docs/API.md holds %d recipes; the pattern no longer finds them", n)
	}
	if update && out.String() != doc {
		if err := os.WriteFile(apiDoc, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote %s", apiDoc)
	}
}

// recipeServer serves the demo reports with the recipes' keys and open
// reads. The store's clock reads 2025-11-06 while the demo loads and a day
// later once the recipes run, so "what changed since yesterday" has an
// answer that does not depend on when the test runs.
func recipeServer(t *testing.T) string {
	t.Helper()
	day := time.Date(2025, 11, 6, 9, 0, 0, 0, time.UTC)
	var now atomic.Pointer[time.Time]
	now.Store(&day)
	store := memstore.OpenMemory(memstore.WithClock(func() time.Time { return *now.Load() }))
	t.Cleanup(func() { store.Close() })
	pipe, err := ingest.New(ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, a := range ingest.DemoArticles() {
		b, err := pipe.Extract(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := ingest.Store(ctx, store, b); err != nil {
			t.Fatal(err)
		}
	}
	next := day.Add(24 * time.Hour)
	now.Store(&next)
	keys, err := api.ParseKeyList(recipeKeys)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Config{Store: store, Pipeline: pipe, Keys: keys, OpenReads: true}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// runRecipe runs one recipe's curl command (and its jq filter, if piped
// into jq) against base, and returns what a terminal would show.
func runRecipe(base, cmd string) (string, error) {
	cmd = strings.ReplaceAll(cmd, "\\\n", " ")
	words, err := shellWords(strings.TrimSpace(cmd))
	if err != nil {
		return "", err
	}
	curl, filter := words, ""
	for i, w := range words {
		if w == "|" {
			curl = words[:i]
			rest := words[i+1:]
			// jq -S sorts keys as gojq always does, so the output shown is
			// what the jq command prints.
			if len(rest) != 3 || rest[0] != "jq" || (rest[1] != "-S" && rest[1] != "-cS") {
				return "", fmt.Errorf("only `| jq -S FILTER` or `| jq -cS FILTER` may follow curl")
			}
			filter = rest[2]
			break
		}
	}
	req, err := curlRequest(base, curl)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if filter == "" {
		return string(body), nil
	}
	return jq(filter, body, strings.Contains(cmd, "jq -cS"))
}

// curlRequest builds the request of a curl command line using the options
// the recipes use: -s, -X, -H, -d.
func curlRequest(base string, words []string) (*http.Request, error) {
	method, target := "", ""
	var body *string
	header := http.Header{}
	for i := 1; i < len(words); i++ {
		w := words[i]
		arg := func() (string, error) {
			if i+1 >= len(words) {
				return "", fmt.Errorf("%s needs a value", w)
			}
			i++
			return words[i], nil
		}
		switch w {
		case "-s":
		case "-X":
			v, err := arg()
			if err != nil {
				return nil, err
			}
			method = v
		case "-H":
			v, err := arg()
			if err != nil {
				return nil, err
			}
			name, value, ok := strings.Cut(v, ":")
			if !ok {
				return nil, fmt.Errorf("header %q has no colon", v)
			}
			header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
		case "-d":
			v, err := arg()
			if err != nil {
				return nil, err
			}
			body = &v
		default:
			if strings.HasPrefix(w, "-") {
				return nil, fmt.Errorf("curl option %s is not one the recipes use", w)
			}
			target = w
		}
	}
	const docBase = "http://localhost:8080"
	if !strings.HasPrefix(target, docBase) {
		return nil, fmt.Errorf("URL %q does not start with %s", target, docBase)
	}
	if method == "" {
		method = "GET"
		if body != nil {
			method = "POST"
		}
	}
	var rd io.Reader
	if body != nil {
		rd = strings.NewReader(*body)
		if header.Get("Content-Type") == "" {
			header.Set("Content-Type", "application/x-www-form-urlencoded") // what curl -d sends
		}
	}
	req, err := http.NewRequest(method, base+strings.TrimPrefix(target, docBase), rd)
	if err != nil {
		return nil, err
	}
	req.Header = header
	return req, nil
}

// jq applies a jq filter the way the jq command prints: each result on
// its own, indented by two spaces, or one line each with compact.
func jq(filter string, body []byte, compact bool) (string, error) {
	q, err := gojq.Parse(filter)
	if err != nil {
		return "", fmt.Errorf("jq %q: %w", filter, err)
	}
	var in any
	if err := json.Unmarshal(body, &in); err != nil {
		return "", fmt.Errorf("the answer is not JSON: %s", body)
	}
	var out strings.Builder
	iter := q.Run(in)
	for {
		v, ok := iter.Next()
		if !ok {
			break
		}
		if err, isErr := v.(error); isErr {
			return "", fmt.Errorf("jq %q: %w", filter, err)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if !compact {
			enc.SetIndent("", "  ")
		}
		if err := enc.Encode(v); err != nil {
			return "", err
		}
		out.Write(buf.Bytes())
	}
	return out.String(), nil
}

// shellWords splits a command line as sh would for the quoting the recipes
// use: single quotes, double quotes without expansions, and a bare |.
func shellWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' || c == '"':
			end := strings.IndexByte(s[i+1:], c)
			if end < 0 {
				return nil, fmt.Errorf("unclosed %c in %q", c, s)
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
