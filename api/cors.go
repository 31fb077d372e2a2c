package api

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// CORS lets browser front ends on the configured origins call the API. It
// runs before authorization: a browser's preflight carries no key.

// corsConfig is gin-contrib/cors' configuration for the origins: the
// methods the routes use, the request headers clients send (keys,
// conditional requests, resuming the change stream) and the response
// headers a front end needs to read (ETag for edits, Location of new
// jobs and entities, Retry-After, the request id to quote in a report).
// Credentials (cookies) are not allowed: keys travel in headers.
func corsConfig(origins []string) cors.Config {
	cfg := cors.Config{
		AllowMethods:  []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete},
		AllowHeaders:  []string{"Authorization", "X-API-Key", "Content-Type", "If-Match", "If-None-Match", "Last-Event-ID"},
		ExposeHeaders: []string{"ETag", "Location", "Retry-After", "X-Request-ID"},
		MaxAge:        10 * time.Minute,
	}
	if slices.Contains(origins, "*") {
		cfg.AllowAllOrigins = true
	} else {
		cfg.AllowOrigins = origins
	}
	return cfg
}

// checkOrigins validates --cors-origins: "*" alone, or origins with a
// scheme and no path.
func checkOrigins(origins []string) error {
	if len(origins) == 0 {
		return nil
	}
	if slices.Contains(origins, "*") && len(origins) > 1 {
		return fmt.Errorf("CORS origins: \"*\" allows every origin; give it alone")
	}
	for _, o := range origins {
		if o == "*" {
			continue
		}
		scheme, host, found := strings.Cut(o, "://")
		if !found || (scheme != "http" && scheme != "https") || host == "" || strings.ContainsAny(host, "/*") {
			return fmt.Errorf("CORS origin %q: want scheme://host[:port], such as https://app.example.org", o)
		}
	}
	return corsConfig(origins).Validate()
}

// corsHandler is nil without origins: then no response carries CORS
// headers and browsers keep other origins out. gin-contrib/cors answers
// requests from origins it does not know with a bare 403; here a request
// from another origin is served without CORS headers (its browser hides
// the answer; other clients are not browsers), and its preflight is
// refused with a problem document.
func (s *Server) corsHandler(origins []string) gin.HandlerFunc {
	if len(origins) == 0 {
		return nil
	}
	allowed := map[string]bool{}
	for _, o := range origins {
		allowed[strings.ToLower(o)] = true
	}
	all := allowed["*"]
	handle := cors.New(corsConfig(origins))
	return func(c *gin.Context) {
		origin := c.GetHeader("Origin")
		if origin == "" {
			return
		}
		if all || allowed[origin] {
			handle(c)
			return
		}
		c.Header("Vary", "Origin")
		if c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != "" {
			s.fail(c, graph.Errorf(forbidden, "origin %s may not call this API from a browser (see --cors-origins)", clip(origin)))
		}
	}
}
