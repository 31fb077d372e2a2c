package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// Request bodies. Every JSON body is one object of a known shape: a field
// the shape lacks, a second value after the first, a body over the limit
// or of another content type is refused, and the problem names the field
// at fault, so a typo never passes for an empty field.

// jsonTypes are the content types of an ordinary JSON body; an absent
// Content-Type is taken as JSON too.
var jsonTypes = []string{"application/json"}

// decodeBody reads the request's body, one JSON value, into v, refusing
// fields v lacks. types are the content types accepted.
func (s *Server) decodeBody(c *gin.Context, v any, types ...string) error {
	if err := s.contentType(c, types...); err != nil {
		return err
	}
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bodyError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return bodyError(err)
		}
		return badParam("body", "the body holds more than one JSON value; send one object")
	}
	return nil
}

// contentType checks the request's media type against types.
func (s *Server) contentType(c *gin.Context, types ...string) error {
	ct := c.ContentType()
	if ct == "" || slices.Contains(types, ct) {
		return nil
	}
	return &graph.Error{Code: unsupportedMedia, Param: "Content-Type",
		Message: "Content-Type " + clip(ct) + " is not accepted here; send " + strings.Join(types, " or ")}
}

// bodyError turns an error decoding a JSON body into a problem that names
// the field at fault.
func bodyError(err error) error {
	var (
		tooBig *http.MaxBytesError
		syn    *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &tooBig):
		return graph.Errorf(graph.TooLarge, "the body is larger than %d bytes", tooBig.Limit)
	case err == io.EOF:
		return badParam("body", "the body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badParam("body", "the body ends in the middle of a JSON value")
	case errors.As(err, &syn):
		return badParam("body", "the body is not JSON: %s (at byte %d)", strings.TrimPrefix(syn.Error(), "json: "), syn.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return badParam("body", "the body must be a JSON object, not %s", typ.Value)
		}
		return badParam(typ.Field, "%s must be %s, not %s", typ.Field, jsonTypeName(typ.Type), typ.Value)
	}
	// encoding/json has no type for an unknown field: its message is the
	// only place the name is.
	if rest, found := strings.CutPrefix(err.Error(), "json: unknown field "); found {
		if name, uerr := strconv.Unquote(rest); uerr == nil {
			return badParam(name, "unknown field %q", clip(name))
		}
	}
	var ge *graph.Error
	if errors.As(err, &ge) {
		return err
	}
	return badParam("body", "the body is not valid: %s", clip(strings.TrimPrefix(err.Error(), "json: ")))
}

// jsonTypeName names what JSON value a Go type takes.
func jsonTypeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Bool:
		return "true or false"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	}
	return "a " + t.Kind().String()
}
