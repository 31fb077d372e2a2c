package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/polgraph/polgraph/api"
	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest"
)

// options are the flags shared by every command, each with an environment
// fallback (POLGRAPH_<NAME>).
type options struct {
	dataDir    string
	store      string
	gazetteers []string
	neo4j      neo4jOptions
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	root := rootCommand(ctx, getenv, stdout, stderr)
	root.SetArgs(args)
	return root.ExecuteContext(ctx)
}

// rootCommand builds the command tree; run executes it.
func rootCommand(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	opts := &options{}
	root := &cobra.Command{
		Use:           "polgraph",
		Short:         "polgraph turns news about a conflict into a graph of actors, places and events you can question",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	pf := root.PersistentFlags()
	pf.StringVar(&opts.dataDir, "data-dir", "polgraph-data", "directory of the embedded store (env POLGRAPH_DATA_DIR)")
	pf.StringVar(&opts.store, "store", "embedded", "graph backend: embedded (env POLGRAPH_STORE)")
	pf.StringSliceVar(&opts.gazetteers, "gazetteer", nil, "extra gazetteer YAML files (env POLGRAPH_GAZETTEER, comma-separated)")
	opts.neo4j.register(pf)

	root.AddCommand(serveCommand(ctx, opts, stdout, stderr), ingestCommand(ctx, opts, stdout, stderr),
		extractCommand(ctx, opts, stdout, stderr), healthcheckCommand(ctx, stdout), evalCommand(ctx, opts, stdout),
		importCommand(ctx, opts, stdout, stderr), exportCommand(ctx, opts, stdout))
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if err := applyEnv(cmd.Flags(), getenv); err != nil {
			return err
		}
		if err := opts.neo4j.applyEnv(cmd.Flags(), getenv); err != nil {
			return err
		}
		switch opts.store {
		case "embedded", "neo4j":
			return nil
		}
		return fmt.Errorf("--store %q: use embedded or neo4j", opts.store)
	}
	return root
}

// applyEnv fills every flag the user did not set from POLGRAPH_<FLAG>, so
// containers can be configured by environment alone.
func applyEnv(fs *pflag.FlagSet, getenv func(string) string) error {
	var err error
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Changed || err != nil {
			return
		}
		name := "POLGRAPH_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := getenv(name); v != "" {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s=%q: %w", name, v, e)
			}
		}
	})
	return err
}

func serveCommand(ctx context.Context, opts *options, stdout, stderr io.Writer) *cobra.Command {
	var addr string
	var demo, insecure bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "serve the REST API",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log := slog.New(slog.NewTextHandler(stderr, nil))
			if err := checkBind(addr, insecure); err != nil {
				return err
			}
			store, err := openStore(ctx, opts)
			if err != nil {
				return err
			}
			defer store.Close()
			pipe, err := ingest.New(ingest.Options{Gazetteers: opts.gazetteers})
			if err != nil {
				return err
			}
			warn := func(err error) {
				log.Error("the gazetteer entries added through the API no longer fit the gazetteer; serving without them", "err", err)
			}
			if demo {
				// The demo writes now, so it needs the store now, and the
				// entries added through the API before it reads.
				if pipe, err = storedGazetteer(ctx, store, pipe, warn); err != nil {
					return err
				}
				if err := loadDemo(ctx, pipe, store, log); err != nil {
					return err
				}
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			handler := api.New(api.Config{Store: store, Pipeline: pipe, Logger: log})
			// The entries added through the API are loaded once the store
			// answers: a server started while Neo4j is down still starts.
			go handler.LoadStoredGazetteer(ctx, 2*time.Second, warn)
			srv := &http.Server{
				Handler:           handler,
				ReadHeaderTimeout: 10 * time.Second,
				ReadTimeout:       60 * time.Second,
				WriteTimeout:      60 * time.Second,
				IdleTimeout:       120 * time.Second,
			}
			fmt.Fprintf(stdout, "polgraph listening on http://%s\n", ln.Addr())
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
			}
			shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return srv.Shutdown(shutdownCtx)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on (env POLGRAPH_ADDR)")
	cmd.Flags().BoolVar(&demo, "demo", false, "ingest the example reports shipped with polgraph on start (env POLGRAPH_DEMO)")
	cmd.Flags().BoolVar(&insecure, "insecure", false, "allow listening beyond loopback without API keys (env POLGRAPH_INSECURE)")
	return cmd
}

// checkBind refuses to expose the open API beyond this machine unless told
// to: without keys anyone who can reach the port can write.
func checkBind(addr string, insecure bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", addr, err)
	}
	if insecure {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--addr %s listens beyond this machine and the API has no keys; bind to 127.0.0.1 or pass --insecure", addr)
}

// storedGazetteer extends pipe by the gazetteer entries added through the
// API that the store keeps, after the built-in gazetteer and --gazetteer
// files. Entries that no longer fit (a file they point at changed) are
// reported to warn and left out, so that the data cannot stop the server.
// openWithPipeline opens the store and a pipeline that knows the gazetteer
// entries the store keeps; doing is what the command does, for the warning
// when those entries cannot be read. The caller closes the store.
func openWithPipeline(ctx context.Context, opts *options, stderr io.Writer, doing string) (graph.Store, *ingest.Pipeline, error) {
	pipe, err := ingest.New(ingest.Options{Gazetteers: opts.gazetteers})
	if err != nil {
		return nil, nil, err
	}
	store, err := openStore(ctx, opts)
	if err != nil {
		return nil, nil, err
	}
	pipe, err = storedGazetteer(ctx, store, pipe, func(err error) {
		fmt.Fprintf(stderr, "polgraph: %s without the gazetteer entries added through the API: %v\n", doing, err)
	})
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	return store, pipe, nil
}

func storedGazetteer(ctx context.Context, store graph.Store, pipe *ingest.Pipeline, warn func(error)) (*ingest.Pipeline, error) {
	extended, err := api.LoadGazetteer(ctx, store, pipe)
	if graph.Is(err, graph.Invalid) {
		warn(err)
		return pipe, nil
	}
	return extended, err
}

// loadDemo ingests the example reports once: re-applying them changes
// nothing, so restarting with --demo is harmless.
func loadDemo(ctx context.Context, pipe *ingest.Pipeline, store graph.Store, log *slog.Logger) error {
	arts := ingest.DemoArticles()
	for _, a := range arts {
		b, err := pipe.Extract(ctx, a)
		if err != nil {
			return fmt.Errorf("demo %s: %w", a.ID, err)
		}
		if _, _, err := ingest.Store(ctx, store, b); err != nil {
			return fmt.Errorf("demo %s: %w", a.ID, err)
		}
	}
	log.Info("demo data loaded", "reports", len(arts))
	return nil
}

// inputFiles expands directories into the files below them that ingest
// reads, in a stable order.
func inputFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && readable(path) {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readable reports whether a file found in a directory walk is one ingest
// reads; files named explicitly are always tried, so their errors show.
func readable(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt", ".json", ".ndjson", ".jsonl":
		return true
	}
	return false
}
