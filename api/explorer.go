package api

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// The explorer page.
//
// GET / is a graph explorer over the public API: search, neighbourhoods,
// evidence, paths, filters, timelines, live updates, export. Its source is
// explorer/src (plain JavaScript with Cytoscape.js, bundled by esbuild from
// the packages locked in explorer/package-lock.json); the built files in
// explorer/dist are committed and embedded, so the binary needs nothing
// else to show it. scripts/build-explorer.sh rebuilds them, and with
// --check (run by CI) fails if they are not what the source builds.
//
// The page is index.html at /; its script, style sheet and the bundled
// packages' licences are under /explorer/. The script and the style sheet
// are named by a hash of their content, so browsers may keep them for
// good; the page itself is revalidated with its ETag. Like /docs, both are
// open whatever the keys: the page holds no data, and asks for a key when
// the API answers 401.

//go:embed explorer/dist
var explorerDist embed.FS

// explorerCSP lets the page load only what this server serves and call
// only this server's API: no inline scripts or styles, nothing from
// elsewhere. Images from blob: and data: are the PNG export's; the
// export's downloads are blob: URLs too.
const explorerCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// immutable is the caching of the files named by their content's hash.
const immutable = "public, max-age=31536000, immutable"

// explorerFiles are the files the page serves by name under /explorer/
// ("" is index.html, served at /): a fixed list read once from the
// embedded directory, so there is nothing to list and no path to
// traverse.
var explorerFiles = sync.OnceValues(func() (map[string]asset, error) {
	files := map[string]asset{}
	entries, err := fs.ReadDir(explorerDist, "explorer/dist")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		body, err := explorerDist.ReadFile("explorer/dist/" + e.Name())
		if err != nil {
			return nil, err
		}
		name := e.Name()
		if name == "index.html" {
			name = ""
		}
		files[name] = newAsset(body, explorerContentType(e.Name()))
	}
	if _, found := files[""]; !found {
		return nil, graph.Errorf(graph.Internal, "the explorer has no index.html: run scripts/build-explorer.sh")
	}
	return files, nil
})

func explorerContentType(name string) string {
	switch {
	case strings.HasSuffix(name, ".css"):
		return "text/css; charset=utf-8"
	case strings.HasSuffix(name, ".svg"):
		return "image/svg+xml"
	}
	return contentTypeOf(name)
}

// hashed reports whether a file of the explorer is named by its content's
// hash (explorer-3F2K6ZQA.js), and so never changes.
func hashed(name string) bool {
	base, _, found := strings.Cut(name, ".")
	i := strings.LastIndexByte(base, '-')
	return found && i > 0 && len(base)-i-1 >= 8
}

// explorerPage answers GET /: the explorer page.
func (s *Server) explorerPage(c *gin.Context) { s.explorerFile(c, "") }

// explorerAsset answers GET /explorer/{file}: the page's script, style
// sheet and licences.
func (s *Server) explorerAsset(c *gin.Context) {
	name := strings.TrimPrefix(c.Param("file"), "/")
	if name == "" {
		c.Redirect(http.StatusMovedPermanently, "/")
		return
	}
	s.explorerFile(c, name)
}

func (s *Server) explorerFile(c *gin.Context, name string) {
	files, err := explorerFiles()
	if err != nil {
		s.fail(c, err)
		return
	}
	a, found := files[name]
	if !found {
		s.fail(c, graph.Errorf(graph.NotFound, "no file %q under /explorer", clip(name)))
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", explorerCSP)
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", a.etag)
	if hashed(name) {
		h.Set("Cache-Control", immutable)
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if noneMatch(c.GetHeader("If-None-Match"), a.etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, a.contentType, a.body)
}
