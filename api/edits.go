package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// Analysts' edits of entities: create, update (JSON merge patch), delete,
// aliases. Each goes through Store.Edit, which records it in the audit log
// with the actor and the reason given. Versions are entity tags
// (graph.EntityETag): GET sends one, If-Match makes an edit conditional on
// it, and an edit without If-Match reads, changes and writes back on the
// version it read, starting again if another edit came in between, so
// that two analysts' edits never overwrite each other unseen.

// editableFields are the JSON names of the entity fields an analyst edits:
// those graph.EditableFields takes from an edit. The rest record where an
// entity comes from and only the store sets them.
var editableFields = []string{"name", "name_ar", "aliases", "subtype", "title", "title_ar",
	"lat", "lon", "geo_precision", "event_type", "date", "date_precision",
	"cameo", "quad_class", "goldstein", "fatalities", "topics", "summary"}

// mergePatchTypes are the content types of PATCH /v1/entities/{id}.
var mergePatchTypes = []string{"application/merge-patch+json", "application/json"}

// editAttempts bounds how often an edit without If-Match starts again
// because another edit changed the entity first: each retry means another
// edit succeeded, so only a hot entity under many writers runs out.
const editAttempts = 10

// createEntity answers POST /v1/entities: a new entity made by hand. Its id
// derives from kind and key (the normalised name when no key is given), so
// ingest later finds the same entity under that name.
func (s *Server) createEntity(c *gin.Context) {
	members, err := s.readObject(c, jsonTypes...)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := checkFields(members, append([]string{"kind", "key", "reason"}, editableFields...)); err != nil {
		s.fail(c, err)
		return
	}
	reason, err := takeReason(members)
	if err != nil {
		s.fail(c, err)
		return
	}
	fields, _ := json.Marshal(members) // JSON already: it cannot fail
	var req graph.Entity
	if err := strictUnmarshal(fields, &req); err != nil {
		s.fail(c, err)
		return
	}
	if req.Kind == "" {
		s.fail(c, badParam("kind", "kind is required: one of Person, Organization, Group, Place, Event"))
		return
	}
	if k := kindByName(string(req.Kind)); k != "" {
		req.Kind = k
	}
	rec, err := s.store.Edit(c, graph.Edit{Op: graph.EditCreate, Entity: req, Actor: actorOf(c), Reason: reason})
	if err != nil {
		s.fail(c, err)
		return
	}
	e, err := s.store.Entity(c, rec.Entity)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/v1/entities/"+e.ID)
	c.Header("ETag", graph.EntityETag(e))
	ok(c, http.StatusCreated, e)
}

// updateEntity answers PATCH /v1/entities/{id} with a JSON merge patch
// (RFC 7396) of the editable fields: members replace fields, null clears
// one, and fields not named stay as they are.
func (s *Server) updateEntity(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	members, err := s.readObject(c, mergePatchTypes...)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := checkFields(members, append([]string{"reason"}, editableFields...)); err != nil {
		s.fail(c, err)
		return
	}
	reason, err := takeReason(members)
	if err != nil {
		s.fail(c, err)
		return
	}
	for name, v := range members {
		// No editable field nests (the deepest is a list of strings), and
		// merging a deeply nested value re-encodes it once per level.
		if jsonDepth(v) > maxPatchDepth {
			s.fail(c, badParam(clip(name), "%s is nested deeper than any entity field", clip(name)))
			return
		}
	}
	patch, err := json.Marshal(members)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.answerEdit(c, id, reason, func(cur graph.Entity) (graph.Entity, error) {
		doc, err := json.Marshal(cur)
		if err != nil {
			return cur, err
		}
		merged := mergePatch(doc, patch)
		var next graph.Entity
		if err := strictUnmarshal(merged, &next); err != nil {
			return cur, err
		}
		return next, nil
	})
}

// deleteEntity answers DELETE /v1/entities/{id}?reason=: the entity goes
// with every relation at it; the audit record keeps what it was.
func (s *Server) deleteEntity(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	edit := graph.Edit{Op: graph.EditDelete, ID: id, Actor: actorOf(c), Reason: c.Query("reason")}
	if edit.IfMatch, err = s.ifMatch(c, id); err != nil {
		s.fail(c, err)
		return
	}
	rec, err := s.store.Edit(c, edit)
	if err != nil {
		s.fail(c, err)
		return
	}
	ok(c, http.StatusOK, rec)
}

// aliasRequest is the body of POST /v1/entities/{id}/aliases.
type aliasRequest struct {
	Alias  string `json:"alias"`
	Reason string `json:"reason"`
}

// addAlias answers POST /v1/entities/{id}/aliases: the entity with the
// alias added (unchanged if it already has the name).
func (s *Server) addAlias(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req aliasRequest
	if err := s.decodeBody(c, &req, jsonTypes...); err != nil {
		s.fail(c, err)
		return
	}
	alias := strings.TrimSpace(req.Alias)
	if alias == "" {
		s.fail(c, badParam("alias", "alias is required"))
		return
	}
	s.answerEdit(c, id, req.Reason, func(cur graph.Entity) (graph.Entity, error) {
		if !slices.Contains(cur.Names(), alias) {
			cur.Aliases = append(slices.Clone(cur.Aliases), alias)
		}
		return cur, nil
	})
}

// removeAlias answers DELETE /v1/entities/{id}/aliases/{alias}?reason=.
// The entity's name and Arabic name are not aliases: change them with
// PATCH.
func (s *Server) removeAlias(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	alias := strings.TrimSpace(c.Param("alias"))
	s.answerEdit(c, id, c.Query("reason"), func(cur graph.Entity) (graph.Entity, error) {
		if alias == cur.Name || alias == cur.NameAr {
			return cur, badParam("alias", "%q is the entity's name, not an alias: change it with PATCH /v1/entities/%s", clip(alias), cur.ID)
		}
		i := slices.Index(cur.Aliases, alias)
		if i < 0 {
			e := graph.Errorf(graph.NotFound, "entity %s has no alias %q", cur.ID, clip(alias))
			e.Param = "alias"
			return cur, e
		}
		cur.Aliases = slices.Delete(slices.Clone(cur.Aliases), i, i+1)
		return cur, nil
	})
}

// ifMatch returns the store's IfMatch for the client's If-Match on the
// entity with the id: "" without the header, Precondition when it names
// no version the entity has now.
func (s *Server) ifMatch(c *gin.Context, id string) (string, error) {
	im := c.GetHeader("If-Match")
	if im == "" {
		return "", nil
	}
	cur, err := s.store.Entity(c, id)
	if err != nil {
		return "", err
	}
	return checkIfMatch(im, cur)
}

// answerEdit makes an edit with editEntity and answers the entity as it
// now is, with its ETag.
func (s *Server) answerEdit(c *gin.Context, id, reason string, change func(graph.Entity) (graph.Entity, error)) {
	e, err := s.editEntity(c, id, reason, change)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", graph.EntityETag(e))
	ok(c, http.StatusOK, e)
}

// editEntity updates the entity with the id to what change makes of it,
// and returns the entity as stored after. With If-Match, the edit is made
// only on the version the client names (Precondition otherwise); without,
// it is made on the version read, and made again on a newer one if
// another edit came first.
func (s *Server) editEntity(c *gin.Context, id, reason string, change func(graph.Entity) (graph.Entity, error)) (graph.Entity, error) {
	ifMatch := c.GetHeader("If-Match")
	for attempt := 1; ; attempt++ {
		cur, err := s.store.Entity(c, id)
		if err != nil {
			return graph.Entity{}, err
		}
		if cur.ID != id {
			// Entity follows merges; edits name entities exactly.
			return graph.Entity{}, graph.Errorf(graph.NotFound,
				"entity %s was merged into %s; edit %s", id, cur.ID, cur.ID)
		}
		tag := graph.EntityETag(cur)
		if ifMatch != "" {
			if _, err := checkIfMatch(ifMatch, cur); err != nil {
				return graph.Entity{}, err
			}
		}
		next, err := change(cur)
		if err != nil {
			return graph.Entity{}, err
		}
		_, err = s.store.Edit(c, graph.Edit{Op: graph.EditUpdate, ID: id, Entity: next, IfMatch: tag,
			Actor: actorOf(c), Reason: reason})
		switch {
		case graph.Is(err, graph.Precondition) && ifMatch == "" && attempt < editAttempts:
			continue
		case graph.Is(err, graph.Precondition) && ifMatch == "":
			return graph.Entity{}, graph.Errorf(graph.Conflict,
				"entity %s changed %d times while this edit was being made; send it again", id, attempt)
		case err != nil:
			return graph.Entity{}, err
		}
		return s.store.Entity(c, id)
	}
}

// checkIfMatch compares an If-Match header (RFC 9110 §13.1.1: "*" or a
// list of strong entity tags) with the entity's version, and returns the
// version's tag for the store to check again as it writes.
func checkIfMatch(header string, cur graph.Entity) (string, error) {
	tag := graph.EntityETag(cur)
	if strings.TrimSpace(header) == "*" {
		return tag, nil
	}
	for _, t := range strings.Split(header, ",") {
		if strings.TrimSpace(t) == tag {
			return tag, nil
		}
	}
	e := graph.Errorf(graph.Precondition, "entity %s has changed since the version in If-Match was read; its version now is %s", cur.ID, tag)
	e.Param = "If-Match"
	return "", e
}

// readObject reads a body that must be one JSON object, into its members.
func (s *Server) readObject(c *gin.Context, types ...string) (map[string]json.RawMessage, error) {
	var raw json.RawMessage
	if err := s.decodeBody(c, &raw, types...); err != nil {
		return nil, err
	}
	if !isObject(raw) {
		return nil, badParam("body", "the body must be a JSON object")
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return nil, bodyError(err)
	}
	return members, nil
}

// checkFields refuses members outside allowed, naming the first in
// alphabetical order so the answer does not vary.
func checkFields(members map[string]json.RawMessage, allowed []string) error {
	var bad []string
	for k := range members {
		if !slices.Contains(allowed, k) {
			bad = append(bad, k)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	slices.Sort(bad)
	k := bad[0]
	if _, known := entityFields[k]; known {
		return badParam(k, "%s cannot be set by an edit: it records where the entity comes from; the fields an edit sets are %s",
			k, strings.Join(allowed, ", "))
	}
	return badParam(k, "unknown field %q; the fields are %s", clip(k), strings.Join(allowed, ", "))
}

// entityFields are the JSON names of an entity's fields.
var entityFields = func() map[string]bool {
	out := map[string]bool{}
	t := reflect.TypeFor[graph.Entity]()
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
			out[name] = true
		}
	}
	return out
}()

// takeReason takes the reason for an edit out of a body's members.
func takeReason(members map[string]json.RawMessage) (string, error) {
	var reason string
	if r, found := members["reason"]; found {
		if json.Unmarshal(r, &reason) != nil {
			return "", badParam("reason", "reason must be a string")
		}
		delete(members, "reason")
	}
	return reason, nil
}

// strictUnmarshal decodes one JSON value into v, refusing unknown fields,
// with the problems decodeBody gives.
func strictUnmarshal(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return bodyError(err)
	}
	return nil
}

// mergePatch applies a JSON merge patch (RFC 7396) to a JSON document: an
// object patch merges member by member, null removing a member, and
// anything else replaces the target whole.
// maxPatchDepth bounds how deeply a PATCH member may nest: twice what any
// editable field holds.
const maxPatchDepth = 2

// jsonDepth returns how deeply arrays and objects nest in a JSON value
// (0 for a scalar), in one pass that skips strings.
func jsonDepth(b []byte) int {
	depth, max, inString := 0, 0, false
	for i := 0; i < len(b); i++ {
		switch ch := b[i]; {
		case inString && ch == '\\':
			i++
		case ch == '"':
			inString = !inString
		case inString:
		case ch == '[' || ch == '{':
			depth++
			if depth > max {
				max = depth
			}
		case ch == ']' || ch == '}':
			depth--
		}
	}
	return max
}

func mergePatch(target, patch json.RawMessage) json.RawMessage {
	var p map[string]json.RawMessage
	if !isObject(patch) || json.Unmarshal(patch, &p) != nil {
		return patch
	}
	var doc map[string]json.RawMessage
	if !isObject(target) || json.Unmarshal(target, &doc) != nil {
		doc = map[string]json.RawMessage{}
	}
	for k, v := range p {
		if string(bytes.TrimSpace(v)) == "null" {
			delete(doc, k)
		} else {
			doc[k] = mergePatch(doc[k], v)
		}
	}
	out, _ := json.Marshal(doc) // members are JSON already: it cannot fail
	return out
}

func isObject(v json.RawMessage) bool {
	t := bytes.TrimSpace(v)
	return len(t) > 0 && t[0] == '{'
}

// noneMatch reports whether an If-None-Match header (RFC 9110 §13.1.2)
// names the current version tag: then a GET answers 304. The comparison
// is weak, as the RFC has it for If-None-Match.
func noneMatch(header, tag string) bool {
	if strings.TrimSpace(header) == "*" {
		return true
	}
	for _, t := range strings.Split(header, ",") {
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == tag {
			return true
		}
	}
	return false
}
