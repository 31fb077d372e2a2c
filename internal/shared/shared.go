// Package shared locates, for tests, the development material kept beside
// the repository in ../shared (the news corpus, the ACLED and GDELT
// samples). It belongs to its publishers and is never copied into the
// repository.
package shared

import (
	"os"
	"path/filepath"
	"testing"
)

// Path is the file or folder ../shared/<parts…> seen from the repository
// root. When it is absent the test skips, unless CI is set: there it must
// run, so the test fails.
func Path(t testing.TB, parts ...string) string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatalf("repository root: %v", err)
	}
	p := filepath.Join(append([]string{root, "..", "shared"}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but the shared material is missing: %v", err)
		}
		t.Skipf("shared material not available: %v", err)
	}
	return p
}

// repoRoot is the nearest folder above the working directory (a test's
// package folder) that holds go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
