package pg

import (
	"context"
	"database/sql"
	"slices"
	"sync"

	"github.com/jmoiron/sqlx"
)

// Commit signals are LISTEN/NOTIFY inside the process, without NOTIFY's
// price. A transaction raises a signal with Signal; when it commits, every
// Watch of that signal on the same pool is woken (once, however many
// signals it raised); when it rolls back, nobody is. PostgreSQL's NOTIFY
// would wake other processes too, but it takes a database-wide lock at
// commit and holds it across the WAL flush, so every notifying transaction
// of the database commits alone: one flush each, no group commit (measured
// in docs/PERFORMANCE.md: 9,500 against 340 one-row commits/s, 32 clients).
//
// Only transactions begun with Begin (as InTx does) and ended with Commit
// or Rollback carry signals; Signal on any other is a no-op that returns
// false, and its watchers wake at their next poll instead.

type txState struct {
	db *sqlx.DB

	mu      sync.Mutex
	signals []string
}

type watchKey struct {
	db   *sqlx.DB
	name string
}

var (
	// trackedTxs maps a *sqlx.Tx begun by Begin to its *txState until it
	// is committed or rolled back through this package.
	trackedTxs sync.Map

	watchMu  sync.Mutex
	watchers = map[watchKey][]chan struct{}{}
)

// Begin starts a transaction on db that can carry commit signals. End it
// with Commit or Rollback of this package (not tx's own), or its state is
// kept until the process ends.
func Begin(ctx context.Context, db *sqlx.DB, opts *sql.TxOptions) (*sqlx.Tx, error) {
	tx, err := db.BeginTxx(ctx, opts)
	if err != nil {
		return nil, err
	}
	trackedTxs.Store(tx, &txState{db: db})
	return tx, nil
}

// Commit commits tx and, when it committed, wakes the watchers of the
// signals it raised.
func Commit(tx *sqlx.Tx) error {
	v, tracked := trackedTxs.LoadAndDelete(tx)
	if err := tx.Commit(); err != nil {
		return err
	}
	if tracked {
		v.(*txState).fire()
	}
	return nil
}

// Rollback rolls tx back; its signals are dropped. Like sql.Tx.Rollback it
// returns sql.ErrTxDone after a commit, so it can be deferred.
func Rollback(tx *sqlx.Tx) error {
	trackedTxs.Delete(tx)
	return tx.Rollback()
}

// Signal raises the signal name in tx, for the watchers of name on tx's
// pool to wake once tx has committed. It reports false when tx was not
// begun by Begin (or is not a *sqlx.Tx): nobody will be woken.
func Signal(tx sqlx.ExtContext, name string) bool {
	t, ok := tx.(*sqlx.Tx)
	if !ok {
		return false
	}
	v, ok := trackedTxs.Load(t)
	if !ok {
		return false
	}
	st := v.(*txState)
	st.mu.Lock()
	if !slices.Contains(st.signals, name) {
		st.signals = append(st.signals, name)
	}
	st.mu.Unlock()
	return true
}

// Watch returns a channel that receives after every commit, on db, of a
// transaction that raised name. Wakes coalesce: a watcher that is busy
// finds one wake waiting, however many commits happened meanwhile. stop
// ends the watch.
func Watch(db *sqlx.DB, name string) (wake <-chan struct{}, stop func()) {
	ch := make(chan struct{}, 1)
	key := watchKey{db: db, name: name}
	watchMu.Lock()
	watchers[key] = append(watchers[key], ch)
	watchMu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			watchMu.Lock()
			defer watchMu.Unlock()
			chs := slices.DeleteFunc(watchers[key], func(c chan struct{}) bool { return c == ch })
			if len(chs) == 0 {
				delete(watchers, key)
			} else {
				watchers[key] = chs
			}
		})
	}
}

func (st *txState) fire() {
	st.mu.Lock()
	signals := st.signals
	st.mu.Unlock()
	if len(signals) == 0 {
		return
	}
	watchMu.Lock()
	defer watchMu.Unlock()
	for _, name := range signals {
		for _, ch := range watchers[watchKey{db: st.db, name: name}] {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
}
