package api

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// smallSendBuffers makes every accepted connection's send buffer small,
// as a slow network would: an answer larger than it waits on the client.
type smallSendBuffers struct{ net.Listener }

func (l smallSendBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(4 << 10)
	}
	return c, err
}

// slowServer is a keyless API server with short time limits, listening
// with small send buffers. closed receives the server's side of each
// connection as it closes it.
func slowServer(t *testing.T) (srv *httptest.Server, closed <-chan net.Conn) {
	t.Helper()
	_, s, _ := testServer(t, Config{QueryTimeout: 100 * time.Millisecond})
	s.ioGrace = 100 * time.Millisecond
	srv = httptest.NewUnstartedServer(s)
	srv.Listener = smallSendBuffers{srv.Listener}
	ch := make(chan net.Conn, 100)
	srv.Config.ConnState = func(c net.Conn, st http.ConnState) {
		if st == http.StateClosed {
			ch <- c
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, ch
}

// TestSlowReaderIsCutOff: a client that reads an answer far slower than
// it could (here the explorer's script, some 600 kB, at 1 kB a tenth of a
// second) holds the server's connection only until the write deadline,
// not for the minute it would take, and never gets the rest. (What the
// kernel had already buffered still trickles to it after the server has
// closed its end.)
func TestSlowReaderIsCutOff(t *testing.T) {
	srv, closed := slowServer(t)
	page := do(t, "GET", srv.URL+"/", nil)
	script := regexp.MustCompile(`src="(/explorer/[^"]+\.js)"`).FindSubmatch(page.body)
	if script == nil {
		t.Fatalf("the explorer page names no script: %s", clipBody(page.body))
	}
	full := do(t, "GET", srv.URL+string(script[1]), nil)
	if full.status != 200 || len(full.body) < 200<<10 {
		t.Fatalf("the script: %d, %d bytes; the test needs an answer larger than the buffers", full.status, len(full.body))
	}

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.(*net.TCPConn).SetReadBuffer(4 << 10)
	if _, err := io.WriteString(conn, "GET "+string(script[1])+" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	serverClosed := make(chan time.Duration, 1)
	go func() {
		for c := range closed {
			if c.RemoteAddr().String() == conn.LocalAddr().String() {
				serverClosed <- time.Since(start)
				return
			}
		}
	}()
	// Read slowly until the server closes its end (or 5 s pass), then
	// take what is left as fast as it comes: all of the answer only if
	// nothing cut it.
	got := 0
	buf := make([]byte, 1<<10)
	var closedAfter time.Duration
slow:
	for time.Since(start) < 5*time.Second {
		select {
		case closedAfter = <-serverClosed:
			break slow
		case <-time.After(100 * time.Millisecond):
		}
		conn.SetReadDeadline(time.Now().Add(time.Second))
		n, err := conn.Read(buf)
		if got == 0 && !strings.HasPrefix(string(buf[:n]), "HTTP/1.1 200 ") {
			t.Fatalf("the answer begins %q, want 200", buf[:n])
		}
		got += n
		if err != nil {
			break
		}
	}
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	rest, err := io.Copy(io.Discard, conn)
	got += int(rest)
	if got >= len(full.body) {
		t.Fatalf("the slow reader got the whole answer (%d bytes): nothing cut it off", got)
	}
	if err != nil {
		t.Errorf("the connection did not end after the server closed it: %v", err)
	}
	if closedAfter == 0 || closedAfter > 2*time.Second {
		t.Errorf("the server held the connection for %v (0: 5 s or more) after a write deadline of 200 ms", closedAfter)
	}
	t.Logf("the server closed the connection after %v; the client got %d of %d bytes", closedAfter.Round(time.Millisecond), got, len(full.body))
}

// TestSlowBodyIsCutOff: a client with the right to write that sends its
// body a byte at a time is answered, or cut off, at the read deadline of
// an ordinary request, and nothing of the body is stored.
func TestSlowBodyIsCutOff(t *testing.T) {
	srv, _ := slowServer(t)
	before := do(t, "GET", srv.URL+"/v1/stats", nil)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"kind": "Person", "name": "Slow Sender", "summary": "` + strings.Repeat("x", 900) + `"}`
	head := "POST /v1/entities HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\n\r\n"
	if _, err := io.WriteString(conn, head+body[:10]); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	go func() {
		for i := 10; i < len(body) && ctx.Err() == nil; i++ {
			if _, err := io.WriteString(conn, body[i:i+1]); err != nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	start := time.Now()
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	elapsed := time.Since(start)
	if err == nil {
		resp.Body.Close()
		t.Logf("answered %d after %v", resp.StatusCode, elapsed)
		if resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusRequestTimeout {
			t.Errorf("a body sent a byte at a time got %d, want 400 or 408", resp.StatusCode)
		}
	}
	if elapsed > 5*time.Second {
		t.Errorf("the slow body held the connection %v, with a read deadline of 200 ms (%v)", elapsed, err)
	}
	after := do(t, "GET", srv.URL+"/v1/stats", nil)
	if string(after.body) != string(before.body) {
		t.Errorf("the cut-off body changed the graph: %s, was %s", after.body, before.body)
	}
}
