package graph

import (
	"crypto/sha1"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// Namespace is the UUIDv5 namespace of every polgraph id. Stored ids derive
// from it: changing it orphans every existing graph.
var Namespace = uuid.MustParse("6f1c2f4e-3d2a-5b8e-9a41-70c1a2b3d4e5")

// newID is uuid.NewSHA1(Namespace, parts joined by U+001F).String(),
// hashed from one stack buffer when the parts are short.
func newID(parts ...string) string {
	var buf [256]byte
	return hashID(appendParts(buf[:0], parts...))
}

// appendParts appends the namespace and the parts joined by U+001F.
func appendParts(b []byte, parts ...string) []byte {
	b = append(b, Namespace[:]...)
	for i, p := range parts {
		if i > 0 {
			b = append(b, 0x1f)
		}
		b = append(b, p...)
	}
	return b
}

// hashID is the id of the namespace and parts appendParts gave.
func hashID(b []byte) string {
	sum := sha1.Sum(b)
	var u uuid.UUID
	copy(u[:], sum[:])
	u[6] = (u[6] & 0x0f) | 0x50 // version 5
	u[8] = (u[8] & 0x3f) | 0x80 // RFC 4122 variant
	return u.String()
}

// EntityID derives an entity's id from its kind and canonical key (a
// gazetteer id, or a normalised name).
func EntityID(kind Kind, key string) string { return newID("entity", string(kind), key) }

// DocumentID derives a document's id from its canonical URL or, when it has
// none, the sha256 of its text.
func DocumentID(urlOrSHA string) string { return newID("document", urlOrSHA) }

// RelationID derives a relation's id from what makes it one fact: its type,
// ends and qualifier (role or title).
func RelationID(t RelType, from, to, qualifier string) string {
	return newID("relation", string(t), from, to, strings.ToLower(qualifier))
}

// EvidenceID derives an evidence id from the relation, the document and the
// span, so reading the same sentence twice gives the same evidence.
func EvidenceID(relation, document string, start, end int) string {
	// newID("evidence", relation, document, strconv.Itoa(start),
	// strconv.Itoa(end)), the numbers written in place: every relation
	// of every batch has evidence.
	var buf [256]byte
	b := appendParts(buf[:0], "evidence", relation, document)
	b = strconv.AppendInt(append(b, 0x1f), int64(start), 10)
	b = strconv.AppendInt(append(b, 0x1f), int64(end), 10)
	return hashID(b)
}

// Qualifier is the part of a relation besides its type and ends that makes
// it a distinct fact.
func (r *Relation) Qualifier() string {
	if r.Role != "" {
		return r.Role
	}
	return r.Title
}

// ValidID reports whether s is a canonical UUID string: what
// uuid.UUID.String writes, 36 characters of lower-case hex and dashes. It
// is checked for every id of every batch, so it checks the form in place
// rather than parsing and printing the UUID again.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
				return false
			}
		}
	}
	return true
}
