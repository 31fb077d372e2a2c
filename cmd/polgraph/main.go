// Command polgraph reads news about a conflict into a graph of actors,
// places and events with the evidence for every link, and serves it over a
// REST API. main only wires: everything it does is in run, which the
// end-to-end tests call directly.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "polgraph:", err)
		os.Exit(1)
	}
}
