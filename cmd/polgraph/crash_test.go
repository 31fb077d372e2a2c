package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// crashChildEnv names the data directory of a `polgraph serve` that
// TestCrashChild runs in a child process for TestEmbeddedKill9.
const crashChildEnv = "POLGRAPH_CRASH_CHILD_DATA"

// TestCrashChild is not a test: it is the child process TestEmbeddedKill9
// starts, a `polgraph serve` on the embedded store, which it kills.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashChildEnv)
	if dir == "" {
		t.Skip("the child process of TestEmbeddedKill9")
	}
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir}, noEnv, os.Stdout, os.Stderr)
	fmt.Fprintln(os.Stderr, "serve returned:", err)
	os.Exit(3)
}

// TestEmbeddedKill9 runs `polgraph serve` on the embedded store in a child
// process while a client posts reports to it, and kills the child with
// SIGKILL at a random moment, 20 times, each time starting it again on the
// same data. The store must open every time with every acknowledged report
// in it, once; and once the client has posted every report again, the
// graph is the one a clean run over the same reports builds.
func TestEmbeddedKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("kills 20 child processes: not in -short")
	}
	const rounds, n = 20, 400
	reports := faultReports(n)
	dir := t.TempDir()
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 1))
	t.Logf("seed %d", seed)

	var acked []string // document ids, in the order acknowledged
	next := 0          // the next report to post
	inflight := 0      // reports sent whose answer never came: stored or not
	for round := 0; round < rounds; round++ {
		child := startCrashChild(t, dir)
		checkAcknowledged(t, child.base, acked, inflight, round)

		// Post until the kill, which falls at a random moment: before the
		// first answer, in a write, between writes.
		killAt := time.Duration(rng.IntN(1500)) * time.Millisecond
		timer := time.AfterFunc(killAt, func() { child.cmd.Process.Signal(syscall.SIGKILL) })
		for {
			if next == n {
				next = 0 // again from the start: the reports are idempotent
			}
			id, err := postReport(http.DefaultClient, child.base, reports[next])
			if err != nil {
				inflight = 1
				break
			}
			acked = append(acked, id)
			next++
			inflight = 0
		}
		timer.Stop()
		state, err := child.cmd.Process.Wait()
		if err != nil {
			t.Fatal(err)
		}
		if ws, ok := state.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: the child ended with %v, not by SIGKILL; its log:\n%s", round, state, clipLog(child.stderr.String()))
		}
	}
	if len(acked) < rounds {
		t.Fatalf("only %d reports acknowledged over %d rounds: the kills fell too early to test much", len(acked), rounds)
	}
	t.Logf("%d rounds, %d reports acknowledged", rounds, len(acked))

	// The last start: the store opens, and posting every report again
	// (those never acknowledged among them) gives a clean run's graph.
	child := startCrashChild(t, dir)
	checkAcknowledged(t, child.base, acked, inflight, rounds)
	for i, r := range reports {
		if _, err := postReport(http.DefaultClient, child.base, r); err != nil {
			t.Fatalf("report %d after the last restart: %v", i, err)
		}
	}
	clean := startServer(t)
	for i, r := range reports {
		if _, err := postReport(http.DefaultClient, clean, r); err != nil {
			t.Fatalf("report %d on the clean server: %v", i, err)
		}
	}
	if got, want := graphSummary(t, child.base), graphSummary(t, clean); got != want {
		t.Errorf("after 20 crashes the graph is\n%s\nbut a clean run gives\n%s", got, want)
	}
	child.cmd.Process.Kill()
	child.cmd.Wait()
}

type crashChild struct {
	cmd    *exec.Cmd
	base   string
	stderr *syncBuffer
}

// startCrashChild starts TestCrashChild on dir and waits for it to listen:
// the store opened.
func startCrashChild(t *testing.T, dir string) crashChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.v=false")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case base := <-found:
		return crashChild{cmd: cmd, base: base, stderr: &stderr}
	case <-time.After(60 * time.Second):
		t.Fatalf("the child did not start serving over the crashed store within 60 s; its log:\n%s", clipLog(stderr.String()))
	}
	return crashChild{}
}

// refused is a post's answer that was not a 2xx: its status (0 when the
// connection failed) and the Retry-After the server gave.
type refused struct {
	status     int
	retryAfter string
	err        error
}

func (r *refused) Error() string { return fmt.Sprintf("%d: %v", r.status, r.err) }

// postReport posts one report: a 2xx acknowledges it with its document
// id; any other answer, or none, is a *refused.
func postReport(hc *http.Client, base string, report []byte) (string, error) {
	resp, err := hc.Post(base+"/v1/documents", "application/json", bytes.NewReader(report))
	if err != nil {
		return "", &refused{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", &refused{err: err}
	}
	if resp.StatusCode >= 300 {
		return "", &refused{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), err: fmt.Errorf("%s", body)}
	}
	var res struct{ Document string }
	if err := json.Unmarshal(body, &res); err != nil || res.Document == "" {
		return "", fmt.Errorf("%d without a document id: %s", resp.StatusCode, body)
	}
	return res.Document, nil
}

// checkAcknowledged asserts that every acknowledged report is stored, and
// that the store holds no more reports than were acknowledged, give or
// take the one whose answer the kill cut off.
func checkAcknowledged(t *testing.T, base string, acked []string, inflight, round int) {
	t.Helper()
	distinct := map[string]bool{}
	for _, id := range acked {
		if distinct[id] {
			continue
		}
		distinct[id] = true
		if status, _ := call(t, "GET", base+"/v1/documents/"+id, nil, nil); status != 200 {
			t.Fatalf("round %d: acknowledged document %s: %d", round, id, status)
		}
	}
	var stats struct{ Documents int }
	if status, _ := call(t, "GET", base+"/v1/stats", nil, &stats); status != 200 {
		t.Fatalf("round %d: stats: %d", round, status)
	}
	reports := stats.Documents
	if len(distinct) > 0 {
		reports-- // the gazetteer, stored with the first report
	}
	if reports < len(distinct) || reports > len(distinct)+inflight {
		t.Fatalf("round %d: %d reports stored, %d acknowledged and %d in flight", round, reports, len(distinct), inflight)
	}
}
