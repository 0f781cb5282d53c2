package orm

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// decimalFromFloat gives the decimal NewFromFloat and Round give, digits
// and exponent alike, for the floats a decimal column holds and for those
// that round differently as floats and as their shortest digits.
func TestDecimalFromFloatLikeRound(t *testing.T) {
	floats := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, -0.5, 0.125, 1.005, 2.675, 1.115, -2.675,
		22.42, 22.4, 100, 1e15, 1e12 + 0.5, 123456789.987654321, 0.1 + 0.2, 1e-7, 5e-7, -5e-7,
		4.35, 8.345, 9.995, 1099511627775.99, 1099511627776.01, math.MaxInt64, 1e300, 5e-324}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		cents := r.Int64N(2000000) - 1000000
		floats = append(floats, float64(cents)/100, float64(cents)/1000, float64(cents)/7, r.NormFloat64()*1e6, r.Float64())
	}
	for _, x := range floats {
		for places := int32(0); places <= 17; places++ {
			want := decimal.NewFromFloat(x).Round(places)
			got := decimalFromFloat(x, places)
			if got.Exponent() != want.Exponent() || got.Coefficient().Cmp(want.Coefficient()) != 0 {
				t.Fatalf("decimalFromFloat(%v, %d) = %s (%se%d), want %s (%se%d)", x, places,
					got, got.Coefficient(), got.Exponent(), want, want.Coefficient(), want.Exponent())
			}
		}
	}
}
