package orm

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Format writes a value of the field (as Get or Parse gives it) as the
// string Parse reads back, Django's value_to_string: "" for nil, dates as
// "2006-01-02", instants in RFC 3339 in UTC, times of day as
// "15:04:05[.ffffff]", durations as FormatDuration, decimals with their
// places, UUIDs with hyphens, JSON encoded, binary data in base64,
// many-to-many ids joined by commas.
func (f *Field) Format(v any) string {
	if f.Kind == KindJSON && v != nil {
		return f.formatOther(v)
	}
	if f.Kind == KindManyToMany && f.Related != nil && v != nil {
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice {
			parts := make([]string, rv.Len())
			for i := range parts {
				parts[i] = f.Related.PK.Format(rv.Index(i).Interface())
			}
			return strings.Join(parts, ",")
		}
	}
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return f.formatTime(x)
	case time.Duration:
		return FormatDuration(x)
	case decimal.Decimal:
		return FormatDecimal(x, f.Places)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	case uuid.UUID:
		return x.String()
	case []int64:
		parts := make([]string, len(x))
		for i, id := range x {
			parts[i] = strconv.FormatInt(id, 10)
		}
		return strings.Join(parts, ",")
	}
	return f.formatOther(v)
}

func (f *Field) formatTime(t time.Time) string {
	switch f.Kind {
	case KindDate:
		return t.Format(DateLayout)
	case KindTime:
		return formatTime(t)
	}
	return t.UTC().Format("2006-01-02T15:04:05.999999Z07:00")
}

func (f *Field) formatOther(v any) string {
	if f.Kind == KindJSON {
		if raw, ok := v.(json.RawMessage); ok {
			return string(raw)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Sprint(v)
		}
		return string(b)
	}
	if b, ok := v.([]byte); ok {
		return base64.StdEncoding.EncodeToString(b)
	}
	if n, ok := toInt64(v); ok {
		return strconv.FormatInt(n, 10)
	}
	return fmt.Sprint(v)
}

// FormatDecimal is d.StringFixed(places): d rounded to places decimal
// places, written with exactly that many. A decimal column's values
// mostly hold exactly places places (the orm reads them so) and a
// coefficient of at most 18 digits; those are written from the
// coefficient directly, where StringFixed formats a big.Int, which cost
// a change list more than the rest of its price cells.
func FormatDecimal(d decimal.Decimal, places int) string {
	if places < 0 || d.Exponent() != int32(-places) || d.NumDigits() > 18 {
		return d.StringFixed(int32(places))
	}
	c := d.CoefficientInt64()
	var buf [48]byte
	b := buf[:0]
	if c < 0 {
		b = append(b, '-')
		c = -c
	}
	var digits [20]byte
	ds := strconv.AppendInt(digits[:0], c, 10)
	if places == 0 {
		return string(append(b, ds...))
	}
	if len(ds) <= places { // 0.0ddd
		b = append(b, "0."...)
		for range places - len(ds) {
			b = append(b, '0')
		}
		return string(append(b, ds...))
	}
	point := len(ds) - places
	b = append(b, ds[:point]...)
	b = append(b, '.')
	return string(append(b, ds[point:]...))
}
