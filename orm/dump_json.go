package orm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/google/uuid"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// rawJSON is a JSON value already encoded.
type rawJSON string

// member is one key and value of a JSON object, which DumpData writes in
// a fixed order.
type member struct {
	key   string
	value any // rawJSON, []any or []member
}

// writeJSON encodes v (rawJSON, []any or []member) the way Python's json
// module does for Django: with indent, one item per line and ": " after
// keys; without, everything on one line with ", " and ": " separators.
// level is the depth of v, for the indentation of its items.
func writeJSON(b *bytes.Buffer, v any, indent, level int) {
	switch x := v.(type) {
	case rawJSON:
		b.WriteString(string(x))
	case []any:
		writeItems(b, "[", "]", len(x), indent, level, func(i int) { writeJSON(b, x[i], indent, level+1) })
	case []member:
		writeItems(b, "{", "}", len(x), indent, level, func(i int) {
			b.WriteString(string(jsonString(x[i].key)))
			b.WriteString(": ")
			writeJSON(b, x[i].value, indent, level+1)
		})
	}
}

func writeItems(b *bytes.Buffer, open, close string, n, indent, level int, item func(i int)) {
	b.WriteString(open)
	if n == 0 {
		b.WriteString(close)
		return
	}
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
			if indent <= 0 {
				b.WriteByte(' ')
			}
		}
		if indent > 0 {
			b.WriteByte('\n')
			writeIndent(b, indent, level+1)
		}
		item(i)
	}
	if indent > 0 {
		b.WriteByte('\n')
		writeIndent(b, indent, level)
	}
	b.WriteString(close)
}

func writeIndent(b *bytes.Buffer, indent, level int) {
	for range indent * level {
		b.WriteByte(' ')
	}
}

// jsonString quotes s as Python's json module does with ensure_ascii off:
// quotes, backslashes and control characters escaped, everything else as
// it is. Invalid UTF-8 becomes U+FFFD.
func jsonString(s string) rawJSON {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if r < 0x20 {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return rawJSON(b.String())
}

// scalarJSON encodes a field's Go value as Django's serializer does.
func scalarJSON(f *Field, v any) (rawJSON, error) {
	if f.Kind == KindJSON && v != nil { // a JSONField's value, as the JSON it is
		b, err := json.Marshal(v)
		if err != nil {
			return "", fmt.Errorf("cannot write a %T as JSON: %w", v, err)
		}
		return rawJSON(b), nil
	}
	switch x := v.(type) {
	case nil:
		return "null", nil
	case string:
		return jsonString(x), nil
	case bool:
		return rawJSON(strconv.FormatBool(x)), nil
	case time.Time:
		if f.Kind == KindDate {
			return jsonString(x.Format(DateLayout)), nil
		}
		return jsonString(djangoDateTime(x)), nil
	case decimal.Decimal:
		return jsonString(FormatDecimal(x, f.Places)), nil
	case float32:
		return pythonFloat(float64(x), 32)
	case float64:
		return pythonFloat(x, 64)
	case uuid.UUID:
		return jsonString(x.String()), nil // hyphenated, as Django writes it
	case time.Duration:
		return jsonString(FormatDuration(x)), nil // "01:43:00", Django's duration_string
	}
	if n, ok := toInt64(v); ok {
		return rawJSON(strconv.FormatInt(n, 10)), nil
	}
	// A named type such as "type Status string".
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return jsonString(rv.String()), nil
	case reflect.Bool:
		return rawJSON(strconv.FormatBool(rv.Bool())), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rawJSON(strconv.FormatInt(rv.Int(), 10)), nil
	case reflect.Float32, reflect.Float64:
		return pythonFloat(rv.Float(), rv.Type().Bits())
	}
	return "", fmt.Errorf("cannot write a %T as JSON", v)
}

// djangoDateTime formats t as Django's JSON encoder does: ISO 8601 in
// UTC, milliseconds when there is a fraction of a second, and "Z":
// "2026-11-21T22:10:00.123Z".
func djangoDateTime(t time.Time) string {
	t = t.UTC()
	s := t.Format("2006-01-02T15:04:05")
	if micro := t.Nanosecond() / 1000; micro != 0 {
		s += fmt.Sprintf(".%03d", micro/1000)
	}
	return s + "Z"
}

// pythonFloat formats x as Python's repr does, which is what Django's
// fixtures hold: the shortest digits that read back as x, a ".0" on whole
// numbers, and an exponent below 1e-4 and from 1e16.
func pythonFloat(x float64, bits int) (rawJSON, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "", fmt.Errorf("%v has no JSON form", x)
	}
	e := strconv.FormatFloat(x, 'e', -1, bits)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return rawJSON(e), nil
	}
	s := strconv.FormatFloat(x, 'f', -1, bits)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return rawJSON(s), nil
}
