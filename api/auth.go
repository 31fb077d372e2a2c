package api

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// API keys and roles. A client sends its key as `Authorization: Bearer KEY`
// or `X-API-Key: KEY`; the key's role says what it may do, and the key's
// name is who the request is from (the audit log's actor). With no keys
// configured the API is open: every request is "anonymous" and may do
// everything, which is why `polgraph serve` then listens on loopback only.

// Role is what an API key may do. Each role may do what the roles below it
// may: reader < writer < admin.
type Role int

// Roles. Their names are the key file's and POLGRAPH_API_KEYS' vocabulary:
// do not rename.
const (
	// rolePublic marks routes anyone may call whatever the configuration
	// (health, readiness, the API's own documentation). No key has it.
	rolePublic Role = iota
	RoleReader
	RoleWriter
	RoleAdmin
)

var roleNames = map[Role]string{rolePublic: "public", RoleReader: "reader", RoleWriter: "writer", RoleAdmin: "admin"}

func (r Role) String() string {
	if n, known := roleNames[r]; known {
		return n
	}
	return fmt.Sprintf("Role(%d)", int(r))
}

// ParseRole reads a role name: reader, writer or admin.
func ParseRole(s string) (Role, error) {
	for r, n := range roleNames {
		if r != rolePublic && n == s {
			return r, nil
		}
	}
	// The value is not echoed: in a malformed entry it may be a key.
	return 0, errors.New("unknown role: use reader, writer or admin")
}

// Key is an API key. Its Secret never appears in logs, errors or
// responses: String, GoString and LogValue show only its name and role.
type Key struct {
	Secret string
	Role   Role
	// Name is who the key's requests are from, in the audit log and the
	// request log; "" names it "key-" and a short hash of the secret.
	Name string
}

// MinKeyLength is the shortest key accepted: keys are bearer secrets, so
// they must be hard to guess (`openssl rand -hex 32` makes a good one).
const MinKeyLength = 16

func (k Key) name() string {
	if k.Name != "" {
		return k.Name
	}
	// A hash of its own, not the digest keys are compared by, so the
	// name gives nothing away about the comparison.
	h := sha256.Sum256([]byte("polgraph key name\x00" + k.Secret))
	return "key-" + hex.EncodeToString(h[:4])
}

func (k Key) String() string       { return k.name() + ":" + k.Role.String() }
func (k Key) GoString() string     { return "api.Key{" + k.String() + "}" }
func (k Key) LogValue() slog.Value { return slog.StringValue(k.String()) }

func (k Key) validate() error { return checkKey(k.Secret, k.Role, k.Name) }

// digest is what keys are compared by: equal lengths whatever the keys.
func (k Key) digest() [sha256.Size]byte { return sha256.Sum256([]byte(k.Secret)) }

// isKeyRune keeps keys to what survives both file and list formats and
// HTTP headers unchanged.
func isKeyRune(r rune) bool {
	return r > ' ' && r < unicode.MaxASCII && r != ':' && r != ',' && r != '#'
}

func checkKey(secret string, role Role, name string) error {
	if len(secret) < MinKeyLength {
		return fmt.Errorf("a key is shorter than %d characters (`openssl rand -hex 32` makes a good one)", MinKeyLength)
	}
	for _, r := range secret {
		if !isKeyRune(r) {
			return fmt.Errorf("a key holds a character other than printable ASCII (no spaces, ':', ',' or '#')")
		}
	}
	if role < RoleReader || role > RoleAdmin {
		return fmt.Errorf("a key has no role: use reader, writer or admin")
	}
	for _, r := range name {
		if !unicode.IsPrint(r) || r == ':' || r == ',' {
			return fmt.Errorf("key name %q holds a character other than printable ones (no ':' or ',')", name)
		}
	}
	return nil
}

// ParseKeys reads a key file: one key a line, as `key:role` or
// `key:role:name`; blank lines and lines starting with # are skipped.
// Errors cite the line, never the key.
func ParseKeys(r io.Reader) ([]Key, error) {
	var keys []Key
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		k, err := parseKey(text)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		keys = append(keys, k)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return keys, nil
}

// ParseKeyList reads keys given inline, as POLGRAPH_API_KEYS holds them:
// `key:role` or `key:role:name` entries separated by commas. Errors cite
// the entry's position, never the key.
func ParseKeyList(s string) ([]Key, error) {
	var keys []Key
	for i, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		k, err := parseKey(entry)
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", i+1, err)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

func parseKey(entry string) (Key, error) {
	parts := strings.SplitN(entry, ":", 3)
	if len(parts) < 2 {
		return Key{}, fmt.Errorf("want key:role or key:role:name")
	}
	role, err := ParseRole(strings.TrimSpace(parts[1]))
	if err != nil {
		return Key{}, err
	}
	k := Key{Secret: strings.TrimSpace(parts[0]), Role: role}
	if len(parts) == 3 {
		k.Name = strings.TrimSpace(parts[2])
	}
	return k, k.validate()
}

// keyring holds the configured keys by digest. Comparing fixed-length
// digests, and always comparing with every key, makes a lookup take the
// same time whichever key (if any) matches and however much of it does.
type keyring struct {
	digests [][sha256.Size]byte
	keys    []principal
}

// principal is who makes a request, as far as authorization goes.
type principal struct {
	name  string
	role  Role
	index int // in the keyring: rate limits are per key
}

func newKeyring(keys []Key) (*keyring, error) {
	kr := &keyring{}
	seen := map[[sha256.Size]byte]bool{}
	for i, k := range keys {
		if err := k.validate(); err != nil {
			return nil, fmt.Errorf("key %d (%s): %w", i+1, k.name(), err)
		}
		d := k.digest()
		if seen[d] {
			return nil, fmt.Errorf("key %d (%s) is given twice", i+1, k.name())
		}
		seen[d] = true
		kr.digests = append(kr.digests, d)
		kr.keys = append(kr.keys, principal{name: k.name(), role: k.Role, index: i})
	}
	return kr, nil
}

func (kr *keyring) empty() bool { return len(kr.keys) == 0 }

// lookup finds the key with the secret, in constant time.
func (kr *keyring) lookup(secret string) (principal, bool) {
	d := sha256.Sum256([]byte(secret))
	found := -1
	for i := range kr.digests {
		eq := subtle.ConstantTimeCompare(d[:], kr.digests[i][:])
		found = subtle.ConstantTimeSelect(eq, i, found)
	}
	if found < 0 {
		return principal{}, false
	}
	return kr.keys[found], true
}

// routeRoles is the one table of what each route needs, keyed by method and
// gin's route pattern: reads need a reader, writes a writer, and what
// destroys or rewrites others' work (deletes, merges, the gazetteer) an
// admin. A route missing here needs admin, and the role matrix test fails
// on it: add every new route.
var routeRoles = map[string]Role{
	"GET /healthz":      rolePublic,
	"GET /readyz":       rolePublic,
	"GET /openapi.json": rolePublic,
	"GET /docs":         rolePublic,
	"GET /docs/*file":   rolePublic,
	// The explorer page holds no data; it asks for a key when the API
	// answers 401.
	"GET /":               rolePublic,
	"GET /explorer/*file": rolePublic,
	// Metrics are reads like any other: open when reads are open, else a
	// scraper sends a reader key (Prometheus' `authorization` setting).
	"GET /metrics": RoleReader,

	"GET /v1/entities":                       RoleReader,
	"POST /v1/entities":                      RoleWriter,
	"GET /v1/entities/:id":                   RoleReader,
	"PATCH /v1/entities/:id":                 RoleWriter,
	"DELETE /v1/entities/:id":                RoleAdmin,
	"POST /v1/entities/:id/aliases":          RoleWriter,
	"DELETE /v1/entities/:id/aliases/:alias": RoleAdmin,
	"GET /v1/entities/:id/relations":         RoleReader,
	"GET /v1/entities/:id/network":           RoleReader,
	"GET /v1/entities/:id/common":            RoleReader,
	"GET /v1/entities/:id/timeline":          RoleReader,
	"POST /v1/merges":                        RoleAdmin,
	"DELETE /v1/merges/:id":                  RoleAdmin,
	"GET /v1/audit":                          RoleReader,
	"GET /v1/relations/:id":                  RoleReader,
	"GET /v1/paths":                          RoleReader,
	"GET /v1/events":                         RoleReader,
	"GET /v1/documents/:id":                  RoleReader,
	"GET /v1/documents/:id/annotations":      RoleReader,
	"POST /v1/documents":                     RoleWriter,
	"GET /v1/gazetteer":                      RoleReader,
	"POST /v1/gazetteer":                     RoleAdmin,
	"GET /v1/stats":                          RoleReader,
	"GET /v1/changes":                        RoleReader,
	"GET /v1/changes/stream":                 RoleReader,
	"POST /v1/imports/:format":               RoleWriter,
	"GET /v1/jobs/:id":                       RoleReader,
}

// needs is the role a request needs. Requests no route matches need
// nothing: they are answered 404 or 405 whoever asks.
func (s *Server) needs(c *gin.Context) Role {
	route := c.FullPath()
	if route == "" {
		return rolePublic
	}
	role, listed := routeRoles[c.Request.Method+" "+route]
	if !listed {
		return RoleAdmin
	}
	if role == RoleReader && s.openReads {
		return rolePublic
	}
	return role
}

// Keys on the gin context.
const (
	actorKey     = "polgraph.actor"
	principalKey = "polgraph.principal"
)

// anonymous is the actor of requests without a key.
const anonymous = "anonymous"

// identify finds who makes the request from the key it carries, without
// deciding anything yet: the rate limiter counts requests with unknown keys
// against the client's address before authorize turns them away.
func (s *Server) identify(c *gin.Context) {
	c.Set(actorKey, anonymous)
	if s.keys.empty() {
		return
	}
	secret, sent := credentials(c.Request)
	if !sent {
		return
	}
	if p, known := s.keys.lookup(secret); known {
		c.Set(actorKey, p.name)
		c.Set(principalKey, p)
	} else {
		c.Set(principalKey, principal{index: -1})
	}
}

// authorize lets the request through if its key's role suffices: 401 when
// the key is missing or unknown (so the client should send another), 403
// when a known key's role is too low (sending it again will not help).
func (s *Server) authorize(c *gin.Context) {
	need := s.needs(c)
	if s.keys.empty() || need == rolePublic {
		return
	}
	v, sent := c.Get(principalKey)
	p, _ := v.(principal)
	switch {
	case !sent:
		s.challenge(c, "this route needs an API key with role "+need.String()+
			": send it as `Authorization: Bearer KEY` or `X-API-Key: KEY`")
	case p.index < 0:
		s.challenge(c, "the API key is not known")
	case p.role < need:
		s.fail(c, graph.Errorf(forbidden, "key %s has role %s; %s %s needs %s",
			p.name, p.role, c.Request.Method, c.FullPath(), need))
	}
}

func (s *Server) challenge(c *gin.Context, msg string) {
	c.Header("WWW-Authenticate", `Bearer realm="polgraph"`)
	s.fail(c, graph.Errorf(unauthorized, "%s", msg))
}

// credentials reads the key a request carries. A key sent both ways must
// be the same key; otherwise the request carries one that is not known.
func credentials(r *http.Request) (string, bool) {
	var bearer string
	var hasBearer bool
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, rest, _ := strings.Cut(h, " ")
		if strings.EqualFold(scheme, "Bearer") {
			bearer, hasBearer = strings.TrimSpace(rest), true
		}
	}
	apiKey, hasAPIKey := strings.TrimSpace(r.Header.Get("X-API-Key")), r.Header.Get("X-API-Key") != ""
	switch {
	case hasBearer && hasAPIKey && bearer != apiKey:
		return "", true
	case hasBearer:
		return bearer, true
	case hasAPIKey:
		return apiKey, true
	}
	return "", false
}

// actorOf names who makes a request, for the audit log and the request log:
// the API key's name, or "anonymous" when the API is open or the route is
// and no key was sent. Never the key itself.
func actorOf(c *gin.Context) string {
	if a := c.GetString(actorKey); a != "" {
		return a
	}
	return anonymous
}
