package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/polgraph/polgraph/ingest"
	"github.com/polgraph/polgraph/ingest/eval"
)

// evalCommand measures extraction against hand annotations
// (docs/EXTRACTION.md): entity precision, recall and F1, relation recall.
func evalCommand(ctx context.Context, opts *options, stdout io.Writer) *cobra.Command {
	var annotations, corpus string
	var verbose bool
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "score extraction against hand annotations of a corpus (entity P/R/F1, relation recall)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ann, err := eval.Load(annotations)
			if err != nil {
				return err
			}
			pipe, err := ingest.New(ingest.Options{Gazetteers: opts.gazetteers})
			if err != nil {
				return err
			}
			batches, err := eval.Extract(ctx, pipe, corpus)
			if err != nil {
				return err
			}
			sc, err := eval.Compare(ann, pipe.Gazetteer(), batches)
			if err != nil {
				return fmt.Errorf("%s: %w", annotations, err)
			}
			sc.Report(stdout, verbose)
			return nil
		},
	}
	cmd.Flags().StringVar(&annotations, "annotations", "ingest/testdata/annotations.yaml", "annotation file (YAML)")
	cmd.Flags().StringVar(&corpus, "corpus", "../shared/corpus/articles", "directory of NNN.json articles")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list every spurious and missed entity and missed relation")
	return cmd
}
