package project_test

import (
	"os"
	"testing"

	"github.com/staffroom/staffroom/internal/pagecheck"
)

// TestMain compares every change list the admin writes in Go with its
// template's rendering.
func TestMain(m *testing.M) { os.Exit(pagecheck.Run(m)) }
