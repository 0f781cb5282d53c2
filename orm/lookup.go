package orm

import (
	"errors"
	"fmt"
	"strings"
)

var (
	errRangeTwo  = errors.New("range needs two values")
	errYearRange = errors.New("a year from 1 to 9998")
)

// lookup builds the condition for one "path__lookup" = value pair.
func (c *compiler) lookup(path string, value any) (string, error) {
	t, err := c.resolve(path)
	if err != nil {
		return "", err
	}
	if sql, ok, err := c.asRange(t, value); ok || err != nil {
		return sql, err
	}
	col, f, err := c.transform(t)
	if err != nil {
		return "", err
	}
	if t.annotation != nil && t.annotation.aggregate {
		c.usedAggregate = true
	}
	switch t.lookup {
	case "", "exact":
		if value == nil {
			return col + " IS NULL", nil
		}
		v, err := c.value(f, value)
		if err != nil {
			return "", err
		}
		return col + " = " + v, nil
	case "iexact", "contains", "icontains", "startswith", "istartswith", "endswith", "iendswith":
		// The index's narrowing comes first, its argument too.
		pre, narrowed := c.substringFilter(t, col, value)
		sql, err := c.match(col, t.lookup, value)
		if err != nil || !narrowed {
			return sql, err
		}
		return "(" + pre + " AND " + sql + ")", nil
	case "gt", "gte", "lt", "lte":
		v, err := c.value(f, value)
		if err != nil {
			return "", err
		}
		return col + comparison(t.lookup) + v, nil
	case "isnull":
		b, err := parseBoolish(value)
		if err != nil {
			return "", &ValueError{Field: f.Name, Value: value, Err: err}
		}
		if b {
			return col + " IS NULL", nil
		}
		return col + " IS NOT NULL", nil
	case "in":
		return c.in(col, f, value)
	case "range":
		items, err := listOf(value)
		if err != nil || len(items) != 2 {
			return "", &ValueError{Field: f.Name, Value: value, Err: errRangeTwo}
		}
		lo, err := c.value(f, items[0])
		if err != nil {
			return "", err
		}
		hi, err := c.value(f, items[1])
		if err != nil {
			return "", err
		}
		return col + " BETWEEN " + lo + " AND " + hi, nil
	case "regex", "iregex":
		return c.regex(col, t.lookup == "iregex", value)
	case "search":
		if sql, ok := c.ftsSearch(t, col, value); ok {
			return sql, nil
		}
		return c.search(col, value)
	}
	return "", &FieldError{Model: c.root.Name, Path: path, Msg: "unknown lookup " + t.lookup}
}

// comparison is the operator of a gt, gte, lt or lte lookup, spaced.
func comparison(lookup string) string {
	switch lookup {
	case "gt":
		return " > "
	case "gte":
		return " >= "
	case "lt":
		return " < "
	}
	return " <= "
}

// match builds a text lookup through the dialect.
func (c *compiler) match(col, lookup string, value any) (string, error) {
	if value == nil {
		return col + " IS NULL", nil
	}
	if e, ok := value.(Expression); ok {
		sql, _, err := e.compile(c)
		if err != nil {
			return "", err
		}
		return c.d.MatchExpr(col, sql, lookup), nil
	}
	sql, arg := c.d.Match(col, c.d.Placeholder(len(c.args)+1), lookup, fmt.Sprint(value))
	c.args = append(c.args, arg)
	return sql, nil
}

func (c *compiler) in(col string, f *Field, value any) (string, error) {
	if sub, ok := value.(QuerySet); ok {
		return c.inSubquery(col, sub)
	}
	items, err := listOf(value)
	if err != nil {
		return "", &ValueError{Field: f.Name, Value: value, Err: err}
	}
	if len(items) == 0 {
		return "1=0", nil
	}
	marks := make([]string, len(items))
	for i, it := range items {
		if marks[i], err = c.value(f, it); err != nil {
			return "", err
		}
	}
	return col + " IN (" + strings.Join(marks, ", ") + ")", nil
}

// inSubquery compares with the primary keys (or the single Values field)
// of another query.
func (c *compiler) inSubquery(col string, q QuerySet) (string, error) {
	sc := newCompiler(c.db, q.model)
	sc.aliasPrefix = c.subPrefix("S")
	sc.rootAlias = sc.aliasPrefix + "0"
	sc.args = c.args
	sc.loc = c.loc
	sql, err := q.compileKeys(sc)
	if err != nil {
		return "", err
	}
	c.args = sc.args
	return col + " IN (" + sql + ")", nil
}

func (c *compiler) regex(col string, insensitive bool, value any) (string, error) {
	pattern, ok := value.(string)
	if !ok {
		return "", &ValueError{Field: "regex", Value: value, Err: fmt.Errorf("a pattern must be a string")}
	}
	sql, prefix := c.d.Regex(col, c.d.Placeholder(len(c.args)+1), insensitive)
	c.args = append(c.args, prefix+pattern)
	return sql, nil
}

func (c *compiler) search(col string, value any) (string, error) {
	terms := strings.Fields(fmt.Sprint(value))
	if len(terms) == 0 {
		return "1=1", nil
	}
	if sql, ok := c.d.Search(col, c.d.Placeholder(len(c.args)+1)); ok {
		c.args = append(c.args, strings.Join(terms, " "))
		return sql, nil
	}
	// The documented fallback: every word must occur, in any case.
	parts := make([]string, len(terms))
	for i, term := range terms {
		sql, err := c.match(col, "icontains", term)
		if err != nil {
			return "", err
		}
		parts[i] = sql
	}
	return joinParts(parts, " AND "), nil
}

// extract applies a date transform to a column through the dialect; a
// datetime column is read on the clocks of the compiler's zone.
func (c *compiler) extract(part, col string, f *Field) (string, error) {
	if f.Kind == KindDateTime && c.zoned() {
		return c.d.Extract(part, c.wallClock(col), false), nil
	}
	return c.d.Extract(part, col, f.Kind == KindDateTime), nil
}
