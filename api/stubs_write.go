package api

import "github.com/gin-gonic/gin"

// Stubs of the write routes still to build (issue 6); each goes when built.

func (s *Server) createEntity(c *gin.Context) { s.fail(c, notBuilt) }
func (s *Server) updateEntity(c *gin.Context) { s.fail(c, notBuilt) }
func (s *Server) deleteEntity(c *gin.Context) { s.fail(c, notBuilt) }
func (s *Server) addAlias(c *gin.Context)     { s.fail(c, notBuilt) }
func (s *Server) removeAlias(c *gin.Context)  { s.fail(c, notBuilt) }
func (s *Server) postMerge(c *gin.Context)    { s.fail(c, notBuilt) }
func (s *Server) deleteMerge(c *gin.Context)  { s.fail(c, notBuilt) }
func (s *Server) audit(c *gin.Context)        { s.fail(c, notBuilt) }
