package graph

import "testing"

func TestValidDate(t *testing.T) {
	for d, want := range map[string]bool{
		"2025": true, "2025-10": true, "2025-10-31": true, "2024-02-29": true,
		"2025-02-29": false, "2025-10-49": false, "2025-13": false, "2025-00": false, "2025-10-00": false,
		"2025-1-01": false, "2025/10/01": false, "20251001": false, "": false, "２０２５": false,
	} {
		if got := ValidDate(d); got != want {
			t.Errorf("ValidDate(%q) = %v, want %v", d, got, want)
		}
	}
}
