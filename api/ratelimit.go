package api

import (
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/polgraph/polgraph/graph"
)

// limiter keeps a token bucket per client: per API key, and per address
// for requests without a known key. Its memory is bounded: a bucket idle
// long enough to have filled up again is forgotten (a new one would be the
// same), and once maxClients buckets exist, clients beyond them share one
// overflow bucket, so that a flood from many addresses cannot grow the map.
type limiter struct {
	rate  rate.Limit
	burst int
	// idle is how long a bucket must go unused before it is forgotten: at
	// least the time it takes to fill up.
	idle       time.Duration
	maxClients int
	now        func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	overflow  *rate.Limiter
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// defaultMaxClients bounds the buckets a limiter keeps.
const defaultMaxClients = 10000

// newLimiter returns nil (no limits) when perSecond is 0. A burst below 1
// becomes the rate rounded up, so that a client may spend one second's
// worth at once.
func newLimiter(perSecond float64, burst int) *limiter {
	if perSecond <= 0 {
		return nil
	}
	if burst < 1 {
		burst = int(math.Ceil(perSecond))
	}
	fill := time.Duration(float64(burst) / perSecond * float64(time.Second))
	return &limiter{
		rate:       rate.Limit(perSecond),
		burst:      burst,
		idle:       max(fill, time.Minute),
		maxClients: defaultMaxClients,
		now:        time.Now,
		buckets:    map[string]*bucket{},
		overflow:   rate.NewLimiter(rate.Limit(perSecond), burst),
	}
}

// allow takes a token from the client's bucket; when there is none it
// returns how long until there is.
func (l *limiter) allow(client string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	l.sweep(now)
	lim := l.overflow
	if b, found := l.buckets[client]; found {
		b.seen = now
		lim = b.lim
	} else if len(l.buckets) < l.maxClients {
		lim = rate.NewLimiter(l.rate, l.burst)
		l.buckets[client] = &bucket{lim: lim, seen: now}
	}
	l.mu.Unlock()
	r := lim.ReserveN(now, 1)
	if delay := r.DelayFrom(now); delay > 0 {
		// Turned away: the token is given back, so that a client retrying
		// too early does not push its own wait further out.
		r.CancelAt(now)
		return false, delay
	}
	return true, 0
}

// sweep forgets idle buckets, at most once a minute (once a second while
// the limiter is full), so that its cost is spread thin over requests.
func (l *limiter) sweep(now time.Time) {
	every := time.Minute
	if len(l.buckets) >= l.maxClients {
		every = time.Second
	}
	if now.Sub(l.lastSweep) < every {
		return
	}
	l.lastSweep = now
	for client, b := range l.buckets {
		if now.Sub(b.seen) >= l.idle {
			delete(l.buckets, client)
		}
	}
}

// size is how many buckets the limiter keeps.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// rateLimit answers 429 with Retry-After to a client over its rate. Routes
// open to all whatever the configuration (health checks, documentation)
// are not limited: a load balancer's probes must not be turned away.
func (s *Server) rateLimit(c *gin.Context) {
	if s.limiter == nil || alwaysOpen(c) {
		return
	}
	client := "ip:" + c.ClientIP()
	if v, found := c.Get(principalKey); found {
		if p := v.(principal); p.index >= 0 {
			client = "key:" + strconv.Itoa(p.index)
		}
	}
	allowed, wait := s.limiter.allow(client)
	if allowed {
		return
	}
	c.Header("Retry-After", strconv.Itoa(retryAfter(wait)))
	s.fail(c, graph.Errorf(tooManyRequests, "too many requests: at most %g a second, %d at once; retry later",
		float64(s.limiter.rate), s.limiter.burst))
}

// alwaysOpen reports whether the request's route is open to all whatever
// the configuration.
func alwaysOpen(c *gin.Context) bool {
	role, listed := routeRoles[c.Request.Method+" "+c.FullPath()]
	return listed && role == rolePublic
}

// retryAfter is a wait in whole seconds, rounded up and at least 1, as the
// Retry-After header takes it.
func retryAfter(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
