// Package idem makes a creating request happen once however often it is
// sent. A client names each logical request with an Idempotency-Key header;
// the first request with that key runs, and every retry gets the first
// one's response back (status, Location, ETag, body) instead of doing the
// work again. The key is bound to a hash of the request (method, path and
// query, caller, body): the same key with another request is refused 422
// idempotency.key_reused, and a retry while the first is still running gets
// 409 idempotency.in_flight with Retry-After.
//
// # Crash safety
//
// A key goes through three states, all in the service's own schema
// (table idempotency_keys):
//
//   - in_flight: reserved before the handler runs, with an owner id and a
//     lease (Config.Lease);
//   - committed: set by the handler's own transaction, just before COMMIT
//     (pg.WithBeforeCommit), guarded by the owner id. The effect and "this
//     key is spent" therefore commit together or not at all;
//   - done: the response is stored after the handler wrote it.
//
// A process killed before its effect commits leaves an in_flight row whose
// lease runs out; a retry then takes it over and runs the request (nothing
// had happened). If the killed owner had somehow not died (a stall past its
// lease), its later commit finds another owner and rolls back. A process
// killed between COMMIT and storing the response leaves a committed row
// without a response: the effect exists, so a retry is never run again; it
// is answered 409 idempotency.outcome_unrecorded, telling the client to
// look the object up. That window is one UPDATE long.
//
// A request that changed nothing (a 4xx or 5xx without a committed effect)
// releases its key, so the client may retry it with the same key once the
// cause is fixed. A request whose effect committed but whose handler then
// failed (5xx) stores no answer: retries hear outcome_unrecorded rather
// than a replayed failure that would deny the work was done.
package idem

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/pg"
)

// Header is the request header naming the logical request.
const Header = "Idempotency-Key"

// ReplayedHeader is set to "true" on a response replayed from the store.
const ReplayedHeader = "Idempotent-Replayed"

// MaxKeyLength bounds a key; clients usually send a UUID.
const MaxKeyLength = 255

// Problem codes.
const (
	CodeKeyReused         = "idempotency.key_reused"
	CodeInFlight          = "idempotency.in_flight"
	CodeOutcomeUnrecorded = "idempotency.outcome_unrecorded"
)

// storedHeaders are the response headers a replay repeats.
var storedHeaders = []string{"Location", "ETag", "Content-Type", "Content-Disposition"}

// Defaults.
const (
	DefaultTTL          = 24 * time.Hour
	DefaultLease        = 30 * time.Second
	DefaultMaxBodyBytes = 64 << 20
)

// Config tunes a Store. Zero fields take the defaults.
type Config struct {
	// TTL is how long a key is remembered after its first use. Default 24h.
	TTL time.Duration
	// Lease is how long a reservation holds before a retry may take over a
	// request whose effect never committed (its process died). Default 30s.
	Lease time.Duration
	// MaxBodyBytes is the largest body hashed; it must be at least the
	// largest cap any route sets. Default 64 MiB.
	MaxBodyBytes int64
}

// ErrLeaseLost is returned by the commit hook when another request took
// the key over: the transaction rolls back and the client is told to retry
// (409), and the retry replays the winner's response.
var ErrLeaseLost = httpx.NewError(http.StatusConflict, CodeInFlight)

// Store keeps idempotency keys in one service's schema.
type Store struct {
	db  *sqlx.DB
	clk clock.Clock
	cfg Config
}

// New returns a Store on db (whose search_path is the service's schema).
func New(db *sqlx.DB, clk clock.Clock, cfg Config) *Store {
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultTTL
	}
	if cfg.Lease <= 0 {
		cfg.Lease = DefaultLease
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	return &Store{db: db, clk: clk, cfg: cfg}
}

// record is a row of idempotency_keys.
type record struct {
	RequestHash []byte        `db:"request_hash"`
	State       string        `db:"state"`
	LeaseUntil  time.Time     `db:"lease_until"`
	ExpiresAt   time.Time     `db:"expires_at"`
	Status      sql.NullInt64 `db:"status"`
	Headers     []byte        `db:"headers"`
	Body        []byte        `db:"body"`
}

type outcome int

const (
	owned outcome = iota
	replay
	reused
	inFlight
	unrecorded
)

// ValidKey reports whether k can be used as an idempotency key: 1 to
// MaxKeyLength visible ASCII characters.
func ValidKey(k string) bool {
	if k == "" || len(k) > MaxKeyLength {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// Hash is the fingerprint a key is bound to.
func Hash(method, target, caller string, body []byte) []byte {
	h := sha256.New()
	for _, s := range []string{method, target, caller} {
		fmt.Fprintf(h, "%d:%s\n", len(s), s)
	}
	h.Write(body)
	return h.Sum(nil)
}

// Middleware applies idempotency keys to POST requests that carry one. Put
// it after the authentication middleware: keys are scoped to the caller
// (the identity token's user).
func (s *Store) Middleware() gin.HandlerFunc {
	return s.MiddlewareFor(func(c *gin.Context) string { return auth.Current(c).UserID })
}

// MiddlewareFor is Middleware for routes whose caller is known otherwise
// (the gateway's own API, signed in by session): caller names who is
// calling, "" for nobody.
func (s *Store) MiddlewareFor(caller func(*gin.Context) string) gin.HandlerFunc {
	return func(c *gin.Context) {
		key := c.GetHeader(Header)
		if c.Request.Method != http.MethodPost || key == "" {
			c.Next()
			return
		}
		if !ValidKey(key) {
			httpx.Respond(c, httpx.Invalid(fielderr.Problem{Field: Header, Code: "field.idempotency_key", Args: []any{MaxKeyLength}}))
			return
		}
		body, err := httpx.BufferBody(c, s.cfg.MaxBodyBytes)
		if err != nil {
			httpx.Respond(c, err)
			return
		}
		who := caller(c)
		target := c.Request.URL.RequestURI()
		hash := Hash(c.Request.Method, target, who, body)
		ctx := c.Request.Context()
		res, rec, owner, err := s.claim(ctx, who, key, hash, c.Request.Method, target)
		if err != nil {
			httpx.Respond(c, err)
			return
		}
		switch res {
		case reused:
			httpx.Respond(c, httpx.NewError(http.StatusUnprocessableEntity, CodeKeyReused))
			return
		case inFlight:
			c.Header("Retry-After", "1")
			httpx.Respond(c, httpx.NewError(http.StatusConflict, CodeInFlight))
			return
		case unrecorded:
			httpx.Respond(c, httpx.NewError(http.StatusConflict, CodeOutcomeUnrecorded))
			return
		case replay:
			writeReplay(c, rec)
			return
		}

		var committed atomic.Bool
		hook := func(ctx context.Context, tx *sqlx.Tx) error {
			r, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET state = 'committed'
				WHERE caller = $1 AND key = $2 AND owner = $3 AND state IN ('in_flight', 'committed')`, who, key, owner)
			if err != nil {
				return fmt.Errorf("idem: mark %q committed: %w", key, err)
			}
			if n, _ := r.RowsAffected(); n == 0 {
				return ErrLeaseLost
			}
			committed.Store(true)
			return nil
		}
		c.Request = c.Request.WithContext(pg.WithBeforeCommit(ctx, hook))
		rw := &recorder{ResponseWriter: c.Writer}
		c.Writer = rw
		c.Next()

		// Record even when the client has gone: the effect is there.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		status := rw.Status()
		switch {
		case committed.Load() && status >= 500:
			// The effect committed but the answer is a failure that
			// says nothing of it (a read after the commit failed):
			// replaying it would tell the client its work was not
			// done. Leave the key committed without an answer, so
			// retries hear idempotency.outcome_unrecorded.
			_, err = s.db.ExecContext(fctx, `UPDATE idempotency_keys SET lease_until = $4
				WHERE caller = $1 AND key = $2 AND owner = $3`, who, key, owner, s.clk.Now())
		case committed.Load() || (status >= 200 && status < 400):
			hdr := map[string]string{}
			for _, h := range storedHeaders {
				if v := rw.Header().Get(h); v != "" {
					hdr[h] = v
				}
			}
			hj, _ := json.Marshal(hdr)
			_, err = s.db.ExecContext(fctx, `UPDATE idempotency_keys SET state = 'done', status = $4, headers = $5, body = $6
				WHERE caller = $1 AND key = $2 AND owner = $3`, who, key, owner, status, hj, rw.body.Bytes())
		default:
			_, err = s.db.ExecContext(fctx, `DELETE FROM idempotency_keys
				WHERE caller = $1 AND key = $2 AND owner = $3 AND state = 'in_flight'`, who, key, owner)
		}
		if err != nil {
			httpx.Logger(c).ErrorContext(ctx, "idempotency key not recorded", "key", key, "error", err)
		}
	}
}

// claim reserves (caller, key) for this request or says what to answer.
func (s *Store) claim(ctx context.Context, caller, key string, hash []byte, method, target string) (res outcome, rec record, owner uuid.UUID, err error) {
	err = pg.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		now := s.clk.Now()
		owner = uuid.New()
		lease := now.Add(s.cfg.Lease)
		r, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys
			(caller, key, request_hash, method, path, state, owner, lease_until, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, 'in_flight', $6, $7, $8, $9)
			ON CONFLICT (caller, key) DO NOTHING`, caller, key, hash, method, target, owner, lease, now, now.Add(s.cfg.TTL))
		if err != nil {
			return fmt.Errorf("idem: reserve %q: %w", key, err)
		}
		if n, _ := r.RowsAffected(); n == 1 {
			res = owned
			return nil
		}
		if err := tx.GetContext(ctx, &rec, `SELECT request_hash, state, lease_until, expires_at, status, headers, body
			FROM idempotency_keys WHERE caller = $1 AND key = $2 FOR UPDATE`, caller, key); err != nil {
			return fmt.Errorf("idem: read %q: %w", key, err)
		}
		switch {
		case !rec.ExpiresAt.After(now):
			// Forgotten: the key starts afresh.
			_, err = tx.ExecContext(ctx, `UPDATE idempotency_keys SET request_hash = $3, method = $4, path = $5,
				state = 'in_flight', owner = $6, lease_until = $7, status = NULL, headers = NULL, body = NULL,
				created_at = $8, expires_at = $9 WHERE caller = $1 AND key = $2`,
				caller, key, hash, method, target, owner, lease, now, now.Add(s.cfg.TTL))
			res = owned
			return err
		case !bytes.Equal(rec.RequestHash, hash):
			res = reused
		case rec.State == "done":
			res = replay
		case rec.LeaseUntil.After(now):
			res = inFlight
		case rec.State == "committed":
			res = unrecorded
		default:
			// The owner died before its effect committed: take over.
			_, err = tx.ExecContext(ctx, `UPDATE idempotency_keys SET owner = $3, lease_until = $4
				WHERE caller = $1 AND key = $2`, caller, key, owner, lease)
			res = owned
			return err
		}
		return nil
	})
	return res, rec, owner, err
}

func writeReplay(c *gin.Context, rec record) {
	var hdr map[string]string
	_ = json.Unmarshal(rec.Headers, &hdr)
	for k, v := range hdr {
		c.Header(k, v)
	}
	c.Header(ReplayedHeader, "true")
	status := int(rec.Status.Int64)
	c.Status(status)
	if len(rec.Body) > 0 {
		_, _ = c.Writer.Write(rec.Body)
	}
	c.Abort()
}

// Sweep deletes the keys that expired; it returns how many.
func (s *Store) Sweep(ctx context.Context) (int64, error) {
	r, err := s.db.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE expires_at <= $1`, s.clk.Now())
	if err != nil {
		return 0, fmt.Errorf("idem: sweep: %w", err)
	}
	return r.RowsAffected()
}

// RunSweeper sweeps expired keys every interval until ctx ends. A failed
// sweep is retried at the next tick: it is housekeeping, not a fault.
func (s *Store) RunSweeper(ctx context.Context, every time.Duration, onErr func(error)) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if _, err := s.Sweep(ctx); err != nil && ctx.Err() == nil && onErr != nil {
				onErr(err)
			}
		}
	}
}

// recorder keeps a copy of the response body for the store.
type recorder struct {
	gin.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

func (r *recorder) WriteString(s string) (int, error) {
	r.body.WriteString(s)
	return r.ResponseWriter.WriteString(s)
}
