package api

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
	"gopkg.in/yaml.v3"

	"github.com/polgraph/polgraph/graph"
)

// The OpenAPI document and the reference page.
//
// openapi.yaml is the source of the document: written by hand, YAML for
// its long descriptions, and checked against the real server by
// contract_test.go (every route of the engine, every response) and by
// scripts/schemathesis.sh (generated requests on both stores). The server
// serves it as JSON at GET /openapi.json, in the source's order, with
// info.version taken from the binary's build information.
//
// GET /docs is Redoc's standalone bundle rendering /openapi.json. The
// bundle comes from the npm package locked in reference/package-lock.json;
// to rebuild it, or to move to another version, run
// scripts/build-reference.sh (its comment says how). The copies are
// committed and embedded, so the binary needs no network to show it.

//go:embed openapi.yaml
var openAPISource []byte

//go:embed reference/index.html reference/redoc.standalone.js reference/redoc.standalone.js.LICENSE.txt reference/redoc.LICENSE.txt
var referenceFS embed.FS

// referenceCSP lets the reference page load only what this server serves
// (and what Redoc makes itself: inline styles, a search worker from a
// blob), so a page that works here works offline, and nothing it renders
// from the document can call elsewhere.
const referenceCSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// asset is a file served under /docs.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

func newAsset(body []byte, contentType string) asset {
	sum := sha256.Sum256(body)
	return asset{body: body, contentType: contentType, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
}

// reference is everything /openapi.json and /docs serve, built once from
// the embedded files.
type reference struct {
	document asset
	// files are the files under /docs by name ("" is /docs itself): a
	// fixed list, so there is nothing to list and no path to traverse.
	files map[string]asset
}

var loadReference = sync.OnceValues(func() (*reference, error) {
	doc, codes, err := openAPIJSON(openAPISource, buildVersion())
	if err != nil {
		return nil, err
	}
	ref := &reference{document: newAsset(doc, "application/json; charset=utf-8"), files: map[string]asset{}}
	for name, file := range map[string]string{
		"":                                "index.html",
		"redoc.standalone.js":             "redoc.standalone.js",
		"redoc.standalone.js.LICENSE.txt": "redoc.standalone.js.LICENSE.txt",
		"redoc.LICENSE.txt":               "redoc.LICENSE.txt",
	} {
		body, err := referenceFS.ReadFile("reference/" + file)
		if err != nil {
			return nil, err
		}
		ref.files[name] = newAsset(body, contentTypeOf(file))
	}
	problems, err := problemsPage(codes)
	if err != nil {
		return nil, err
	}
	ref.files["problems"] = newAsset(problems, "text/html; charset=utf-8")
	return ref, nil
})

func contentTypeOf(name string) string {
	switch {
	case strings.HasSuffix(name, ".html"):
		return "text/html; charset=utf-8"
	case strings.HasSuffix(name, ".js"):
		return "text/javascript; charset=utf-8"
	}
	return "text/plain; charset=utf-8"
}

// openAPI answers GET /openapi.json.
func (s *Server) openAPI(c *gin.Context) {
	ref, err := loadReference()
	if err != nil {
		s.fail(c, err)
		return
	}
	serveAsset(c, ref.document)
}

// apiReference answers GET /docs: the reference page.
func (s *Server) apiReference(c *gin.Context) { s.referenceFile(c, "") }

// apiReferenceAsset answers GET /docs/{file}: the page's script, its
// licence notices, and the problem types that problem documents link to.
func (s *Server) apiReferenceAsset(c *gin.Context) {
	name := strings.TrimPrefix(c.Param("file"), "/")
	if name == "" {
		c.Redirect(http.StatusMovedPermanently, "/docs")
		return
	}
	s.referenceFile(c, name)
}

func (s *Server) referenceFile(c *gin.Context, name string) {
	ref, err := loadReference()
	if err != nil {
		s.fail(c, err)
		return
	}
	a, found := ref.files[name]
	if !found {
		s.fail(c, graph.Errorf(graph.NotFound, "no file %q under /docs", clip(name)))
		return
	}
	c.Header("Content-Security-Policy", referenceCSP)
	serveAsset(c, a)
}

// serveAsset writes an embedded file, or 304 to a client that has it.
func serveAsset(c *gin.Context, a asset) {
	h := c.Writer.Header()
	h.Set("ETag", a.etag)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	if noneMatch(c.GetHeader("If-None-Match"), a.etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, a.contentType, a.body)
}

// buildVersion is the version of this binary: the module version Go
// stamped at build time (a tag, or a pseudo-version from the commit), or
// "devel" when there is none (go test, go run).
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Version == "" || bi.Main.Version == "(devel)" {
		return "devel"
	}
	return bi.Main.Version
}

// problemCode is a problem document's code as the document describes it.
type problemCode struct {
	Code        string
	Status      int
	Title       string
	Description string
}

// openAPIJSON turns the YAML source into the JSON served, in the source's
// order, with info.version set; it also returns the problem codes the
// document describes (components.schemas.ProblemCode).
func openAPIJSON(src []byte, version string) ([]byte, []problemCode, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return nil, nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	if len(root.Content) != 1 {
		return nil, nil, fmt.Errorf("openapi.yaml: not one document")
	}
	doc := root.Content[0]
	v := lookup(doc, "info", "version")
	if v == nil {
		return nil, nil, fmt.Errorf("openapi.yaml: no info.version")
	}
	v.Value, v.Tag, v.Style = version, "!!str", 0
	var codes []problemCode
	if pc := lookup(doc, "components", "schemas", "ProblemCode", "x-enumDescriptions"); pc != nil {
		for i := 0; i+1 < len(pc.Content); i += 2 {
			code := pc.Content[i].Value
			status := statusOf[graph.Code(code)]
			codes = append(codes, problemCode{Code: code, Status: status, Title: http.StatusText(status),
				Description: pc.Content[i+1].Value})
		}
	}
	var buf bytes.Buffer
	if err := nodeJSON(&buf, doc); err != nil {
		return nil, nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, buf.Bytes(), "", "  "); err != nil {
		return nil, nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), codes, nil
}

// lookup follows keys down nested mappings.
func lookup(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return n
}

// nodeJSON writes a YAML node as JSON, keeping the order of mappings
// (a map would sort the paths and every schema's properties).
func nodeJSON(buf *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.AliasNode:
		return nodeJSON(buf, n.Alias)
	case yaml.MappingNode:
		buf.WriteByte('{')
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: a key that is not a scalar", k.Line)
			}
			if k.Value == "<<" {
				return fmt.Errorf("line %d: merge keys are not supported", k.Line)
			}
			if seen[k.Value] {
				return fmt.Errorf("line %d: key %q twice", k.Line, k.Value)
			}
			seen[k.Value] = true
			if i > 0 {
				buf.WriteByte(',')
			}
			key, _ := json.Marshal(k.Value)
			buf.Write(key)
			buf.WriteByte(':')
			if err := nodeJSON(buf, n.Content[i+1]); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case yaml.SequenceNode:
		buf.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := nodeJSON(buf, c); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case yaml.ScalarNode:
		var v any
		switch n.ShortTag() {
		case "!!str", "!!binary", "!!timestamp":
			v = n.Value
		default:
			if err := n.Decode(&v); err != nil {
				return fmt.Errorf("line %d: %w", n.Line, err)
			}
		}
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		buf.Write(b)
	default:
		return fmt.Errorf("line %d: unexpected YAML node", n.Line)
	}
	return nil
}

var problemsTemplate = template.Must(template.New("problems").Funcs(template.FuncMap{"md": codeSpans}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>polgraph problem types</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em; line-height: 1.5; }
code { background: #f3f3f3; padding: 0 .2em; }
dt { font-weight: bold; margin-top: 1em; }
:target { background: #fff6d5; }
</style>
</head>
<body>
<h1>Problem types</h1>
<p>Every error of the <a href="/docs">polgraph API</a> is an RFC 9457 problem document
(<code>application/problem+json</code>) whose <code>type</code> points here and whose
<code>code</code> says what went wrong. <code>param</code> names the request parameter at
fault, <code>candidates</code> lists the entities an ambiguous name could mean, and
<code>request_id</code> is the id to quote when asking about a request.</p>
<dl>
{{range .}}<dt id="{{.Code}}"><code>{{.Code}}</code> — {{.Status}} {{.Title}}</dt>
<dd>{{md .Description}}</dd>
{{end}}</dl>
</body>
</html>
`))

// codeSpans escapes s for HTML and shows its `code spans` as code, as
// the reference shows the same descriptions.
func codeSpans(s string) template.HTML {
	parts := strings.Split(template.HTMLEscapeString(s), "`")
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 1 && i < len(parts)-1 {
			b.WriteString("<code>" + p + "</code>")
			continue
		}
		if i%2 == 1 {
			b.WriteString("`")
		}
		b.WriteString(p)
	}
	return template.HTML(b.String())
}

// problemsPage is /docs/problems: what each problem code means. Problem
// documents' type URIs point at its anchors.
func problemsPage(codes []problemCode) ([]byte, error) {
	codes = slices.Clone(codes)
	slices.SortStableFunc(codes, func(a, b problemCode) int { return a.Status - b.Status })
	var buf bytes.Buffer
	err := problemsTemplate.Execute(&buf, codes)
	return buf.Bytes(), err
}
