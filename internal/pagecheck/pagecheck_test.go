package pagecheck

import (
	"strings"
	"testing"
)

func TestFirstDiff(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{{"", "", -1}, {"abc", "abc", -1}, {"abc", "abd", 2}, {"ab", "abc", 2}, {"abc", "", 0}} {
		if got := firstDiff([]byte(tc.a), []byte(tc.b)); got != tc.want {
			t.Errorf("firstDiff(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestCompareRecordsTheFirst(t *testing.T) {
	if err := Compare("p", []byte("same"), []byte("same")); err != nil {
		t.Fatal(err)
	}
	err := Compare("p", []byte(strings.Repeat("x", 100)+"go"), []byte(strings.Repeat("x", 100)+"tmpl"))
	if err == nil || !strings.Contains(Mismatch(), "at byte 100") || !strings.Contains(Mismatch(), `…xxx`) {
		t.Fatalf("mismatch %q, err %v", Mismatch(), err)
	}
	Compare("q", []byte("a"), []byte("b"))
	if !strings.HasPrefix(Mismatch(), "pagecheck: p ") {
		t.Errorf("the first difference was not kept: %q", Mismatch())
	}
}
