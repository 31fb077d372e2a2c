package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/loader"
	"github.com/polgraph/polgraph/graph/ndjson"
	"github.com/polgraph/polgraph/ingest/eventdata"
)

// importFormats are the formats `polgraph import` reads.
var importFormats = []string{"acled", "gdelt", "ndjson"}

func importCommand(ctx context.Context, opts *options, stdout, stderr io.Writer) *cobra.Command {
	var chunk int
	cmd := &cobra.Command{
		Use:   "import acled|gdelt|ndjson FILE...",
		Short: "import ACLED CSV, GDELT TSV or polgraph NDJSON files (\"-\" reads standard input)",
		Long: `import reads structured data into the graph:

  acled   ACLED CSV exports (current and older column sets, monadic exports)
  gdelt   GDELT event exports (2.0, 61 columns; 1.0, 57 or 58 columns)
  ndjson  polgraph's own NDJSON (docs/NDJSON.md), as 'polgraph export' writes it

Actors and places resolve to the gazetteer's entities, the same the news
resolves to. Importing a file again changes nothing; an ACLED event seen again
with newer values is updated in place. A malformed row is reported with its
line and skipped; the others are stored.`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, files := args[0], args[1:]
			if !slices.Contains(importFormats, format) {
				return fmt.Errorf("import %q: the formats are %s", format, strings.Join(importFormats, ", "))
			}
			store, pipe, err := openWithPipeline(ctx, opts, stderr, "importing")
			if err != nil {
				return err
			}
			defer store.Close()
			mapper := eventdata.NewMapper(pipe)
			skipped := 0
			for _, path := range files {
				sum, err := importFile(ctx, format, path, mapper, store, chunk, stderr)
				fmt.Fprintf(stdout, "%s: %s\n", path, describe(sum))
				for i, s := range sum.Skipped {
					if i == maxReported {
						fmt.Fprintf(stderr, "polgraph: %s: %d more rows skipped\n", path, len(sum.Skipped)-i)
						break
					}
					fmt.Fprintf(stderr, "polgraph: %s:%d: skipped: %s\n", path, s.Line, s.Reason)
				}
				skipped += len(sum.Skipped)
				if err != nil {
					if graph.Is(err, graph.Unavailable) {
						return fmt.Errorf("%s: the graph store is unavailable: %w. What was imported stays; run the same command again when it is back: nothing is duplicated", path, err)
					}
					return fmt.Errorf("%s: %w", path, err)
				}
			}
			if skipped > 0 {
				return fmt.Errorf("%d rows were skipped (listed above); every other row is stored", skipped)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&chunk, "chunk", loader.DefaultSize, "objects applied per transaction")
	return cmd
}

// maxReported bounds the skipped rows listed per file: a file of the wrong
// kind would otherwise print every line.
const maxReported = 20

func importFile(ctx context.Context, format, path string, m *eventdata.Mapper, st graph.Store, chunk int, stderr io.Writer) (loader.Summary, error) {
	var r io.Reader = os.Stdin
	size := int64(-1)
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return loader.Summary{Skipped: []loader.Skip{}}, err
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil {
			size = fi.Size()
		}
		r = f
	}
	bar := newByteBar(size, "importing "+path, stderr)
	defer bar.Finish()
	r = io.TeeReader(r, bar)
	opts := []loader.Option{loader.WithSize(chunk)}
	switch format {
	case "acled":
		return m.ImportACLED(ctx, st, r, opts...)
	case "gdelt":
		return m.ImportGDELT(ctx, st, r, opts...)
	}
	return ndjson.Read(ctx, st, r, opts...)
}

// describe is the one-line summary of an import.
func describe(s loader.Summary) string {
	return fmt.Sprintf("%d rows read, %d imported, %d skipped; %d objects created, %d updated, %d unchanged, %d pieces of evidence added",
		s.Read, s.Imported, len(s.Skipped), s.Applied.Created, s.Applied.Updated, s.Applied.Unchanged, s.Applied.Evidence)
}

// newByteBar shows how much of a file has been read, only on a terminal.
func newByteBar(size int64, what string, w io.Writer) *progressbar.ProgressBar {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return progressbar.NewOptions64(size, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(what),
			progressbar.OptionShowBytes(true), progressbar.OptionThrottle(100_000_000), progressbar.OptionClearOnFinish())
	}
	return progressbar.NewOptions64(size, progressbar.OptionSetWriter(io.Discard))
}
