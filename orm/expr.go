package orm

import (
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

func (n not) build(c *compiler) (string, error) {
	sql, err := n.e.build(c)
	if err != nil {
		return "", err
	}
	return "NOT (" + sql + ")", nil
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
	return "(" + strings.Join(parts, ")"+op+"(") + ")"
}
