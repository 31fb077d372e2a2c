// Package api is polgraph's REST API on gin: routes, handlers, parameter
// parsing, the mapping of graph error codes to HTTP problem documents, and
// the output formats front ends consume. Handlers are methods on Server; the
// store and the ingest pipeline are its dependencies. Nothing outside this
// package imports gin.
package api
