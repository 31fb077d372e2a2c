package graph

import (
	"testing"

	"github.com/google/uuid"
)

// validIDByParsing is ValidID as it was first written: the definition.
func validIDByParsing(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}

var validIDSeeds = []string{
	EntityID(KindPerson, "a"), "6F1C2F4E-3D2A-5B8E-9A41-70C1A2B3D4E5", "6f1c2f4e-3d2a-5b8e-9a41-70c1a2b3d4e5",
	"{6f1c2f4e-3d2a-5b8e-9a41-70c1a2b3d4e5}", "urn:uuid:6f1c2f4e-3d2a-5b8e-9a41-70c1a2b3d4e5",
	"6f1c2f4e3d2a5b8e9a4170c1a2b3d4e5", "6f1c2f4e-3d2a-5b8e-9a41-70c1a2b3d4eg", "6f1c2f4e-3d2a-5b8e-9a41_70c1a2b3d4e5",
	"", "00000000-0000-0000-0000-000000000000", "6f1c2f4e-3d2a-5b8e-9a41-70c1a2b3d4e5 ",
}

func TestValidID(t *testing.T) {
	for _, s := range validIDSeeds {
		if got, want := ValidID(s), validIDByParsing(s); got != want {
			t.Errorf("ValidID(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzValidID(f *testing.F) {
	for _, s := range validIDSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ValidID(s), validIDByParsing(s); got != want {
			t.Errorf("ValidID(%q) = %v, want %v", s, got, want)
		}
	})
}
