package soak

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/polgraph/polgraph/bench/synth"
)

// ServerConfig says how to start `polgraph serve`.
type ServerConfig struct {
	Binary  string // the polgraph binary
	Store   string // embedded or neo4j
	DataDir string // the embedded store's directory
	// Env is the process's environment (os.Environ() and the NEO4J_*
	// variables); the keys are added to it.
	Env []string
	// Log is the file the server's output goes to.
	Log string
}

// Server is a `polgraph serve` process on a loopback port, with an API key
// of each role the soak needs: reads then go through the same
// authorisation a deployment's do, and posts are authorised.
type Server struct {
	URL               string
	ReadKey, WriteKey string
	cmd               *exec.Cmd
	log               *os.File

	mu   sync.Mutex
	done chan struct{}
	exit string // how it ended, once done is closed
}

// StartServer starts the server on 127.0.0.1 at a port the kernel picks
// (the server prints it), and waits until /readyz answers 200.
func StartServer(ctx context.Context, c ServerConfig) (*Server, error) {
	readKey, err := newKey()
	if err != nil {
		return nil, err
	}
	writeKey, err := newKey()
	if err != nil {
		return nil, err
	}
	log, err := os.Create(c.Log)
	if err != nil {
		return nil, err
	}
	args := []string{"serve", "--addr", "127.0.0.1:0", "--store", c.Store}
	if c.Store == "embedded" {
		args = append(args, "--data-dir", c.DataDir)
	}
	// Not CommandContext: the server is stopped by Stop, with SIGTERM and
	// its graceful shutdown, not killed when ctx ends.
	cmd := exec.Command(c.Binary, args...)
	// The keys go by environment, as a deployment gives them: never on
	// the command line, where ps shows them.
	cmd.Env = append(withoutKeys(c.Env), "POLGRAPH_API_KEYS="+readKey+":reader:soak-reader,"+writeKey+":writer:soak-writer")
	cmd.Stderr = log
	addr := make(chan string, 1)
	cmd.Stdout = &addrWatcher{w: log, addr: addr}
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("starting %s: %w", c.Binary, err)
	}
	s := &Server{ReadKey: readKey, WriteKey: writeKey, cmd: cmd, log: log, done: make(chan struct{})}
	go func() {
		err := cmd.Wait()
		s.mu.Lock()
		s.exit = "exited"
		if err != nil {
			s.exit = err.Error()
		}
		s.mu.Unlock()
		close(s.done)
	}()
	if err := s.waitReady(ctx, addr); err != nil {
		s.Stop()
		return nil, fmt.Errorf("%w (server log: %s)", err, c.Log)
	}
	return s, nil
}

// addrWatcher passes the server's output on to w and sends the address
// the server prints once it listens.
type addrWatcher struct {
	w    io.Writer
	addr chan<- string
	line []byte
	sent bool
}

func (a *addrWatcher) Write(p []byte) (int, error) {
	if !a.sent {
		a.line = append(a.line, p...)
		for {
			i := bytes.IndexByte(a.line, '\n')
			if i < 0 {
				break
			}
			if u, found := strings.CutPrefix(string(a.line[:i]), "polgraph listening on "); found {
				a.addr <- strings.TrimSpace(u)
				a.sent, a.line = true, nil
				break
			}
			a.line = a.line[i+1:]
		}
	}
	return a.w.Write(p)
}

// startTimeout bounds a server's start, its store opened: a Neo4j that
// creates its schema takes some seconds.
const startTimeout = 2 * time.Minute

func (s *Server) waitReady(ctx context.Context, addr <-chan string) error {
	deadline := time.After(startTimeout)
	select {
	case u := <-addr:
		s.URL = u
	case <-s.done:
		return fmt.Errorf("polgraph serve exited before listening: %s", s.exitStatus())
	case <-deadline:
		return fmt.Errorf("polgraph serve did not listen within %s", startTimeout)
	case <-ctx.Done():
		return ctx.Err()
	}
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		resp, err := client.Get(s.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.done:
			return fmt.Errorf("polgraph serve exited before it was ready: %s", s.exitStatus())
		case <-deadline:
			return fmt.Errorf("polgraph serve was not ready within %s", startTimeout)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Pid is the server's process id.
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// Exited reports whether the process ended, and how.
func (s *Server) Exited() (bool, string) {
	select {
	case <-s.done:
		return true, s.exitStatus()
	default:
		return false, ""
	}
}

func (s *Server) exitStatus() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exit
}

// Stop shuts the server down gracefully (SIGTERM), killing it if it has
// not ended after its own shutdown deadline has passed.
func (s *Server) Stop() {
	defer s.log.Close()
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// newKey is an API key as `openssl rand -hex 32` makes one.
func newKey() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// withoutKeys drops the keys the environment may hold: the server is to
// know the soak's keys only, and a key file of the caller's would add
// keys the soak does not hold.
func withoutKeys(env []string) []string {
	var out []string
	for _, kv := range env {
		if strings.HasPrefix(kv, "POLGRAPH_API_KEYS=") || strings.HasPrefix(kv, "POLGRAPH_API_KEYS_FILE=") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// SeedConfig says what graph to seed a store with.
type SeedConfig struct {
	Binary    string
	Store     string
	DataDir   string
	Env       []string
	Relations int
	Seed      uint64
	// Summary is the file `polgraph gen` writes the graph's summary to.
	Summary string
}

// Seed fills the store with a synthetic graph with `polgraph gen`, before
// the server opens it (the embedded store's file is the server's alone
// once it runs), and returns the graph's summary, whose sample the reads
// ask about.
func Seed(ctx context.Context, c SeedConfig) (synth.Summary, error) {
	args := []string{"gen", "--store", c.Store, "--relations", strconv.Itoa(c.Relations),
		"--seed", strconv.FormatUint(c.Seed, 10), "--summary", c.Summary}
	if c.Store == "embedded" {
		args = append(args, "--data-dir", c.DataDir)
	}
	cmd := exec.CommandContext(ctx, c.Binary, args...)
	cmd.Env = c.Env
	if out, err := cmd.CombinedOutput(); err != nil {
		return synth.Summary{}, fmt.Errorf("polgraph %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return ReadSummary(c.Summary)
}

// ReadSummary reads a summary `polgraph gen --summary` wrote.
func ReadSummary(path string) (synth.Summary, error) {
	var sum synth.Summary
	b, err := os.ReadFile(path)
	if err != nil {
		return sum, err
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		return sum, fmt.Errorf("%s: %w", path, err)
	}
	if len(sum.Sample.Actors) == 0 {
		return sum, errors.New(path + ": the summary samples no actors")
	}
	return sum, nil
}

// ServerLog is what the server's log says of a run: its lines by level,
// and the first warnings and errors other than request lines (those say
// only a status, which the report has).
type ServerLog struct {
	Levels   map[string]int `json:"levels"`
	Messages []string       `json:"messages,omitempty"`
}

// maxLogMessages bounds the messages quoted from a server log.
const maxLogMessages = 10

// ReadServerLog reads a JSON or text server log; lines of neither format
// count as "other".
func ReadServerLog(path string) (*ServerLog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := &ServerLog{Levels: map[string]int{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		line := sc.Text()
		var rec struct {
			Level string `json:"level"`
			Msg   string `json:"msg"`
		}
		switch {
		case json.Unmarshal([]byte(line), &rec) == nil && rec.Level != "":
		case strings.Contains(line, "level="):
			rec.Level, _, _ = strings.Cut(line[strings.Index(line, "level=")+len("level="):], " ")
			if strings.Contains(line, "msg=request ") {
				rec.Msg = "request"
			}
		default:
			rec.Level = "other"
		}
		out.Levels[rec.Level]++
		if (rec.Level == "WARN" || rec.Level == "ERROR") && rec.Msg != "request" && len(out.Messages) < maxLogMessages {
			out.Messages = append(out.Messages, clip(line, 1000))
		}
	}
	return out, sc.Err()
}
