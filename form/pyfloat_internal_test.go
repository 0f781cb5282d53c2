package form

import "testing"

// TestPyFloat: floats read as Python writes them, as Django shows them.
func TestPyFloat(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{5, "5.0"}, {-5, "-5.0"}, {0, "0.0"}, {0.1, "0.1"}, {2.5, "2.5"}, {1e15, "1000000000000000.0"},
		{1e16, "1e+16"}, {1.5e17, "1.5e+17"}, {0.0001, "0.0001"}, {0.00001, "1e-05"}, {1.25e-7, "1.25e-07"},
	} {
		if got := pyFloat(c.in); got != c.want {
			t.Errorf("pyFloat(%v) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := pyFloatBits(float64(float32(0.1)), 32); got != "0.1" {
		t.Errorf("float32 0.1: %q", got)
	}
}
