package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest"
)

func ingestCommand(ctx context.Context, opts *options, stdout, stderr io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "ingest PATH...",
		Short: "read articles (.txt, .json, .ndjson files or directories) into the graph",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			files, err := inputFiles(args)
			if err != nil {
				return err
			}
			store, pipe, err := openWithPipeline(ctx, opts, stderr, "reading")
			if err != nil {
				return err
			}
			defer store.Close()
			bar := newBar(len(files), stderr)
			var sum summary
			for i, f := range files {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				r := ingestFile(ctx, f, pipe, store)
				sum.add(r, f, stderr)
				bar.Add(1)
				// A store that is down fails every later file too, each after
				// its retries: stop, and say how to finish.
				if graph.Is(r.err, graph.Unavailable) {
					bar.Finish()
					fmt.Fprintln(stdout, sum)
					return fmt.Errorf("the graph store is unavailable; stopped with %d of %d files not read. Run the same command again when it is back: what is stored is not duplicated", len(files)-i-1, len(files))
				}
			}
			bar.Finish()
			fmt.Fprintln(stdout, sum)
			if sum.failed > 0 {
				return fmt.Errorf("%d of %d files failed", sum.failed, len(files))
			}
			return nil
		},
	}
}

// fileResult is what ingesting one file did.
type fileResult struct {
	articles int
	res      graph.ApplyResult
	err      error
}

// ingestFile applies each article of a file as its own batch, so an error in
// one article leaves the others stored.
func ingestFile(ctx context.Context, path string, pipe *ingest.Pipeline, store graph.Store) fileResult {
	arts, err := ingest.ReadFile(path)
	if err != nil {
		return fileResult{err: err}
	}
	var out fileResult
	for _, a := range arts {
		b, err := pipe.Extract(ctx, a)
		if err == nil {
			var r graph.ApplyResult
			r, _, err = ingest.Store(ctx, store, b) // apply, then merge events other reports told
			out.res.Created += r.Created
			out.res.Updated += r.Updated
			out.res.Unchanged += r.Unchanged
			out.res.Evidence += r.Evidence
		}
		if err != nil {
			out.err = fmt.Errorf("%s: article %q: %w", path, a.ID, err)
			return out
		}
		out.articles++
	}
	return out
}

type summary struct {
	files, failed, articles int
	res                     graph.ApplyResult
}

func (s *summary) add(r fileResult, path string, stderr io.Writer) {
	s.files++
	s.articles += r.articles
	s.res.Created += r.res.Created
	s.res.Updated += r.res.Updated
	s.res.Unchanged += r.res.Unchanged
	s.res.Evidence += r.res.Evidence
	if r.err != nil {
		s.failed++
		fmt.Fprintf(stderr, "polgraph: %v\n", r.err)
	}
}

func (s summary) String() string {
	return fmt.Sprintf("%d files (%d failed), %d articles: %d created, %d updated, %d unchanged, %d pieces of evidence added",
		s.files, s.failed, s.articles, s.res.Created, s.res.Updated, s.res.Unchanged, s.res.Evidence)
}

// newBar shows progress only on a terminal, so logs and pipes stay clean.
func newBar(n int, w io.Writer) *progressbar.ProgressBar {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) && n > 1 {
		return progressbar.NewOptions(n, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("ingesting"),
			progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
	}
	return progressbar.NewOptions(n, progressbar.OptionSetWriter(io.Discard))
}

func extractCommand(ctx context.Context, opts *options, stdout, stderr io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "extract PATH...",
		Short: "print what polgraph extracts from articles as extraction JSON; stores nothing",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			files, err := inputFiles(args)
			if err != nil {
				return err
			}
			pipe, err := ingest.New(ingest.Options{Gazetteers: opts.gazetteers})
			if err != nil {
				return err
			}
			var all graph.Batch
			failed := 0
			for _, f := range files {
				arts, err := ingest.ReadFile(f)
				if err != nil {
					failed++
					fmt.Fprintf(stderr, "polgraph: %v\n", err)
					continue
				}
				for _, a := range arts {
					b, err := pipe.Extract(ctx, a)
					if err != nil {
						failed++
						fmt.Fprintf(stderr, "polgraph: %s: article %q: %v\n", f, a.ID, err)
						continue
					}
					all.Add(*b)
				}
			}
			enc := json.NewEncoder(stdout)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(all); err != nil {
				return err
			}
			if failed > 0 {
				return fmt.Errorf("%d inputs failed", failed)
			}
			return nil
		},
	}
}
