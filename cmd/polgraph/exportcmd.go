package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/export"
	"github.com/polgraph/polgraph/graph/ndjson"
)

// exportFormats are the formats `polgraph export` writes.
var exportFormats = []string{"ndjson", "graphml", "gexf", "csv"}

func exportCommand(ctx context.Context, opts *options, stdout io.Writer) *cobra.Command {
	var (
		format, output, entity string
		depth                  int
		since, until           string
		types, kinds           []string
	)
	cmd := &cobra.Command{
		Use:   "export",
		Short: "write the graph, or a part of it, as NDJSON, GraphML, GEXF or CSV",
		Long: `export writes the graph for other tools:

  ndjson   polgraph's canonical NDJSON (docs/NDJSON.md): everything, for backups,
           moving between stores ('polgraph import ndjson') and diffing
  graphml  for networkx, yEd, Cytoscape desktop
  gexf     for Gephi, with each node and edge's dates for its timeline
  csv      one row per relation and piece of evidence, for spreadsheets and pandas

GraphML, GEXF and CSV take the whole graph or a part: the neighbourhood of
--entity (an id or a name) to --depth, relations of --types within the
--since/--until window, and entities of --kinds.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !slices.Contains(exportFormats, format) {
				return fmt.Errorf("--format %q: use one of %s", format, strings.Join(exportFormats, ", "))
			}
			filtered := entity != "" || since != "" || until != "" || len(types) > 0 || len(kinds) > 0 || cmd.Flags().Changed("depth")
			if format == "ndjson" && filtered {
				return fmt.Errorf("--format ndjson writes the whole graph: it takes no --entity, --depth, --since, --until, --types or --kinds")
			}
			for _, d := range []struct{ flag, v string }{{"--since", since}, {"--until", until}} {
				if d.v != "" && !graph.ValidDate(d.v) {
					return fmt.Errorf("%s %q is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", d.flag, d.v)
				}
			}
			store, err := openStore(ctx, opts)
			if err != nil {
				return err
			}
			defer store.Close()
			f := export.Filter{Depth: depth, Window: graph.Window{From: since, To: until}}
			for _, t := range types {
				f.Types = append(f.Types, graph.RelType(strings.ToUpper(strings.TrimSpace(t))))
			}
			for _, k := range kinds {
				f.Kinds = append(f.Kinds, graph.Kind(titleWord(strings.TrimSpace(k))))
			}
			if entity != "" {
				if f.Entity, err = graph.Resolve(ctx, store, entity); err != nil {
					return fmt.Errorf("--entity: %w%s", err, candidates(err))
				}
			}
			return writeOutput(output, stdout, func(w io.Writer) error {
				if format == "ndjson" {
					_, err := ndjson.Write(ctx, store, w)
					return err
				}
				g, err := export.Select(ctx, store, f)
				if err != nil {
					return err
				}
				switch format {
				case "graphml":
					return export.WriteGraphML(w, g)
				case "gexf":
					return export.WriteGEXF(w, g)
				}
				return export.WriteCSV(w, g)
			})
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&format, "format", "ndjson", "ndjson, graphml, gexf or csv")
	fs.StringVarP(&output, "output", "o", "", "file to write (default: standard output)")
	fs.StringVar(&entity, "entity", "", "only the neighbourhood of this entity (an id or a name)")
	fs.IntVar(&depth, "depth", 1, "hops from --entity")
	fs.StringVar(&since, "since", "", "only relations holding on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)")
	fs.StringVar(&until, "until", "", "only relations holding on or before this date")
	fs.StringSliceVar(&types, "types", nil, "only these relation types (e.g. PARTICIPATED_IN,OCCURRED_IN)")
	fs.StringSliceVar(&kinds, "kinds", nil, "only entities of these kinds (e.g. Person,Event)")
	return cmd
}

// writeOutput runs write on standard output, or on a temporary file renamed
// to path once complete, so a failed export never leaves half a file.
func writeOutput(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		w := bufio.NewWriterSize(stdout, 1<<16)
		if err := write(w); err != nil {
			return err
		}
		return w.Flush()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<16)
	if err := write(w); err != nil {
		tmp.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// candidates lists the entities an ambiguous name could mean.
func candidates(err error) string {
	var b strings.Builder
	if e, ok := err.(*graph.Error); ok {
		for _, c := range e.Candidates {
			fmt.Fprintf(&b, "\n  %s  %s (%s)", c.ID, c.Name, c.Kind)
		}
	}
	return b.String()
}

// titleWord capitalises a kind written in lower case ("person").
func titleWord(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
}
