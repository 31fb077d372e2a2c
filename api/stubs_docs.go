package api

import "github.com/gin-gonic/gin"

// Stubs of the reference routes still to build (issue 6).

func (s *Server) openAPI(c *gin.Context)           { s.fail(c, notBuilt) }
func (s *Server) apiReference(c *gin.Context)      { s.fail(c, notBuilt) }
func (s *Server) apiReferenceAsset(c *gin.Context) { s.fail(c, notBuilt) }
