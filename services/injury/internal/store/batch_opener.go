package store

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// BatchOpener opens cases in small batches: requests that arrive while a
// batch commits are opened together in the next transaction, so a burst
// costs a commit (an fsync) per batch instead of one per opening, and the
// batch's audit rows are written in one round trip. An idle opener adds no
// delay: a lone request is opened at once.
type BatchOpener struct {
	store    *Store
	workers  int
	maxBatch int

	queue   chan *openCall
	stopped chan struct{}
	once    sync.Once
}

type openCall struct {
	ctx  context.Context
	job  OpenJob
	done chan openResult
	// claimed is won by whoever opens the call: a worker, or the caller
	// itself once the opener has stopped. Exactly one of them does.
	claimed atomic.Bool
}

func (c *openCall) claim() bool { return c.claimed.CompareAndSwap(false, true) }

type openResult struct {
	cases []*domain.Case
	err   error
}

// NewBatchOpener returns an opener with workers concurrent transactions of
// at most maxBatch requests each (defaults 4 and 32). Run must be running
// for batching; without it Open opens directly.
func NewBatchOpener(st *Store, workers, maxBatch int) *BatchOpener {
	if workers <= 0 {
		workers = 4
	}
	if maxBatch <= 0 {
		maxBatch = 32
	}
	return &BatchOpener{store: st, workers: workers, maxBatch: maxBatch,
		queue: make(chan *openCall, workers*maxBatch), stopped: make(chan struct{})}
}

// Open opens one request's cases, batched with concurrent requests, open
// deciding each case. Its result and errors are those of Store.Open.
func (b *BatchOpener) Open(ctx context.Context, m Meta, req OpenRequest, open OpenCase) ([]*domain.Case, error) {
	call := &openCall{ctx: ctx, job: OpenJob{Meta: m, Request: req, Open: open}, done: make(chan openResult, 1)}
	select {
	case b.queue <- call:
	case <-b.stopped:
		return b.store.Open(ctx, m, req, open)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case r := <-call.done:
		return r.cases, r.err
	case <-b.stopped:
		if call.claim() {
			return b.store.Open(ctx, m, req, open)
		}
		r := <-call.done // a worker has it
		return r.cases, r.err
	case <-ctx.Done():
		// The batch may still commit the case; like a lost response, the
		// client finds it in its list.
		return nil, ctx.Err()
	}
}

// Run batches until ctx ends, then lets later calls open directly.
func (b *BatchOpener) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for range b.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.work(ctx)
		}()
	}
	wg.Wait()
	b.once.Do(func() { close(b.stopped) })
	// Answer whatever was queued and not yet taken back by its caller.
	for {
		select {
		case call := <-b.queue:
			if call.claim() {
				b.single(context.WithoutCancel(ctx), call)
			}
		default:
			return nil
		}
	}
}

func (b *BatchOpener) work(ctx context.Context) {
	batch := make([]*openCall, 0, b.maxBatch)
	for {
		select {
		case <-ctx.Done():
			return
		case call := <-b.queue:
			batch = append(batch[:0], call)
		}
	drain:
		for len(batch) < b.maxBatch {
			select {
			case call := <-b.queue:
				batch = append(batch, call)
			default:
				break drain
			}
		}
		// A batch outlives a cancelled request: the others still want
		// their cases.
		b.process(context.WithoutCancel(ctx), batch)
	}
}

func (b *BatchOpener) process(ctx context.Context, batch []*openCall) {
	live := batch[:0]
	for _, call := range batch {
		if !call.claim() {
			continue // its caller opens it itself
		}
		if err := call.ctx.Err(); err != nil {
			call.done <- openResult{err: err}
			continue
		}
		live = append(live, call)
	}
	if len(live) == 0 {
		return
	}
	if len(live) == 1 {
		b.single(ctx, live[0])
		return
	}
	jobs := make([]OpenJob, len(live))
	for i, call := range live {
		jobs[i] = call.job
		jobs[i].BeforeCommit = pg.BeforeCommitOf(call.ctx)
	}
	res, err := b.store.OpenBatch(ctx, jobs)
	if err != nil {
		// One bad request (an unknown incident, say) must not fail the
		// others: open each on its own.
		for _, call := range live {
			b.single(ctx, call)
		}
		return
	}
	for i, call := range live {
		call.done <- openResult{cases: res[i]}
	}
}

func (b *BatchOpener) single(ctx context.Context, call *openCall) {
	// The worker's context, with the request's commit hook: the request's
	// own context may be cancelled, but its key must be spent with its cases.
	if hook := pg.BeforeCommitOf(call.ctx); hook != nil {
		ctx = pg.WithBeforeCommit(ctx, hook)
	}
	cs, err := b.store.Open(ctx, call.job.Meta, call.job.Request, call.job.Open)
	call.done <- openResult{cases: cs, err: err}
}
