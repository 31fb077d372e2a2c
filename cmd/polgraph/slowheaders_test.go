package main

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestSlowHeadersAreCutOff: serve's HTTP server, as newHTTPServer makes
// it, closes a connection whose headers trickle in a byte every half
// second (slowloris) once ReadHeaderTimeout has passed, and serves other
// clients meanwhile. The API's own deadlines begin only once the headers
// are in, so this one is the server's.
func TestSlowHeadersAreCutOff(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out the 10 s header timeout: not in -short")
	}
	t.Parallel()
	srv := newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }),
		slog.New(slog.DiscardHandler))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	io.WriteString(conn, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
	ended := make(chan time.Duration, 1)
	go func() {
		conn.SetReadDeadline(time.Now().Add(srv.ReadHeaderTimeout + 20*time.Second))
		io.Copy(io.Discard, conn)
		ended <- time.Since(start)
	}()
	trickle := time.NewTicker(500 * time.Millisecond)
	defer trickle.Stop()
	for {
		select {
		case d := <-ended:
			if d < srv.ReadHeaderTimeout-time.Second || d > srv.ReadHeaderTimeout+10*time.Second {
				t.Errorf("the connection ended after %v; the header timeout is %v", d, srv.ReadHeaderTimeout)
			}
			return
		case <-trickle.C:
			io.WriteString(conn, "x")
			resp, err := http.Get("http://" + ln.Addr().String() + "/")
			if err != nil {
				t.Fatalf("another client was not served while the slow one held on: %v", err)
			}
			resp.Body.Close()
		}
	}
}
