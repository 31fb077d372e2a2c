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

	root.AddCommand(serveCommand(ctx, opts, getenv, stdout, stderr), ingestCommand(ctx, opts, stdout, stderr),
		extractCommand(ctx, opts, stdout, stderr), healthcheckCommand(ctx, stdout), evalCommand(ctx, opts, stdout),
		importCommand(ctx, opts, stdout, stderr), exportCommand(ctx, opts, stdout),
		genCommand(ctx, opts, stdout, stderr))
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
		name := envName(f)
		if v := getenv(name); v != "" {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s=%q: %w", name, v, e)
			}
		}
	})
	return err
}

// envAnnotation on a flag names its environment variable when that is not
// POLGRAPH_<FLAG>.
const envAnnotation = "polgraph-env"

// envName is the environment variable a flag falls back to.
func envName(f *pflag.Flag) string {
	if names := f.Annotations[envAnnotation]; len(names) > 0 {
		return names[0]
	}
	return "POLGRAPH_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
}

// keysEnv holds API keys inline (key:role[:name] entries separated by
// commas), so --api-keys' own fallback is POLGRAPH_API_KEYS_FILE.
const keysEnv = "POLGRAPH_API_KEYS"

// otherEnv lists the variables read besides the flags' fallbacks.
var otherEnv = []string{keysEnv}

// serveOptions are serve's own flags.
type serveOptions struct {
	addr           string
	demo, insecure bool
	keysFile       string
	openReads      bool
	rateLimit      float64
	rateBurst      int
	corsOrigins    []string
	trustedProxies []string
	logFormat      string
	logLevel       string
}

func serveCommand(ctx context.Context, opts *options, getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	so := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "serve the REST API",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log, err := newLogger(stderr, so.logFormat, so.logLevel)
			if err != nil {
				return err
			}
			keys, err := loadKeys(so.keysFile, getenv(keysEnv))
			if err != nil {
				return err
			}
			if err := checkBind(so.addr, len(keys) > 0, so.insecure); err != nil {
				return err
			}
			cfg := api.Config{Logger: log, Keys: keys, OpenReads: so.openReads,
				RateLimit: so.rateLimit, RateBurst: so.rateBurst,
				CORSOrigins: so.corsOrigins, TrustedProxies: so.trustedProxies, Insecure: so.insecure}
			// Mistakes in the configuration are reported before the store
			// is opened.
			if err := cfg.Validate(); err != nil {
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
			if so.demo {
				// The demo writes now, so it needs the store now, and the
				// entries added through the API before it reads.
				if pipe, err = storedGazetteer(ctx, store, pipe, warn); err != nil {
					return err
				}
				if err := loadDemo(ctx, pipe, store, log); err != nil {
					return err
				}
			}
			ln, err := net.Listen("tcp", so.addr)
			if err != nil {
				return err
			}
			cfg.Store, cfg.Pipeline = store, pipe
			handler := api.New(cfg)
			// The entries added through the API are loaded once the store
			// answers: a server started while Neo4j is down still starts.
			go handler.LoadStoredGazetteer(ctx, 2*time.Second, warn)
			srv := newHTTPServer(handler, log)
			// Change streams never end by themselves; Shutdown would wait
			// for them until its deadline.
			srv.RegisterOnShutdown(handler.CloseStreams)
			log.Info("serving", "addr", ln.Addr().String(), "keys", len(keys), "open_reads", so.openReads || len(keys) == 0,
				"rate_limit", so.rateLimit, "cors_origins", so.corsOrigins)
			fmt.Fprintf(stdout, "polgraph listening on http://%s\n", ln.Addr())
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
			}
			// Requests still running when the deadline passes are cut.
			shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := srv.Shutdown(shutdownCtx); err != nil {
				srv.Close()
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&so.addr, "addr", "127.0.0.1:8080", "address to listen on; beyond loopback only with API keys or --insecure (env POLGRAPH_ADDR)")
	f.BoolVar(&so.demo, "demo", false, "ingest the example reports shipped with polgraph on start (env POLGRAPH_DEMO)")
	f.BoolVar(&so.insecure, "insecure", false, "allow listening beyond loopback without API keys: anyone who reaches the port may write (env POLGRAPH_INSECURE)")
	f.StringVar(&so.keysFile, "api-keys", "", "file of API keys, one `key:role` or `key:role:name` a line (roles reader, writer, admin; # comments) "+
		"(env POLGRAPH_API_KEYS_FILE; POLGRAPH_API_KEYS holds keys inline: key:role[:name] entries separated by commas)")
	f.SetAnnotation("api-keys", envAnnotation, []string{"POLGRAPH_API_KEYS_FILE"})
	f.BoolVar(&so.openReads, "open-reads", false, "with API keys, let requests without a key read; writes still need keys (env POLGRAPH_OPEN_READS)")
	f.Float64Var(&so.rateLimit, "rate-limit", 0, "requests a second each API key (or client address without a key) may make on average; 0: no limit (env POLGRAPH_RATE_LIMIT)")
	f.IntVar(&so.rateBurst, "rate-burst", 0, "requests a client may make at once within --rate-limit; 0: the rate rounded up (env POLGRAPH_RATE_BURST)")
	f.StringSliceVar(&so.corsOrigins, "cors-origins", nil, "origins whose browser pages may call the API, such as https://app.example.org, or *; none: no CORS (env POLGRAPH_CORS_ORIGINS, comma-separated)")
	f.StringSliceVar(&so.trustedProxies, "trusted-proxies", nil, "addresses or CIDR ranges of reverse proxies whose X-Forwarded-For names the client (env POLGRAPH_TRUSTED_PROXIES, comma-separated)")
	f.StringVar(&so.logFormat, "log-format", "json", "log format: json or text (env POLGRAPH_LOG_FORMAT)")
	f.StringVar(&so.logLevel, "log-level", "info", "least severe log level written: debug, info, warn or error; debug adds health checks and scrapes (env POLGRAPH_LOG_LEVEL)")
	return cmd
}

// newHTTPServer sets the server's limits. ReadHeaderTimeout and
// MaxHeaderBytes bound what a client may hold before a handler runs;
// IdleTimeout closes kept-alive connections nobody uses. ReadTimeout and
// WriteTimeout are only defaults here: the API sets each request's
// deadlines itself (with http.ResponseController, from its query and
// upload limits), lifting them for the change stream, which lasts as long
// as its client listens, and stretching them for long uploads. The
// defaults still bound what net/http answers by itself (malformed
// requests) on a kept-alive connection.
func newHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    256 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// newLogger writes JSON (for log collectors) or text lines.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	o := &slog.HandlerOptions{Level: lv}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, o)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, o)), nil
	}
	return nil, fmt.Errorf("--log-format %q: use json or text", format)
}

// loadKeys reads the API keys of the key file and of POLGRAPH_API_KEYS.
// Errors name where a bad key is, never the key.
func loadKeys(file, inline string) ([]api.Key, error) {
	var keys []api.Key
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("--api-keys: %w", err)
		}
		defer f.Close()
		fromFile, err := api.ParseKeys(f)
		if err != nil {
			return nil, fmt.Errorf("--api-keys %s: %w", file, err)
		}
		keys = append(keys, fromFile...)
	}
	fromEnv, err := api.ParseKeyList(inline)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", keysEnv, err)
	}
	return append(keys, fromEnv...), nil
}

// checkBind refuses to expose the open API beyond this machine unless told
// to: without keys anyone who can reach the port can write.
func checkBind(addr string, keyed, insecure bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", addr, err)
	}
	if keyed || insecure {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--addr %s listens beyond this machine and the API has no keys; give keys (--api-keys or %s), bind to 127.0.0.1, or pass --insecure", addr, keysEnv)
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
