package api

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// Parameter parsing: every failure names the parameter, so a client knows
// which one to fix.

// intParam reads an integer parameter. A value that is not an integer or
// is below min is malformed (400 invalid); one above max is well formed but
// asks for more than the server gives (422 limit_exceeded), so a client
// knows to ask for less rather than to fix its request.
func intParam(c *gin.Context, name string, def, min, max int) (int, error) {
	v, present := c.GetQuery(name)
	if !present || v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	var numErr *strconv.NumError
	switch {
	case errors.As(err, &numErr) && numErr.Err == strconv.ErrRange && !strings.HasPrefix(v, "-"):
		return 0, overLimit(name, max)
	case err != nil || n < min:
		return 0, badParam(name, "%s must be an integer between %d and %d", name, min, max)
	case n > max:
		return 0, overLimit(name, max)
	}
	return n, nil
}

// overLimit is the error of a parameter that asks for more than the cap.
func overLimit(name string, max int) *graph.Error {
	e := graph.Errorf(limitExceeded, "%s may be at most %d", name, max)
	e.Param = name
	return e
}

func floatParam(c *gin.Context, name string, min, max float64) (float64, error) {
	v := c.Query(name)
	if v == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < min || f > max || f != f {
		return 0, badParam(name, "%s must be a number between %g and %g", name, min, max)
	}
	return f, nil
}

// listParam accepts repeated parameters and comma-separated values alike:
// ?type=A&type=B or ?type=A,B.
func listParam(c *gin.Context, name string) []string {
	var out []string
	for _, v := range c.QueryArray(name) {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func typesParam(c *gin.Context) ([]graph.RelType, error) {
	var out []graph.RelType
	for _, v := range listParam(c, "type") {
		t := graph.RelType(strings.ToUpper(v))
		if !t.Valid() {
			return nil, badParam("type", "type %q is not a relation type; use one of %s", clip(v), relTypeNames())
		}
		out = append(out, t)
	}
	return out, nil
}

func kindsParam(c *gin.Context) ([]graph.Kind, error) {
	var out []graph.Kind
	for _, v := range listParam(c, "kind") {
		k := kindByName(v)
		if k == "" {
			return nil, badParam("kind", "kind %q is not an entity kind", clip(v))
		}
		out = append(out, k)
	}
	return out, nil
}

func kindByName(v string) graph.Kind {
	for _, k := range graph.Kinds {
		if strings.EqualFold(string(k), v) {
			return k
		}
	}
	return ""
}

func windowParam(c *gin.Context) (graph.Window, error) {
	w := graph.Window{From: c.Query("from"), To: c.Query("to")}
	for _, p := range []struct{ name, v string }{{"from", w.From}, {"to", w.To}} {
		if p.v != "" && !graph.ValidDate(p.v) {
			return w, badParam(p.name, "%s must be a date YYYY-MM-DD (or YYYY-MM, YYYY)", p.name)
		}
	}
	return w, nil
}

func idParam(c *gin.Context) (string, error) {
	id := c.Param("id")
	if !graph.ValidID(id) {
		return "", badParam("id", "id %q is not an entity id (a UUID)", clip(id))
	}
	return id, nil
}

func relTypeNames() string {
	var out []string
	for _, t := range graph.RelTypes {
		out = append(out, string(t))
	}
	return strings.Join(out, ", ")
}

// clip keeps echoed input short and printable.
func clip(s string) string {
	s = strings.ToValidUTF8(s, "?")
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}

// idsParam reads a list of entity or relation ids (repeated or comma
// separated), without duplicates, at most max of them.
func idsParam(c *gin.Context, name string, max int) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, v := range listParam(c, name) {
		if !graph.ValidID(v) {
			return nil, badParam(name, "%s holds %q, which is not an id (a UUID)", name, clip(v))
		}
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
		if len(out) > max {
			e := graph.Errorf(limitExceeded, "%s may hold at most %d ids", name, max)
			e.Param = name
			return nil, e
		}
	}
	return out, nil
}
