package orm

import (
	"fmt"
	"sort"
	"strings"
)

// Expr is a condition for Filter, Exclude and Or.
type Expr interface {
	build(c *compiler) (string, error)
}

// Q is a set of lookups that must all hold: Q{"name__icontains": "go",
// "pages__gt": 100}. Keys are field paths with an optional lookup, Django's
// "publisher__name__istartswith"; a key without a lookup means exact.
type Q map[string]any

func (q Q) build(c *compiler) (string, error) {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		sql, err := c.lookup(k, q[k])
		if err != nil {
			return "", err
		}
		parts = append(parts, sql)
	}
	return joinParts(parts, " AND "), nil
}

type junction struct {
	op    string
	exprs []Expr
}

func (j junction) build(c *compiler) (string, error) {
	parts := make([]string, 0, len(j.exprs))
	for _, e := range j.exprs {
		sql, err := e.build(c)
		if err != nil {
			return "", err
		}
		parts = append(parts, sql)
	}
	return joinParts(parts, j.op), nil
}

type not struct{ e Expr }

// build negates the expression. When it crosses a multi-valued relation,
// the negation must hold for every related row, as Django's exclude()
// means it: the row's key must not be among the keys the expression
// matches, which a subquery gives.
func (n not) build(c *compiler) (string, error) {
	probe := c.sub()
	probe.group = c.group
	if _, err := n.e.build(probe); err != nil {
		return "", err
	}
	if !probe.usedMulti {
		sql, err := n.e.build(c)
		if err != nil {
			return "", err
		}
		return "NOT (" + sql + ")", nil
	}
	s := c.sub()
	cond, err := n.e.build(s)
	if err != nil {
		return "", err
	}
	c.args = s.args
	pk := c.root.PK.Column
	return fmt.Sprintf("NOT (%s IN (SELECT %s%s WHERE %s))",
		c.col(c.rootAlias, pk), s.col(s.rootAlias, pk), s.from(), cond), nil
}

// HalfOpenRanges returns a condition for each two consecutive bounds:
// bounds[i] <= path < bounds[i+1], as Q{path + "__gte": bounds[i],
// path + "__lt": bounds[i+1]} writes it, made without a map each, and each
// bound given once. A list of periods (a date hierarchy's years, probed
// with ExistsEach) is such ranges.
func HalfOpenRanges(path string, bounds ...any) []Expr {
	if len(bounds) < 2 {
		return nil
	}
	keys := &[2]string{path + "__gte", path + "__lt"}
	all := make([]halfOpen, len(bounds)-1)
	out := make([]Expr, len(all))
	for i := range all {
		all[i] = halfOpen{keys, bounds[i], bounds[i+1]}
		out[i] = &all[i]
	}
	return out
}

// halfOpen is one of HalfOpenRanges' conditions: keys are the lookups
// __gte and __lt of its path, shared by the list.
type halfOpen struct {
	keys     *[2]string
	from, to any
}

func (h *halfOpen) build(c *compiler) (string, error) {
	// As Q builds itself, the keys in order: "__gte" before "__lt".
	from, err := c.lookup(h.keys[0], h.from)
	if err != nil {
		return "", err
	}
	to, err := c.lookup(h.keys[1], h.to)
	if err != nil {
		return "", err
	}
	return joinParts([]string{from, to}, " AND "), nil
}

// And holds when every expression holds.
func And(exprs ...Expr) Expr { return junction{op: " AND ", exprs: exprs} }

// Or holds when any expression holds.
func Or(exprs ...Expr) Expr { return junction{op: " OR ", exprs: exprs} }

// Not negates an expression.
func Not(e Expr) Expr { return not{e} }

func joinParts(parts []string, op string) string {
	switch len(parts) {
	case 0:
		if op == " OR " {
			return "1=0"
		}
		return "1=1"
	case 1:
		return parts[0]
	}
	var sb strings.Builder
	sb.Grow(partsLen(parts, op))
	writeParts(&sb, parts, op)
	return sb.String()
}

// partsLen is the length of joinParts(parts, op) for two parts or more.
func partsLen(parts []string, op string) int {
	n := (len(parts)-1)*(len(op)+2) + 2
	for _, p := range parts {
		n += len(p)
	}
	return n
}

// writeParts writes joinParts(parts, op) to sb, without making the
// string first.
func writeParts(sb *strings.Builder, parts []string, op string) {
	if len(parts) < 2 {
		sb.WriteString(joinParts(parts, op))
		return
	}
	for i, p := range parts {
		if i > 0 {
			sb.WriteString(")")
			sb.WriteString(op)
		}
		sb.WriteString("(")
		sb.WriteString(p)
	}
	sb.WriteString(")")
}
