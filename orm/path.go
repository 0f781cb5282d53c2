package orm

import (
	"fmt"
	"strconv"
	"strings"
)

// hop is one relation step of a field path.
type hop struct {
	kind   hopKind
	field  *Field // the relation field (on the source model for forward hops, on the target for reverse ones)
	target *Model // the model the hop arrives at
}

type hopKind int

const (
	hopForeignKey hopKind = iota // many-to-one, forward: single-valued
	hopReverseFK                 // one-to-many, from the target of a foreign key: multi-valued
	hopManyToMany                // many-to-many, forward: multi-valued
	hopReverseM2M                // many-to-many, from its target: multi-valued
	hopGeneric                   // generic relation, to the objects whose generic key points here: multi-valued
	hopGenericRev                // generic relation, back by related_query_name: at most one row, joined as multi-valued so Exclude keeps the rows about other models
	hopParent                    // multi-table child to its parent row: single-valued
	hopReverseOne                // one-to-one, from its target: single-valued
)

func (k hopKind) multi() bool { return k != hopForeignKey && k != hopParent && k != hopReverseOne }

// relationNamed finds the relation a model reaches by the given query
// name: its own foreign key or many-to-many field, or a reverse relation
// named by the lower-cased name of the model that declares it.
func relationNamed(m *Model, name string) (hop, bool) {
	if f := m.Field(name); f != nil {
		switch {
		case f.IsForeignKey():
			return hop{hopForeignKey, f, f.Related}, true
		case f.Kind == KindManyToMany:
			return hop{hopManyToMany, f, f.Related}, true
		case f.Kind == KindGenericRelation:
			return hop{hopGeneric, f, f.Related}, true
		}
		return hop{}, false
	}
	rel := m.RelatedByName(name)
	switch {
	case rel == nil:
		return hop{}, false
	case rel.Kind == KindManyToMany:
		return hop{hopReverseM2M, rel, rel.Model}, true
	case rel.Kind == KindGenericRelation:
		return hop{hopGenericRev, rel, rel.Model}, true
	case rel.IsParentLink():
		return hop{hopReverseOne, rel, rel.Model}, true
	}
	return hop{hopReverseFK, rel, rel.Model}, true
}

// join is a table joined into the query.
type join struct {
	key   string // what it follows: "<from alias>.<name>", plus "#<group>" for multi-valued hops
	alias string
}

// joinHop joins the hop from the table aliased from and returns the alias
// of the target table. Single-valued hops are shared by the whole query;
// a multi-valued hop is shared only within one filter group (one Filter
// call), or with any earlier join of the same path when the compiler is
// reusing (annotations, ordering), which gives Django's semantics for
// chained filters and for the order of filter() and annotate().
func (c *compiler) joinHop(from, name string, h hop) string {
	key := from + "." + name
	if h.kind.multi() {
		if c.reuseAny {
			for i := len(c.joins) - 1; i >= 0; i-- {
				if strings.HasPrefix(c.joins[i].key, key+"#") {
					return c.joins[i].alias
				}
			}
		}
		key += "#" + strconv.Itoa(c.group)
		c.usedMulti = true
	}
	for _, j := range c.joins {
		if j.key == key {
			return j.alias
		}
	}
	q := c.d.Quote
	alias := c.newAlias()
	switch h.kind {
	case hopForeignKey:
		c.joinSQL = append(c.joinSQL, fmt.Sprintf(" LEFT OUTER JOIN %s %s ON %s = %s",
			q(h.target.Table), q(alias), c.col(alias, h.field.Target().Column), c.col(from, h.field.Column)))
	case hopParent:
		kind := " INNER JOIN "
		if from != c.rootAlias {
			kind = " LEFT OUTER JOIN " // an inner join would drop the rows an outer join before it kept
		}
		c.joinSQL = append(c.joinSQL, fmt.Sprintf("%s%s %s ON %s = %s",
			kind, q(h.target.Table), q(alias), c.col(alias, h.field.Target().Column), c.col(from, h.field.Column)))
	case hopReverseFK, hopReverseOne:
		c.joinSQL = append(c.joinSQL, fmt.Sprintf(" LEFT OUTER JOIN %s %s ON %s = %s",
			q(h.target.Table), q(alias), c.col(alias, h.field.Column), c.col(from, h.field.Target().Column)))
	case hopManyToMany, hopReverseM2M:
		f := h.field
		near, far := f.ThroughFrom, f.ThroughTo
		src := f.Model
		if h.kind == hopReverseM2M {
			near, far, src = far, near, f.Related
		}
		through := c.newAlias()
		c.joinSQL = append(c.joinSQL,
			fmt.Sprintf(" LEFT OUTER JOIN %s %s ON %s = %s", q(f.Through), q(through), c.col(through, near), c.col(from, src.PK.Column)),
			fmt.Sprintf(" LEFT OUTER JOIN %s %s ON %s = %s", q(h.target.Table), q(alias), c.col(alias, h.target.PK.Column), c.col(through, far)))
		if c.throughAlias == nil {
			c.throughAlias = map[string]string{}
		}
		c.throughAlias[alias] = through
	case hopGeneric:
		c.joinSQL = append(c.joinSQL, c.genericJoin(from, alias, h.field))
	case hopGenericRev:
		c.joinSQL = append(c.joinSQL, c.genericReverseJoin(from, alias, h.field))
	}
	c.joins = append(c.joins, join{key: key, alias: alias})
	return alias
}

func (c *compiler) newAlias() string {
	c.aliasN++
	return c.aliasPrefix + strconv.Itoa(c.aliasN)
}

// target is a resolved field path.
type target struct {
	col        string   // the qualified column, or an annotation's expression
	field      *Field   // the field the column holds
	transforms []string // date parts applied to the column, in order
	lookup     string   // the final lookup; "" when none was named
	annotation *annotation
}

// transforms are the lookups that change a value rather than test it.
var transforms = map[string]Kind{
	"date": KindDate, "year": KindInteger, "month": KindInteger, "day": KindInteger, "week_day": KindInteger,
	"iso_week_day": KindInteger, "week": KindInteger, "iso_year": KindInteger, "quarter": KindInteger,
	"hour": KindInteger, "minute": KindInteger, "second": KindInteger,
}

// lookups lists the lookup names a path may end with.
var lookups = map[string]bool{
	"exact": true, "iexact": true, "contains": true, "icontains": true, "in": true,
	"gt": true, "gte": true, "lt": true, "lte": true, "startswith": true,
	"istartswith": true, "endswith": true, "iendswith": true, "range": true, "isnull": true,
	"regex": true, "iregex": true, "search": true,
}

// resolve walks a path such as "publisher__name__icontains" or
// "book__authors__age__gt" through the model metadata, joining what it
// crosses, and returns the column, the field, the transforms and the
// lookup. A name that is neither a field, a relation, a transform nor a
// lookup gives a *FieldError.
func (c *compiler) resolve(path string) (target, error) {
	if t, ok := c.cachedPath(path); ok {
		return t, nil
	}
	var buf [8]string // most paths have fewer parts: no slice to allocate
	parts := splitPath(buf[:0], path)
	for i := len(parts); i > 0 && len(c.annotations) > 0; i-- {
		// Annotation names may hold "__" ("book__count").
		if a := c.annotations[strings.Join(parts[:i], "__")]; a != nil {
			return c.resolveRest(path, target{col: a.sql, field: a.field, annotation: a}, parts[i:])
		}
	}
	m, alias := c.root, c.rootAlias
	joined := false // a table was joined (or a join reused) on the way
	for i := 0; i < len(parts); i++ {
		name := parts[i]
		if name == "pk" {
			name = m.PK.Name
		}
		if link := m.linkFor(name); link != nil {
			// A parent's field or relation: follow the parent link and
			// read the name there.
			alias, m = c.joinParent(alias, link), link.parentModel
			joined = true
			i--
			continue
		}
		h, isRel := relationNamed(m, name)
		rest := parts[i+1:]
		if !isRel {
			f := m.Field(name)
			if f == nil || f.Kind == KindGenericForeignKey {
				return target{}, c.unknown(path, m, name)
			}
			return c.resolved(path, target{col: c.col(alias, f.Column), field: f}, rest, joined)
		}
		// The key of a foreign key (or the far key of a many-to-many join)
		// stands for the related object: no join to the target is needed
		// when the path stops there or names the target's primary key.
		if len(rest) == 0 || c.endsAtKey(h, rest) {
			if len(rest) > 0 && h.target.Field(rest[0]) != nil || len(rest) > 0 && rest[0] == "pk" {
				rest = rest[1:]
			}
			col, err := c.keyColumn(alias, name, h)
			if err != nil {
				return target{}, err
			}
			return c.resolved(path, target{col: col, field: c.keyField(h)}, rest, joined || h.kind != hopForeignKey)
		}
		alias = c.joinHop(alias, name, h)
		m = h.target
		joined = true
	}
	return target{}, &FieldError{Model: c.root.Name, Path: path, Msg: "empty path"}
}

// resolved finishes resolve with the transforms and lookup after the
// column t holds, keeping the target when no join led to it.
func (c *compiler) resolved(path string, t target, rest []string, joined bool) (target, error) {
	t, err := c.resolveRest(path, t, rest)
	if err == nil && !joined {
		c.rememberPath(path, t)
	}
	return t, err
}

// splitPath appends the "__"-separated parts of path to parts, as
// strings.Split would return them.
func splitPath(parts []string, path string) []string {
	for {
		i := strings.Index(path, "__")
		if i < 0 {
			return append(parts, path)
		}
		parts = append(parts, path[:i])
		path = path[i+2:]
	}
}

// endsAtKey reports whether the rest of a path after a relation only names
// the target's primary key (and then transforms or a lookup).
func (c *compiler) endsAtKey(h hop, rest []string) bool {
	first := rest[0]
	key := h.target.PK
	if h.kind == hopForeignKey {
		key = h.field.Target()
	}
	isPK := first == "pk" && key == h.target.PK || h.target.Field(first) == key
	if isPK {
		return len(rest) == 1 || len(rest) == 2 && lookups[rest[1]]
	}
	return h.target.Field(first) == nil && !isRelationOf(h.target, first) && len(rest) == 1 && lookups[first]
}

func isRelationOf(m *Model, name string) bool {
	_, ok := relationNamed(m, name)
	return ok
}

// keyColumn is the column that holds the related object's key.
func (c *compiler) keyColumn(from, name string, h hop) (string, error) {
	switch h.kind {
	case hopForeignKey:
		return c.col(from, h.field.Column), nil
	case hopManyToMany:
		alias := c.joinHop(from, name, h)
		return c.col(c.throughAlias[alias], h.field.ThroughTo), nil
	case hopReverseM2M:
		alias := c.joinHop(from, name, h)
		return c.col(c.throughAlias[alias], h.field.ThroughFrom), nil
	}
	alias := c.joinHop(from, name, h)
	return c.col(alias, h.target.PK.Column), nil
}

// keyField is the field whose values the key column holds.
func (c *compiler) keyField(h hop) *Field {
	if h.kind == hopForeignKey {
		return h.field
	}
	return h.target.PK
}

// resolveRest reads the transforms and the lookup after a field.
func (c *compiler) resolveRest(path string, t target, rest []string) (target, error) {
	for i, part := range rest {
		if _, ok := transforms[part]; ok && t.field != nil && (t.field.Kind == KindDate || t.field.Kind == KindDateTime || t.annotation != nil) {
			t.transforms = append(t.transforms, part)
			continue
		}
		if lookups[part] && i == len(rest)-1 {
			t.lookup = part
			return t, nil
		}
		if t.field != nil && t.field.IsRelation() {
			return target{}, &FieldError{Model: c.root.Name, Path: path, Msg: fmt.Sprintf("%s has no field %q", t.field.Related.Name, part)}
		}
		return target{}, &FieldError{Model: c.root.Name, Path: path, Msg: fmt.Sprintf("unsupported lookup %q", strings.Join(rest[i:], "__"))}
	}
	return t, nil
}

func (c *compiler) unknown(path string, m *Model, name string) error {
	choices := m.sortedFieldNames()
	for _, rel := range m.Related {
		if !rel.ReverseHidden() {
			choices += ", " + rel.RelatedQueryName
		}
	}
	for a := range c.annotations {
		choices += ", " + a
	}
	return &FieldError{Model: c.root.Name, Path: path, Msg: fmt.Sprintf("%s has no field %q (choices: %s)", m.Name, name, choices)}
}
