package orm

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// lookups lists the lookup names a path may end with.
var lookups = map[string]bool{
	"exact": true, "iexact": true, "contains": true, "icontains": true, "in": true,
	"gt": true, "gte": true, "lt": true, "lte": true, "startswith": true,
	"istartswith": true, "endswith": true, "iendswith": true, "range": true, "isnull": true,
}

// compiler turns a query's parts into SQL text and bound arguments. Every
// identifier it writes comes from model metadata.
type compiler struct {
	db      *DB
	d       Dialect
	root    *Model
	joins   []string
	aliases map[string]string // relation path → table alias
	args    []any
}

func newCompiler(db *DB, m *Model) *compiler {
	return &compiler{db: db, d: db.dialect, root: m, aliases: map[string]string{"": m.Table}}
}

func (c *compiler) col(alias, column string) string {
	return c.d.Quote(alias) + "." + c.d.Quote(column)
}

func (c *compiler) param(v any) string {
	c.args = append(c.args, v)
	return c.d.Placeholder(len(c.args))
}

// join adds (once) a LEFT JOIN following the foreign key f from the table
// aliased from, and returns the new alias.
func (c *compiler) join(path, from string, f *Field) string {
	if a, ok := c.aliases[path]; ok {
		return a
	}
	alias := "T" + strconv.Itoa(len(c.joins)+1)
	c.aliases[path] = alias
	c.joins = append(c.joins, fmt.Sprintf(" LEFT OUTER JOIN %s %s ON %s = %s",
		c.d.Quote(f.Related.Table), c.d.Quote(alias), c.col(from, f.Column), c.col(alias, f.Target().Column)))
	return alias
}

// target is a resolved field path.
type target struct {
	col    string // the qualified column
	field  *Field
	lookup string // "" when the path named no lookup
}

// resolve walks a path such as "publisher__name__icontains" through the
// model metadata, adding joins, and returns the column, the field and the
// lookup. Unknown names give a *FieldError.
func (c *compiler) resolve(path string) (target, error) {
	parts := strings.Split(path, "__")
	m, alias, walked := c.root, c.root.Table, ""
	for i := 0; i < len(parts); i++ {
		part := parts[i]
		f := m.Field(part)
		if f == nil {
			return target{}, &FieldError{Model: c.root.Name, Path: path, Msg: fmt.Sprintf("%s has no field %q (choices: %s)", m.Name, part, m.sortedFieldNames())}
		}
		rest := parts[i+1:]
		switch {
		case f.Kind == KindManyToMany:
			return target{}, &FieldError{Model: c.root.Name, Path: path, Msg: "lookups across a many-to-many relation are not implemented yet"}
		case len(rest) == 0:
			return target{col: c.col(alias, f.Column), field: f}, nil
		case len(rest) == 1 && lookups[rest[0]] && (!f.IsForeignKey() || f.Related.Field(rest[0]) == nil):
			return target{col: c.col(alias, f.Column), field: f, lookup: rest[0]}, nil
		case !f.IsForeignKey():
			return target{}, &FieldError{Model: c.root.Name, Path: path, Msg: fmt.Sprintf("unsupported lookup %q on %s", strings.Join(rest, "__"), f.Name)}
		}
		// A foreign key followed by the field it holds needs no join.
		if f.Related.Field(rest[0]) == f.Target() && (len(rest) == 1 || len(rest) == 2 && lookups[rest[1]]) {
			t := target{col: c.col(alias, f.Column), field: f}
			if len(rest) == 2 {
				t.lookup = rest[1]
			}
			return t, nil
		}
		if walked != "" {
			walked += "__"
		}
		walked += part
		alias = c.join(walked, alias, f)
		m = f.Related
	}
	return target{}, &FieldError{Model: c.root.Name, Path: path, Msg: "empty path"}
}

// lookup builds the condition for one "path__lookup" = value pair.
func (c *compiler) lookup(path string, value any) (string, error) {
	t, err := c.resolve(path)
	if err != nil {
		return "", err
	}
	f, col := t.field, t.col
	switch t.lookup {
	case "", "exact":
		if value == nil {
			return col + " IS NULL", nil
		}
		v, err := c.value(f, value)
		if err != nil {
			return "", err
		}
		return col + " = " + c.param(v), nil
	case "iexact", "contains", "icontains", "startswith", "istartswith", "endswith", "iendswith":
		if value == nil {
			return col + " IS NULL", nil
		}
		sql, arg := c.d.Match(col, c.d.Placeholder(len(c.args)+1), t.lookup, fmt.Sprint(value))
		c.args = append(c.args, arg)
		return sql, nil
	case "gt", "gte", "lt", "lte":
		v, err := c.value(f, value)
		if err != nil {
			return "", err
		}
		op := map[string]string{"gt": " > ", "gte": " >= ", "lt": " < ", "lte": " <= "}[t.lookup]
		return col + op + c.param(v), nil
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
		items, err := listOf(value)
		if err != nil {
			return "", &ValueError{Field: f.Name, Value: value, Err: err}
		}
		if len(items) == 0 {
			return "1=0", nil
		}
		marks := make([]string, len(items))
		for i, it := range items {
			v, err := c.value(f, it)
			if err != nil {
				return "", err
			}
			marks[i] = c.param(v)
		}
		return col + " IN (" + strings.Join(marks, ", ") + ")", nil
	case "range":
		items, err := listOf(value)
		if err != nil || len(items) != 2 {
			return "", &ValueError{Field: f.Name, Value: value, Err: fmt.Errorf("range needs two values")}
		}
		lo, err := c.value(f, items[0])
		if err != nil {
			return "", err
		}
		hi, err := c.value(f, items[1])
		if err != nil {
			return "", err
		}
		return col + " BETWEEN " + c.param(lo) + " AND " + c.param(hi), nil
	}
	return "", &FieldError{Model: c.root.Name, Path: path, Msg: "unknown lookup " + t.lookup}
}

// value converts a Go or string value for the field into a driver value.
func (c *compiler) value(f *Field, v any) (any, error) {
	n, err := f.normalize(v)
	if err != nil {
		return nil, err
	}
	if n == nil {
		return nil, nil
	}
	return c.d.ToDB(f, n), nil
}

// parseBoolish reads an isnull value the way the admin's query string gives
// it: "", "false" and "0" (any case) are false, other strings true.
func parseBoolish(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(x) {
		case "", "false", "0":
			return false, nil
		}
		return true, nil
	}
	return false, fmt.Errorf("want a boolean, got %T", v)
}

// listOf turns a slice of any element type (or a comma-separated string)
// into []any.
func listOf(v any) ([]any, error) {
	if s, ok := v.(string); ok {
		parts := strings.Split(s, ",")
		out := make([]any, len(parts))
		for i, p := range parts {
			out[i] = p
		}
		return out, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, fmt.Errorf("want a list, got %T", v)
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, nil
}

// orderBy compiles ordering names ("-pubdate", "publisher__name", "pk").
func (c *compiler) orderBy(names []string) (string, error) {
	var parts []string
	for _, name := range names {
		desc := strings.HasPrefix(name, "-")
		name = strings.TrimPrefix(name, "-")
		t, err := c.resolve(name)
		if err != nil {
			return "", err
		}
		if t.lookup != "" {
			return "", &FieldError{Model: c.root.Name, Path: name, Msg: "an ordering names a field, not a lookup"}
		}
		if desc {
			parts = append(parts, t.col+" DESC")
		} else {
			parts = append(parts, t.col+" ASC")
		}
	}
	return strings.Join(parts, ", "), nil
}
