package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/polgraph/polgraph/graph"
	"github.com/polgraph/polgraph/ingest/records"
	"github.com/polgraph/polgraph/ingest/segment"
)

// Article is one report in the corpus JSON format.
type Article struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	Outlet    string `json:"outlet"`
	Language  string `json:"language"` // "ar" or "en"; detected from the script when empty
	Title     string `json:"title"`
	Published string `json:"published"` // YYYY-MM-DD, or "" when unknown
	Text      string `json:"text"`
}

// MaxFileSize bounds what ReadFile and ReadArticles accept, and the text of
// one article.
const MaxFileSize = 10 << 20

// ReadFile reads articles from a file, choosing the format by extension:
// .txt (one article, language detected from the script), .json (one Article
// object or an array of them), .ndjson or .jsonl (one Article per line).
// Errors are *graph.Error values naming the file, and the line where there
// is one ("path:LINE: …"): Invalid for empty, binary or malformed input or
// an unknown extension, TooLarge above MaxFileSize, NotFound for a missing
// file.
func ReadFile(path string) ([]Article, error) {
	format := formatOf(path)
	if format == "" {
		return nil, graph.Errorf(graph.Invalid, "%s: unknown file type %q (want .txt, .json or .ndjson)", path, filepath.Ext(path))
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &graph.Error{Code: graph.NotFound, Message: path + ": no such file", Err: err}
		}
		return nil, &graph.Error{Code: graph.Invalid, Message: path + ": cannot open the file", Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, &graph.Error{Code: graph.Invalid, Message: path + ": cannot read the file", Err: err}
	}
	if st.IsDir() {
		return nil, graph.Errorf(graph.Invalid, "%s: is a directory", path)
	}
	if st.Size() > MaxFileSize {
		return nil, graph.Errorf(graph.TooLarge, "%s: file is %d bytes; at most %d (10 MiB) are allowed", path, st.Size(), MaxFileSize)
	}
	arts, err := ReadArticles(f, path, format)
	if err != nil {
		return nil, err
	}
	if format == "txt" {
		base := filepath.Base(path)
		arts[0].ID = strings.TrimSuffix(base, filepath.Ext(base))
	}
	return arts, nil
}

func formatOf(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".txt":
		return "txt"
	case ".json":
		return "json"
	case ".ndjson", ".jsonl":
		return "ndjson"
	}
	return ""
}

// ReadArticles reads articles from a stream in the given format ("txt",
// "json" or "ndjson"); name is used in error messages. It checks what
// ReadFile checks.
func ReadArticles(r io.Reader, name string, format string) ([]Article, error) {
	switch format {
	case "txt", "json", "ndjson":
	default:
		return nil, graph.Errorf(graph.Invalid, "%s: unknown format %q (want txt, json or ndjson)", name, format)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, &graph.Error{Code: graph.Invalid, Message: name + ": cannot read", Err: err}
	}
	if len(data) > MaxFileSize {
		return nil, graph.Errorf(graph.TooLarge, "%s: more than %d bytes (10 MiB)", name, MaxFileSize)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, graph.Errorf(graph.Invalid, "%s: file is empty", name)
	}
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		return nil, graph.Errorf(graph.Invalid, "%s: file is binary or not UTF-8 text", name)
	}
	var arts []Article
	switch format {
	case "txt":
		text := strings.TrimSpace(string(data))
		arts = []Article{{Text: text, Language: segment.DetectLanguage(text)}}
		err = cleanArticle(&arts[0], name)
	case "json":
		arts, err = readJSON(data, name)
	case "ndjson":
		arts, err = readNDJSON(data, name)
	}
	if err != nil {
		return nil, err
	}
	return arts, nil
}

// readJSON reads one Article object or an array of them, cleaning each and
// naming the line where each array element starts in errors.
func readJSON(data []byte, name string) ([]Article, error) {
	fail := func(err error, off int64) error {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &te):
			off = te.Offset
		}
		return graph.Errorf(graph.Invalid, "%s:%d: %v", name, lineOf(data, int(off)), jsonMessage(err))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	lead := int64(len(data) - len(bytes.TrimLeft(data, " \t\r\n")))
	var arts []Article
	if data[lead] != '[' {
		var a Article
		if err := dec.Decode(&a); err != nil {
			return nil, fail(err, dec.InputOffset())
		}
		if err := trailing(dec); err != nil {
			return nil, fail(err, dec.InputOffset())
		}
		if err := cleanArticle(&a, name); err != nil {
			return nil, err
		}
		return []Article{a}, nil
	}
	if _, err := dec.Token(); err != nil {
		return nil, fail(err, dec.InputOffset())
	}
	for dec.More() {
		start := dec.InputOffset()
		var a Article
		if err := dec.Decode(&a); err != nil {
			return nil, fail(err, dec.InputOffset())
		}
		// InputOffset was at the end of the previous value: skip the comma
		// and blanks to name the line the element starts on.
		for int(start) < len(data) && strings.ContainsRune(" \t\r\n,", rune(data[start])) {
			start++
		}
		where := fmt.Sprintf("%s:%d: article %d", name, lineOf(data, int(start)), len(arts)+1)
		if a.ID != "" {
			where += fmt.Sprintf(" (id %q)", a.ID)
		}
		if err := cleanArticle(&a, where); err != nil {
			return nil, err
		}
		arts = append(arts, a)
	}
	if _, err := dec.Token(); err != nil {
		return nil, fail(err, dec.InputOffset())
	}
	if err := trailing(dec); err != nil {
		return nil, fail(err, dec.InputOffset())
	}
	if len(arts) == 0 {
		return nil, graph.Errorf(graph.Invalid, "%s: the array holds no articles", name)
	}
	return arts, nil
}

// trailing reports data after the JSON value.
func trailing(dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return errors.New("unexpected data after the JSON value")
		}
		return err
	}
	return nil
}

func jsonMessage(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Sprintf("field %q must be a %s, not %s", te.Field, te.Type, te.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func lineOf(data []byte, off int) int {
	if off > len(data) {
		off = len(data)
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

func readNDJSON(data []byte, name string) ([]Article, error) {
	var arts []Article
	lines := NewArticleLines(bytes.NewReader(data), MaxFileSize)
	for {
		a, err := lines.Next()
		var bad *records.Error
		switch {
		case err == io.EOF:
			if len(arts) == 0 {
				return nil, graph.Errorf(graph.Invalid, "%s: no articles", name)
			}
			return arts, nil
		case errors.As(err, &bad):
			return nil, at(fmt.Sprintf("%s:%d", name, bad.Line), bad.Err)
		case err != nil:
			return nil, &graph.Error{Code: graph.Invalid, Message: fmt.Sprintf("%s:%d: cannot read the line", name, lines.Line()+1), Err: err}
		}
		arts = append(arts, a)
	}
}

// cleanArticle checks an article and puts its fields in canonical form
// (checkArticle); where says where the article is in error messages.
func cleanArticle(a *Article, where string) error {
	if err := checkArticle(a); err != nil {
		return at(where, err)
	}
	return nil
}

// checkArticle checks an article and puts its fields in canonical form:
// language lower-case (detected when empty), published as YYYY-MM-DD (or
// YYYY-MM, YYYY).
func checkArticle(a *Article) error {
	if strings.TrimSpace(a.Text) == "" {
		return graph.Errorf(graph.Invalid, "text is empty")
	}
	if !utf8.ValidString(a.Text) || strings.IndexByte(a.Text, 0) >= 0 {
		return graph.Errorf(graph.Invalid, "text is binary or not UTF-8")
	}
	if len(a.Text) > MaxFileSize {
		return graph.Errorf(graph.TooLarge, "text is longer than 10 MiB")
	}
	a.Language = strings.ToLower(strings.TrimSpace(a.Language))
	if a.Language == "" {
		a.Language = segment.DetectLanguage(a.Text)
	}
	d, err := normalizeDate(a.Published)
	if err != nil {
		return graph.Errorf(graph.Invalid, "published %q is not a date (want YYYY-MM-DD)", a.Published)
	}
	a.Published = d
	a.URL = strings.TrimSpace(a.URL)
	return nil
}

// normalizeDate accepts YYYY-MM-DD, YYYY-MM, YYYY and RFC 3339 timestamps.
func normalizeDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || graph.ValidDate(s) {
		return s, nil
	}
	for _, layout := range []string{time.RFC3339, time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006/01/02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02"), nil
		}
	}
	return "", errors.New("not a date")
}

// URLDocumentID is the id of the document at a URL, the same for every
// way the URL is written that canonicalURL folds: a GDELT row citing an
// article and the article ingested later are one document.
func URLDocumentID(raw string) string { return graph.DocumentID(canonicalURL(raw)) }

// canonicalURL is the form of a URL a document id derives from: scheme and
// host lower-case, default port, fragment and tracking parameters dropped,
// remaining parameters sorted. A string that is not an absolute URL is
// used as it is.
func canonicalURL(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Host)
	host = strings.TrimSuffix(host, ":80")
	host = strings.TrimSuffix(host, ":443")
	u.Host = host
	u.Fragment, u.RawFragment = "", ""
	q := u.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || lk == "fbclid" || lk == "gclid" || lk == "traffic_source" || lk == "ref" {
			q.Del(k)
		}
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		for _, v := range q[k] {
			parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	u.RawQuery = strings.Join(parts, "&")
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}
