package api

import "github.com/gin-gonic/gin"

// Stubs of the read routes still to build (issue 6); each goes when built.

func (s *Server) changes(c *gin.Context)      { s.fail(c, notBuilt) }
func (s *Server) changeStream(c *gin.Context) { s.fail(c, notBuilt) }
