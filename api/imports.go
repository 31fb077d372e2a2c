package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/graph/loader"
	"github.com/polgraph/polgraph/graph/ndjson"
	"github.com/polgraph/polgraph/ingest"
	"github.com/polgraph/polgraph/ingest/eventdata"
	"github.com/polgraph/polgraph/ingest/records"
)

// Import jobs. POST /v1/imports/{acled|gdelt|ndjson|articles} streams the
// file into a temporary file (so a slow upload holds no store transaction
// open and a broken one imports nothing), answers 202 with the job, and
// imports it in the background; GET /v1/jobs/{id} shows its progress and,
// at the end, its summary. The job id derives from the format and the
// file's SHA-256, so sending the same file again returns the job that has
// it rather than starting another (and importing it again would change
// nothing anyway). Jobs live in the memory of the replica that runs them:
// behind a load balancer, ask the replica that answered the POST, or use
// the change feed.

// Job states. Exposed in the API: do not rename.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// Job is an import's progress, as GET /v1/jobs/{id} shows it.
type Job struct {
	ID        string         `json:"id"`
	Kind      string         `json:"kind"`   // "import"
	Format    string         `json:"format"` // acled, gdelt, ndjson or articles
	State     string         `json:"state"`
	Bytes     int64          `json:"bytes"`      // size of the file
	BytesRead int64          `json:"bytes_read"` // how far the import has read it
	SHA256    string         `json:"sha256"`
	Summary   loader.Summary `json:"summary"`
	Error     string         `json:"error,omitempty"`
	Created   time.Time      `json:"created"`
	Finished  *time.Time     `json:"finished,omitempty"`
	read      *atomic.Int64  // BytesRead while running
	done      chan struct{}  // closed when the job ends
	cancel    context.CancelFunc
	mu        *sync.Mutex
}

// jobs is the registry of a server's jobs: the newest maxJobs are kept.
type jobs struct {
	mu    sync.Mutex
	byID  map[string]*Job
	order []string
}

const maxJobs = 200

// importFormats are the formats POST /v1/imports/{format} takes.
var importFormats = []string{"acled", "gdelt", "ndjson", "articles"}

// articleTypes are the content types of NDJSON articles; the others
// formats' uploads are files whose own header tells what they are.
var articleTypes = []string{"application/x-ndjson", "application/ndjson", "application/jsonl"}

func (s *Server) postImport(c *gin.Context) {
	format := c.Param("format")
	if !slices.Contains(importFormats, format) {
		s.fail(c, &graph.Error{Code: graph.NotFound, Param: "format",
			Message: "no importer for " + clip(format) + "; the formats are acled, gdelt, ndjson and articles"})
		return
	}
	if format == "articles" {
		if err := s.contentType(c, articleTypes...); err != nil {
			s.fail(c, err)
			return
		}
	}
	tmp, err := os.CreateTemp(s.importDir, "polgraph-import-*")
	if err != nil {
		s.fail(c, err)
		return
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), c.Request.Body)
	if err == nil {
		err = tmp.Close()
	} else {
		tmp.Close()
	}
	if err != nil {
		os.Remove(tmp.Name())
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.fail(c, graph.Errorf(graph.TooLarge, "the file is larger than %d bytes", s.maxImportBytes))
			return
		}
		s.fail(c, graph.Errorf(graph.Invalid, "the upload broke off after %d bytes: %v", n, err))
		return
	}
	if n == 0 {
		os.Remove(tmp.Name())
		s.fail(c, graph.Errorf(graph.Invalid, "the body is empty: send the file as the request body"))
		return
	}
	sum := hex.EncodeToString(h.Sum(nil))
	job, fresh := s.jobs.start(format, sum, n)
	if !fresh {
		os.Remove(tmp.Name())
		c.Header("Location", "/v1/jobs/"+job.ID)
		ok(c, http.StatusOK, job.snapshot())
		return
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(c.Request.Context()))
	job.cancel = cancel
	go s.runImport(ctx, job, tmp.Name())
	c.Header("Location", "/v1/jobs/"+job.ID)
	ok(c, http.StatusAccepted, job.snapshot())
}

// runImport imports the spooled file and records how it went.
func (s *Server) runImport(ctx context.Context, job *Job, path string) {
	defer os.Remove(path)
	defer job.cancel()
	f, err := os.Open(path)
	if err != nil {
		job.finish(loader.Summary{}, err)
		return
	}
	defer f.Close()
	job.setState(JobRunning)
	s.prom.jobRunning(job.Format)
	r := &countingReader{r: f, n: job.read}
	progress := loader.WithProgress(func(sum loader.Summary) { job.progress(sum) })
	var sum loader.Summary
	switch job.Format {
	case "ndjson":
		sum, err = ndjson.Read(ctx, s.store, r, progress)
	case "articles":
		sum, err = s.importArticles(ctx, r, job.progress)
	case "acled":
		sum, err = eventdata.NewMapper(s.pipeline()).ImportACLED(ctx, s.store, r, progress)
	default:
		sum, err = eventdata.NewMapper(s.pipeline()).ImportGDELT(ctx, s.store, r, progress)
	}
	if err != nil {
		s.log.Warn("import failed", "job", job.ID, "format", job.Format, "error", err)
	}
	s.prom.jobFinished(job.Format, sum, err) // before the job shows it is done
	job.finish(sum, err)
}

func (s *Server) getJob(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	job, found := s.jobs.get(id)
	if !found {
		s.fail(c, graph.Errorf(graph.NotFound, "no job %s on this server (jobs are kept in the memory of the server that runs them)", id))
		return
	}
	ok(c, http.StatusOK, job.snapshot())
}

// start registers a job for the file, or returns the job already importing
// or imported from the same bytes (fresh is false). A failed job is
// replaced: sending the file again retries it.
func (j *jobs) start(format, sum string, size int64) (job *Job, fresh bool) {
	id := uuid.NewSHA1(graph.Namespace, []byte("import\x00"+format+"\x00"+sum)).String()
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.byID == nil {
		j.byID = map[string]*Job{}
	}
	if old, found := j.byID[id]; found && old.snapshot().State != JobFailed {
		return old, false
	}
	job = &Job{ID: id, Kind: "import", Format: format, State: JobQueued, Bytes: size, SHA256: sum,
		Summary: loader.Summary{Skipped: []loader.Skip{}}, Created: time.Now().UTC(),
		read: &atomic.Int64{}, done: make(chan struct{}), mu: &sync.Mutex{}}
	if _, found := j.byID[id]; !found {
		j.order = append(j.order, id)
	}
	j.byID[id] = job
	for len(j.order) > maxJobs {
		delete(j.byID, j.order[0])
		j.order = j.order[1:]
	}
	return job, true
}

func (j *jobs) get(id string) (*Job, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	job, found := j.byID[id]
	return job, found
}

func (job *Job) setState(state string) {
	job.mu.Lock()
	defer job.mu.Unlock()
	job.State = state
}

func (job *Job) progress(sum loader.Summary) {
	job.mu.Lock()
	defer job.mu.Unlock()
	job.Summary = sum
}

func (job *Job) finish(sum loader.Summary, err error) {
	job.mu.Lock()
	defer job.mu.Unlock()
	if sum.Skipped == nil {
		sum.Skipped = []loader.Skip{}
	}
	job.Summary = sum
	job.State = JobDone
	if err != nil {
		job.State, job.Error = JobFailed, err.Error()
		var ge *graph.Error
		if errors.As(err, &ge) {
			job.Error = ge.Message
		}
	}
	now := time.Now().UTC()
	job.Finished = &now
	close(job.done)
}

// snapshot is a copy of the job safe to encode while it runs.
func (job *Job) snapshot() Job {
	job.mu.Lock()
	defer job.mu.Unlock()
	out := *job
	out.BytesRead = job.read.Load()
	out.Summary.Skipped = slices.Clone(job.Summary.Skipped)
	if out.Summary.Skipped == nil {
		out.Summary.Skipped = []loader.Skip{}
	}
	return out
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// importArticles ingests NDJSON articles, one per line in the shape POST
// /v1/documents takes, each as that route does: extracted, stored, and
// its events merged into the same events other reports told. Each article
// is its own Apply, as it would be posted alone, so a bad one is skipped
// with its line and reason and the rest are stored; a store that fails
// ends the job (sending the same file again retries it, and what was
// stored is not stored twice).
func (s *Server) importArticles(ctx context.Context, r io.Reader, progress func(loader.Summary)) (loader.Summary, error) {
	pipe := s.pipeline()
	lines := ingest.NewArticleLines(r, int(s.maxBodyBytes))
	lines.Strict = true
	sum := loader.Summary{Skipped: []loader.Skip{}}
	skip := func(line int, err error) {
		reason := err.Error()
		var ge *graph.Error
		if errors.As(err, &ge) {
			reason = ge.Message
		}
		sum.Skipped = append(sum.Skipped, loader.Skip{Line: line, Reason: reason})
	}
	for {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		a, err := lines.Next()
		var bad *records.Error
		switch {
		case err == io.EOF:
			return sum, nil
		case errors.As(err, &bad):
			sum.Read++
			skip(bad.Line, bad.Err)
		case err != nil:
			return sum, err
		default:
			sum.Read++
			if err := s.storeArticle(ctx, pipe, a, &sum.Applied); err != nil {
				if !graph.Is(err, graph.Invalid) && !graph.Is(err, graph.TooLarge) {
					return sum, err
				}
				skip(lines.Line(), err)
			} else {
				sum.Imported++
			}
		}
		// The job keeps what it is given: later appends must not share it.
		p := sum
		p.Skipped = slices.Clone(sum.Skipped)
		progress(p)
	}
}

// storeArticle extracts and stores one article, adding what it changed to
// res.
func (s *Server) storeArticle(ctx context.Context, pipe *ingest.Pipeline, a ingest.Article, res *graph.ApplyResult) error {
	b, err := pipe.Extract(ctx, a)
	if err != nil {
		return err
	}
	r, _, err := ingest.Store(ctx, s.store, b)
	s.prom.articleIngested(r, err)
	res.Created += r.Created
	res.Updated += r.Updated
	res.Unchanged += r.Unchanged
	res.Evidence += r.Evidence
	return err
}
