package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest/records"
)

// ArticleLines reads NDJSON articles (one Article object per line) as they
// arrive, for inputs too long to hold in memory: ReadArticles reads .ndjson
// files with it and stops at the first bad line; a batch import reports a
// bad line and goes on.
type ArticleLines struct {
	// Strict rejects fields an Article does not have, as a request body
	// would be rejected.
	Strict bool

	r       *bufio.Reader
	maxLine int
	line    int
	buf     []byte
}

// NewArticleLines reads r; a line longer than maxLine bytes is a bad line.
func NewArticleLines(r io.Reader, maxLine int) *ArticleLines {
	return &ArticleLines{r: bufio.NewReaderSize(r, 64<<10), maxLine: maxLine}
}

// Next returns the next article, checked and in canonical form as
// ReadArticles gives it, skipping blank lines. A line that is not an
// article gives a *records.Error with its line number, whose Err is a
// *graph.Error (Invalid, or TooLarge for an overlong line or text); the
// next call goes on after it. At the end Next returns io.EOF; any other
// error is the reader's.
func (l *ArticleLines) Next() (Article, error) {
	for {
		b, tooLong, err := l.readLine()
		if err != nil {
			return Article{}, err
		}
		l.line++
		if l.line == 1 {
			b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		}
		if tooLong {
			return Article{}, l.bad(graph.Errorf(graph.TooLarge, "the line is longer than %d bytes", l.maxLine))
		}
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			continue
		}
		if !utf8.Valid(b) {
			return Article{}, l.bad(graph.Errorf(graph.Invalid, "the line is not UTF-8 text"))
		}
		var a Article
		if err := l.decode(b, &a); err != nil {
			return Article{}, l.bad(graph.Errorf(graph.Invalid, "%s", jsonMessage(err)))
		}
		if err := checkArticle(&a); err != nil {
			return Article{}, l.bad(err)
		}
		return a, nil
	}
}

// Line is the line of the article or error Next last returned.
func (l *ArticleLines) Line() int { return l.line }

func (l *ArticleLines) bad(err error) error { return &records.Error{Line: l.line, Err: err} }

func (l *ArticleLines) decode(b []byte, a *Article) error {
	if !l.Strict {
		return json.Unmarshal(b, a)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(a); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			// As json.Unmarshal says it, so both modes read alike.
			return errors.New("unexpected end of JSON input")
		}
		return err
	}
	return trailing(dec)
}

// readLine reads up to the next newline. A line over maxLine is read to
// its end and dropped (tooLong), so one oversized line costs no more
// memory than maxLine and the lines after it are still read.
func (l *ArticleLines) readLine() (line []byte, tooLong bool, err error) {
	l.buf = l.buf[:0]
	for {
		chunk, err := l.r.ReadSlice('\n')
		if !tooLong {
			n := len(l.buf) + len(bytes.TrimSuffix(chunk, []byte("\n")))
			if n > l.maxLine {
				tooLong, l.buf = true, l.buf[:0]
			} else {
				l.buf = append(l.buf, chunk...)
			}
		}
		switch {
		case err == nil:
			return l.buf, tooLong, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF:
			if len(l.buf) == 0 && !tooLong {
				return nil, false, io.EOF
			}
			return l.buf, tooLong, nil
		default:
			return nil, false, err
		}
	}
}

// at puts where an input is (a file, a line) before an error's message,
// keeping its code.
func at(where string, err error) error {
	var e *graph.Error
	if !errors.As(err, &e) {
		return err
	}
	out := *e
	out.Message = fmt.Sprintf("%s: %s", where, e.Message)
	return &out
}
