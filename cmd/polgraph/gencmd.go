package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/polgraph/polgraph/bench/synth"
	"github.com/polgraph/polgraph/graph"
)

func genCommand(ctx context.Context, opts *options, stdout, stderr io.Writer) *cobra.Command {
	cfg := synth.Config{}
	var summary string
	cmd := &cobra.Command{
		Use:   "gen",
		Short: "fill the store with a synthetic news graph of a given size, for benchmarks",
		Long: `gen generates a synthetic graph, the same for the same --seed, and applies it to
the store: years of reports on a conflict, with a few actors in a large share
of events, events of 2-6 participants in a hierarchy of places, standing facts
reported again and again, and evidence in English and Arabic documents.
--relations is the size (MENTIONS and REPORTS count); --batch the objects per
Apply. --summary FILE writes what was generated, with entities to query, as
JSON (bench/ reads it). Running gen again with the same flags changes nothing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.Relations < 1 {
				return fmt.Errorf("--relations %d: give a positive number", cfg.Relations)
			}
			if cfg.BatchItems < 1 || cfg.BatchItems > graph.MaxBatchItems {
				return fmt.Errorf("--batch %d: give 1 to %d", cfg.BatchItems, graph.MaxBatchItems)
			}
			store, err := openStore(ctx, opts)
			if err != nil {
				return err
			}
			defer store.Close()
			bar := newCountBar(int64(cfg.Relations), "generating", stderr)
			start := time.Now()
			var applied graph.ApplyResult
			done := 0
			sum, err := synth.Generate(ctx, cfg, func(b *graph.Batch) error {
				res, err := store.Apply(ctx, b)
				applied.Created += res.Created
				applied.Updated += res.Updated
				applied.Unchanged += res.Unchanged
				applied.Evidence += res.Evidence
				bar.Add(len(b.Relations))
				done += len(b.Relations)
				return err
			})
			bar.Finish()
			if err != nil {
				return fmt.Errorf("after %d relations: %w", done, err)
			}
			took := time.Since(start)
			fmt.Fprintf(stdout, "%d documents, %d entities, %d relations, %d pieces of evidence in %d batches, in %s (%.0f relations/s applied); %d objects created, %d updated, %d unchanged\n",
				sum.Documents, sum.Entities, sum.Relations, sum.Evidence, sum.Batches, took.Round(time.Millisecond),
				float64(sum.Relations)/took.Seconds(), applied.Created, applied.Updated, applied.Unchanged)
			if summary == "" {
				return nil
			}
			b, err := json.MarshalIndent(sum, "", "  ")
			if err != nil {
				return err
			}
			return os.WriteFile(summary, append(b, '\n'), 0o644)
		},
	}
	cmd.Flags().IntVar(&cfg.Relations, "relations", 10000, "relations to generate")
	cmd.Flags().Uint64Var(&cfg.Seed, "seed", 1, "seed: the same seed gives the same graph")
	cmd.Flags().IntVar(&cfg.BatchItems, "batch", synth.DefaultBatchItems, "objects per Apply")
	cmd.Flags().StringVar(&summary, "summary", "", "write the summary, with sample entities, as JSON to this file")
	return cmd
}

// newCountBar counts work done, only on a terminal.
func newCountBar(total int64, what string, w io.Writer) *progressbar.ProgressBar {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return progressbar.NewOptions64(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(what),
			progressbar.OptionThrottle(100_000_000), progressbar.OptionClearOnFinish(), progressbar.OptionShowCount())
	}
	return progressbar.NewOptions64(total, progressbar.OptionSetWriter(io.Discard))
}
