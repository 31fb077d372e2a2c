package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"
)

// TestComposeFileMatchesWhatPolgraphReads checks docker-compose.yml as far
// as a machine without Docker can: it parses, both services are there with
// ports, health checks and the wait on Neo4j, and every variable it sets
// for polgraph is one polgraph reads, so a renamed flag cannot silently
// leave the deployment misconfigured.
func TestComposeFileMatchesWhatPolgraphReads(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Image       string
			Build       any
			Ports       []string
			Environment map[string]string
			Healthcheck struct{ Test []string }
			DependsOn   map[string]struct{ Condition string } `yaml:"depends_on"`
			Volumes     []string
		}
		Volumes map[string]any
	}
	if err := yaml.Unmarshal(raw, &compose); err != nil {
		t.Fatalf("docker-compose.yml does not parse: %v", err)
	}
	neo, app := compose.Services["neo4j"], compose.Services["polgraph"]
	if !strings.HasPrefix(neo.Image, "neo4j:5") {
		t.Errorf("neo4j image %q, want the official Neo4j 5 image", neo.Image)
	}
	if !strings.Contains(neo.Environment["NEO4J_AUTH"], "NEO4J_PASSWORD") {
		t.Errorf("Neo4j auth %q does not come from the environment", neo.Environment["NEO4J_AUTH"])
	}
	if app.Build == nil || len(app.Ports) == 0 || !strings.Contains(app.Ports[0], "8080") {
		t.Errorf("polgraph service must be built here and publish 8080: %+v", app)
	}
	if app.DependsOn["neo4j"].Condition != "service_healthy" {
		t.Error("polgraph does not wait for Neo4j to be healthy")
	}
	for name, svc := range compose.Services {
		if len(svc.Healthcheck.Test) == 0 {
			t.Errorf("service %s has no health check", name)
		}
		for _, v := range svc.Volumes {
			vol := strings.SplitN(v, ":", 2)[0]
			if _, ok := compose.Volumes[vol]; !ok {
				t.Errorf("service %s uses volume %q, which is not declared", name, vol)
			}
		}
	}
	if hc := strings.Join(app.Healthcheck.Test, " "); !strings.Contains(hc, "healthcheck") || !strings.Contains(hc, "/readyz") {
		t.Errorf("polgraph health check %q should run `polgraph healthcheck` against /readyz", hc)
	}

	known := knownEnv(t)
	for name, value := range app.Environment {
		if !known[name] {
			t.Errorf("compose sets %s for polgraph, which polgraph does not read", name)
		}
		if name == "POLGRAPH_STORE" && value != "neo4j" {
			t.Errorf("POLGRAPH_STORE=%q, want neo4j", value)
		}
	}
	for _, need := range []string{"NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "POLGRAPH_STORE"} {
		if _, ok := app.Environment[need]; !ok {
			t.Errorf("compose does not set %s for polgraph", need)
		}
	}
	// The deployment listens beyond loopback: it must not start without
	// keys or a Neo4j password (compose's ${VAR:?} refuses to), nor with
	// the checks that guard an open API turned off.
	for _, secret := range []string{"POLGRAPH_API_KEYS", "NEO4J_PASSWORD"} {
		if v := app.Environment[secret]; !strings.HasPrefix(v, "${"+secret+":?") {
			t.Errorf("%s=%q: compose must refuse to start without it (${%s:?...}), never default it", secret, v, secret)
		}
	}
	if v, ok := app.Environment["POLGRAPH_INSECURE"]; ok {
		t.Errorf("compose sets POLGRAPH_INSECURE=%q: the deployment must keep the checks of an open API", v)
	}
	if v := app.Environment["POLGRAPH_OPEN_READS"]; v != "${POLGRAPH_OPEN_READS:-false}" {
		t.Errorf("POLGRAPH_OPEN_READS=%q: reads must need a key unless the operator opens them", v)
	}

	dockerfile, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^USER\s+\S*nonroot`).Match(dockerfile) {
		t.Error("the Dockerfile's runtime image does not run as a non-root user")
	}
	for _, m := range regexp.MustCompile(`POLGRAPH_[A-Z_]+`).FindAll(dockerfile, -1) {
		if !known[string(m)] {
			t.Errorf("Dockerfile sets %s, which polgraph does not read", m)
		}
	}
}

// knownEnv lists every variable run reads: each flag's fallback of every
// command, the others (otherEnv), and Neo4j's own names.
func knownEnv(t *testing.T) map[string]bool {
	t.Helper()
	known := map[string]bool{}
	for _, v := range neo4jEnv {
		known[v] = true
	}
	for _, v := range otherEnv {
		known[v] = true
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) { known[envName(f)] = true })
		c.PersistentFlags().VisitAll(func(f *pflag.Flag) { known[envName(f)] = true })
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(rootCommand(t.Context(), noEnv, os.Stdout, os.Stderr))
	return known
}
