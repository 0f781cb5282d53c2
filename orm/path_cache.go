package orm

import (
	"slices"
	"sync"
	"sync/atomic"
)

// pathCache keeps what resolve made of the field paths that stay on a
// model's own table: a column of the model, or the key column of its
// foreign key, then transforms and a lookup ("pubdate__gte",
// "publisher__id__exact"). Their target depends only on the model, the
// path and the dialect's quoting, which a DB never changes, so it is
// resolved once, not at each condition of each statement: walking the
// metadata and quoting the column cost more than the comparison compiled
// around them. A path that joins a table is not kept, as its alias
// depends on the compiler's joins; nor is one resolved in a subquery,
// whose aliases differ. Entries are never changed once stored, so it is
// safe for concurrent use. Paths may come from a request (an admin's
// query string), so it stops growing at maxCachedPaths.
type pathCache struct {
	targets sync.Map // pathKey → target
	n       atomic.Int32
	columns sync.Map // *Model → []string, see ownColumns
}

// maxCachedPaths bounds a pathCache: far more than the paths a site's
// code and filters name.
const maxCachedPaths = 4096

type pathKey struct {
	model *Model
	path  string
}

// cachedPath returns the target of a path on the compiler's own table,
// when it was resolved before. Annotations are resolved before fields, so
// a compiler with annotations does not read the cache.
func (c *compiler) cachedPath(path string) (target, bool) {
	if len(c.annotations) > 0 || c.rootAlias != c.root.Table {
		return target{}, false
	}
	t, ok := c.db.paths.targets.Load(pathKey{c.root, path})
	if !ok {
		return target{}, false
	}
	return t.(target), true
}

// rememberPath keeps the target of a path resolved on the compiler's own
// table without a join.
func (c *compiler) rememberPath(path string, t target) {
	if c.rootAlias != c.root.Table || t.annotation != nil {
		return
	}
	if c.db.paths.n.Add(1) > maxCachedPaths {
		return
	}
	// Clipped, so a caller's append cannot write into the stored array.
	t.transforms = slices.Clip(t.transforms)
	c.db.paths.targets.Store(pathKey{c.root, path}, t)
}

// ownColumns returns the qualified columns of the root model's own
// fields, in order, when the compiler names its table as the table is
// named: made once per model, as the resolved paths are, they are what
// every query of the model's objects selects. Other compilers make them.
// The slice is shared: callers must not change it.
func (c *compiler) ownColumns() []string {
	m := c.root
	if c.rootAlias != m.Table {
		return c.columnsOf(m.columns)
	}
	if cols, ok := c.db.paths.columns.Load(m); ok {
		return cols.([]string)
	}
	cols := c.columnsOf(m.columns)
	c.db.paths.columns.Store(m, cols)
	return cols
}

// columnsOf qualifies the columns of fields of the root model.
func (c *compiler) columnsOf(fields []*Field) []string {
	cols := make([]string, len(fields))
	for i, f := range fields {
		cols[i] = c.col(c.rootAlias, f.Column)
	}
	return cols
}
