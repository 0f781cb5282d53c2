package orm

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// FormatDecimal writes what StringFixed writes, for the decimals it
// writes itself (exponent -places, up to 18 digits) and the others.
func TestFormatDecimalLikeStringFixed(t *testing.T) {
	var ds []decimal.Decimal
	for _, s := range []string{"0", "0.00", "-0.05", "0.5", "-1", "12.34", "-12.345", "1234567890.12", "999999999999999999",
		"-999999999999999999", "9999999999999999999", "0.000000000000000001", "1e5", "1.005", "123456789012345678.9"} {
		ds = append(ds, decimal.RequireFromString(s))
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		ds = append(ds, decimal.New(r.Int64N(2e12)-1e12, -int32(r.IntN(8))), decimal.New(r.Int64()-r.Int64(), -int32(r.IntN(20))))
	}
	for _, d := range ds {
		for places := -2; places <= 20; places++ {
			if got, want := FormatDecimal(d, places), d.StringFixed(int32(places)); got != want {
				t.Fatalf("FormatDecimal(%s (%se%d), %d) = %q, want %q", d, d.Coefficient(), d.Exponent(), places, got, want)
			}
			// The form the orm reads: exactly places places.
			if places >= 0 {
				exact := d.Round(int32(places))
				if got, want := FormatDecimal(exact, places), exact.StringFixed(int32(places)); got != want {
					t.Fatalf("FormatDecimal(%s (%se%d), %d) = %q, want %q", exact, exact.Coefficient(), exact.Exponent(), places, got, want)
				}
			}
		}
	}
}
