package engine

import (
	"sync"
	"sync/atomic"

	"github.com/zdlint/zdlint/loader"
	"github.com/zdlint/zdlint/rules"
)

// Cache keeps, from one run to the next, what processing each context file
// left behind: its facts (and errors and statistics) as records. The
// language server lints the open documents against thousands of workspace
// files on every edit; with a Cache only the files whose stamp changed are
// read and parsed again, and the Index is rebuilt from the kept facts,
// decoded once.
//
// Only context files read from disk are kept: linted files (the open
// documents) carry suppressions whose use is recorded during a run, and
// rendered Kustomize and Helm output is built anew by the caller each time.
// A Cache is valid for one set of rules and settings; the caller makes a
// new one when they change. It is not safe for concurrent runs.
type Cache struct {
	// Stamp says what identifies the content of an input on disk (its
	// size and modification time, say); "" means the input is not kept.
	// It is called from several goroutines at once.
	Stamp func(loader.Input) string
	files map[cacheKey]*cachedFile
	// run counts lookups; a file's entry records the last that saw it.
	run int
	// stamps are the current run's stamps by input, taken before the
	// files are read: a file changed while it is read is read again.
	stamps []string
	// index carries what one run's Index build derived from the kept
	// facts to the next run's.
	index rules.IndexMemo
}

// cachedFile is one kept file: its result without the references to a
// keeper's blocks, which the records name directly.
type cachedFile struct {
	seen                int // the run that last saw the file
	stamp               string
	found, later, facts string
	res                 fileResult
	// decoded are the facts decoded from their records by the first run
	// that needed them (nil until then; the records are dropped then),
	// shared by every later run: facts are read-only once extracted
	// (TestKeptFactsUnchanged checks that no rule or Index build changes
	// one), so decoding them again on every lint would only make garbage.
	decoded []rules.Fact
}

// NewCache returns an empty cache whose inputs are stamped by stamp.
func NewCache(stamp func(loader.Input) string) *Cache {
	return &Cache{Stamp: stamp, files: map[cacheKey]*cachedFile{}}
}

// Len is how many files the cache holds.
func (c *Cache) Len() int { return len(c.files) }

// cacheKey identifies an input: its name and path (a struct, not their
// concatenation: a lint looks up every workspace file).
type cacheKey struct{ name, path string }

func keyOf(in loader.Input) cacheKey { return cacheKey{in.Name, in.Path} }

// cacheable says whether in may be kept: a context file read from disk.
func cacheable(in loader.Input) bool { return in.Context && in.Stdin == nil && in.Path != "" }

// lookup fills results with the kept results of unchanged inputs and
// returns the indices of the others, which must be processed. Files no
// longer among the inputs (deleted, or now open in the editor) are
// dropped.
func (c *Cache) lookup(inputs []loader.Input, results []fileResult, jobs int) []int {
	todo := make([]int, 0, 8)
	c.run++
	c.stamps = c.stampAll(inputs, jobs)
	for i, in := range inputs {
		if !cacheable(in) {
			todo = append(todo, i)
			continue
		}
		cf := c.files[keyOf(in)]
		if cf != nil {
			cf.seen = c.run
		}
		if cf == nil || c.stamps[i] == "" || cf.stamp != c.stamps[i] {
			todo = append(todo, i)
			continue
		}
		r := cf.res
		r.cached = cf
		// Errors are shared with the caller, who may change them
		// (demoting them to warnings): each run gets copies.
		if len(r.errors) > 0 {
			r.errors = make([]*loader.Error, len(cf.res.errors))
			for j, e := range cf.res.errors {
				e := *e
				r.errors[j] = &e
			}
		}
		results[i] = r
	}
	for key, cf := range c.files {
		if cf.seen != c.run {
			delete(c.files, key)
		}
	}
	return todo
}

// stampAll stamps the cacheable inputs, with up to jobs goroutines: a
// stamp is usually a system call (a stat), and a workspace has thousands
// of files.
func (c *Cache) stampAll(inputs []loader.Input, jobs int) []string {
	stamps := make([]string, len(inputs))
	const chunk = 256
	if jobs < 2 || len(inputs) < 2*chunk {
		for i, in := range inputs {
			if cacheable(in) {
				stamps[i] = c.Stamp(in)
			}
		}
		return stamps
	}
	var wg sync.WaitGroup
	var next atomic.Int64
	for range jobs {
		wg.Go(func() {
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= len(inputs) {
					return
				}
				for i := start; i < min(start+chunk, len(inputs)); i++ {
					if cacheable(inputs[i]) {
						stamps[i] = c.Stamp(inputs[i])
					}
				}
			}
		})
	}
	wg.Wait()
	return stamps
}

// store keeps the results of the cacheable inputs just processed.
func (c *Cache) store(inputs []loader.Input, results []fileResult, keepers []*keeper) {
	for i, in := range inputs {
		r := &results[i]
		if r.cached != nil || !cacheable(in) {
			continue
		}
		stamp := c.stamps[i]
		if stamp == "" {
			delete(c.files, keyOf(in))
			continue
		}
		blocks := &keepers[r.keeper].records
		cf := &cachedFile{seen: c.run, stamp: stamp, found: blocks.get(r.found), later: blocks.get(r.later), facts: blocks.get(r.facts), res: *r}
		cf.res.errors = make([]*loader.Error, len(r.errors))
		for j, e := range r.errors {
			e := *e
			cf.res.errors[j] = &e
		}
		c.files[keyOf(in)] = cf
	}
	c.stamps = nil
}
