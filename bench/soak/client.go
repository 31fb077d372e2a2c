package soak

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// client makes the soak's own requests: posts, counts, read-backs.
type client struct {
	base string
	http *http.Client
}

// postResult is what the soak reads of POST /v1/documents' answer.
type postResult struct {
	status int
	id     string   // the posted report's document
	docs   []string // every document the post stored, its own included
}

// errStatus is an answer other than 2xx.
type errStatus struct {
	status int
	body   string
}

func (e *errStatus) Error() string { return fmt.Sprintf("%d %s", e.status, e.body) }

func (cl *client) post(ctx context.Context, key string, a Article) (postResult, error) {
	body, err := json.Marshal(a)
	if err != nil {
		return postResult{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cl.base+"/v1/documents", bytes.NewReader(body))
	if err != nil {
		return postResult{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := cl.http.Do(req)
	if err != nil {
		return postResult{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return postResult{status: resp.StatusCode}, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return postResult{status: resp.StatusCode}, &errStatus{resp.StatusCode, clip(oneLine(b), 300)}
	}
	var answer struct {
		Document   string `json:"document"`
		Extraction struct {
			Documents []struct {
				ID string `json:"id"`
			} `json:"documents"`
		} `json:"extraction"`
	}
	if err := json.Unmarshal(b, &answer); err != nil {
		return postResult{status: resp.StatusCode}, fmt.Errorf("the answer is not the ingest JSON: %w", err)
	}
	res := postResult{status: resp.StatusCode, id: answer.Document}
	for _, d := range answer.Extraction.Documents {
		res.docs = append(res.docs, d.ID)
	}
	if res.id == "" {
		return res, errors.New("the answer names no document")
	}
	return res, nil
}

// get reads path into v (if not nil) and returns the status.
func (cl *client) get(ctx context.Context, key, path string, v any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cl.base+path, nil)
	if err != nil {
		return 0, err
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := cl.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || v == nil {
		io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil
	}
	return resp.StatusCode, json.NewDecoder(resp.Body).Decode(v)
}

// documents is the store's document count.
func (cl *client) documents(ctx context.Context, key string) (int, error) {
	var st struct {
		Documents int `json:"documents"`
	}
	status, err := cl.get(ctx, key, "/v1/stats", &st)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("GET /v1/stats: %d", status)
	}
	return st.Documents, err
}
