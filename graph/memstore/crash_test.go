package memstore

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/polgraph/polgraph/graph"
)

// The crash test's graph: batch i holds document i, person i, person i
// MEMBER_OF the anchor, and one more piece of evidence (from document i) for
// the one ALLIED_WITH relation between the two anchors. So after any crash,
// the allied relation's evidence count must equal the number of persons: a
// batch is all there or not at all.
var (
	crashAnchor = graph.Entity{ID: graph.EntityID(graph.KindOrganization, "crash anchor"), Kind: graph.KindOrganization,
		Name: "Anchor Brigade"}
	crashAlly = graph.Entity{ID: graph.EntityID(graph.KindOrganization, "crash ally"), Kind: graph.KindOrganization,
		Name: "Ally Brigade"}
	crashAllied = graph.RelationID(graph.AlliedWith, crashAnchor.ID, crashAlly.ID, "")
)

func crashPerson(i int) string {
	return graph.EntityID(graph.KindPerson, fmt.Sprintf("crash person %d", i))
}

func crashBatch(i int) *graph.Batch {
	url := fmt.Sprintf("https://news.example/crash/%d", i)
	// A long text makes each write span many pages, so a kill is likely to
	// land inside one.
	text := fmt.Sprintf("Person %d joined the Anchor Brigade. ", i) + strings.Repeat("The brigades met again. ", 2000)
	doc := graph.Document{ID: graph.DocumentID(url), URL: url, Title: fmt.Sprintf("Report %d", i), Published: "2025-10-20", Text: text}
	person := graph.Entity{ID: crashPerson(i), Kind: graph.KindPerson, Name: fmt.Sprintf("Person %d", i)}
	ev := func(rel string, start, end int) []graph.Evidence {
		return []graph.Evidence{{ID: graph.EvidenceID(rel, doc.ID, start, end), Document: doc.ID, Start: start, End: end,
			Text: string([]rune(text)[start:end]), Rule: "test", Confidence: 0.5, Date: doc.Published}}
	}
	member := graph.Relation{ID: graph.RelationID(graph.MemberOf, person.ID, crashAnchor.ID, ""), Type: graph.MemberOf,
		From: person.ID, To: crashAnchor.ID}
	member.Evidence = ev(member.ID, 0, 6)
	allied := graph.Relation{ID: crashAllied, Type: graph.AlliedWith, From: crashAnchor.ID, To: crashAlly.ID}
	allied.Evidence = ev(allied.ID, 40, 62)
	return &graph.Batch{
		Documents: []graph.Document{doc},
		Entities:  []graph.Entity{crashAnchor, crashAlly, person},
		Relations: []graph.Relation{member, allied},
	}
}

// TestHelperProcess is the child of TestKill9: it applies batch after batch,
// printing "begin N" as it calls Apply(N) and "ack N" once it has returned. It does nothing in a normal
// test run.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv("MEMSTORE_CRASH_DIR")
	if dir == "" {
		t.Skip("run by TestKill9 only")
	}
	start, _ := strconv.Atoi(os.Getenv("MEMSTORE_CRASH_START"))
	s, err := Open(dir)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	for i := start; ; i++ {
		b := crashBatch(i)
		fmt.Printf("begin %d\n", i)
		if _, err := s.Apply(bg, b); err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
		fmt.Printf("ack %d\n", i) // os.Stdout is unbuffered: the line leaves now
	}
}

// TestKill9 kills a writing child process with SIGKILL, several times, and
// checks after each kill that the store opens cleanly and holds every batch
// the child acknowledged, exactly once, and no half of any batch.
func TestKill9(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("needs SIGKILL")
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	// How long one Apply takes here, to aim the kills inside one.
	probe, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	for i := range 5 {
		if _, err := probe.Apply(bg, crashBatch(i)); err != nil {
			t.Fatal(err)
		}
	}
	applyTime := time.Since(started) / 5
	probe.Close()
	acked := map[int]bool{}
	next := 0
	inFlight, extra := 0, 0 // extra: batches committed but never acknowledged
	for round := range 6 {
		killAfter := 3 + rng.IntN(6)
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), "MEMSTORE_CRASH_DIR="+dir, "MEMSTORE_CRASH_START="+strconv.Itoa(next))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		n := 0
		killed := false
		deadline := time.AfterFunc(time.Minute, func() { cmd.Process.Kill() })
		for lines.Scan() {
			line := lines.Text()
			var i int
			switch {
			case strings.HasPrefix(line, "error"):
				t.Fatalf("round %d: child: %s", round, line)
			case strings.HasPrefix(line, "begin") && n >= killAfter && !killed:
				// The child is inside Apply: kill it somewhere in the write.
				time.Sleep(time.Duration(rng.IntN(int(applyTime.Microseconds())+1)) * time.Microsecond)
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				killed = true
			default:
				if _, err := fmt.Sscanf(line, "ack %d", &i); err == nil {
					acked[i] = true
					n++
				}
			}
		}
		deadline.Stop()
		err = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: child ended with %v, not by SIGKILL; stderr:\n%s", round, err, stderr.String())
		}
		var present int
		next, present = checkCrashStore(t, dir, acked, round)
		if present-len(acked) > extra {
			inFlight++
			extra = present - len(acked)
		}
	}
	t.Logf("one Apply takes about %v; %d of 6 kills came after a commit, before its ack", applyTime, inFlight)
	if len(acked) < 12 {
		t.Errorf("only %d batches acknowledged in all", len(acked))
	}
}

// checkCrashStore opens the store the child left and checks it; it returns
// the index of the next batch to write and how many batches are there.
func checkCrashStore(t *testing.T, dir string, acked map[int]bool, round int) (next, present int) {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatalf("round %d: the store does not open after kill -9: %v", round, err)
	}
	defer s.Close()
	stats, err := s.Stats(bg)
	if err != nil {
		t.Fatal(err)
	}
	maxPresent := -1
	for i := 0; i <= maxAck(acked)+1; i++ {
		e, err := s.Entity(bg, crashPerson(i))
		if graph.Is(err, graph.NotFound) {
			if acked[i] {
				t.Fatalf("round %d: acknowledged batch %d is lost", round, i)
			}
			continue
		}
		if err != nil || e.Name != fmt.Sprintf("Person %d", i) {
			t.Fatalf("round %d: person %d = %+v, %v", round, i, e, err)
		}
		present++
		maxPresent = i
		r, err := s.Relation(bg, graph.RelationID(graph.MemberOf, crashPerson(i), crashAnchor.ID, ""))
		if err != nil || r.EvidenceCount != 1 {
			t.Fatalf("round %d: batch %d's MEMBER_OF = %d evidence, %v; want exactly 1", round, i, r.EvidenceCount, err)
		}
		if d, err := s.Document(bg, r.Evidence[0].Document); err != nil || len(d.Text) < 40000 {
			t.Fatalf("round %d: batch %d's document: %v", round, i, err)
		}
	}
	allied, err := s.Relation(bg, crashAllied)
	if err != nil {
		t.Fatal(err)
	}
	if allied.EvidenceCount != present || stats.Entities[graph.KindPerson] != present || stats.Documents != present ||
		stats.Relations[graph.MemberOf] != present || stats.Evidence != 2*present {
		t.Fatalf("round %d: %d persons but %d allied evidence, stats %+v: a batch is half there",
			round, present, allied.EvidenceCount, stats)
	}
	// The change feed is whole: numbered 1…n without gaps, and n is Stats.Changes.
	var seq uint64
	for {
		page, err := s.Changes(bg, seq, graph.MaxPageSize)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Items {
			if c.Seq != seq+1 {
				t.Fatalf("round %d: change %d follows %d", round, c.Seq, seq)
			}
			seq = c.Seq
		}
		if len(page.Items) == 0 {
			break
		}
	}
	if seq != stats.Changes {
		t.Fatalf("round %d: change feed ends at %d, Stats.Changes = %d", round, seq, stats.Changes)
	}
	// At most the one batch in flight in each round may be there without an ack.
	if present > len(acked)+round+1 {
		t.Fatalf("round %d: %d batches present, %d acknowledged", round, present, len(acked))
	}
	// The store takes writes again.
	if _, err := s.Apply(bg, &graph.Batch{Entities: []graph.Entity{crashAnchor}}); err != nil {
		t.Fatalf("round %d: Apply after reopening: %v", round, err)
	}
	t.Logf("round %d: %d acknowledged, %d present, %d changes", round, len(acked), present, seq)
	return maxPresent + 1, present
}

func maxAck(acked map[int]bool) int {
	m := -1
	for i := range acked {
		m = max(m, i)
	}
	return m
}
