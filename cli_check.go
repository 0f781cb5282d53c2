package staffroom

import (
	"context"
	"fmt"
	"io"

	"github.com/staffroom/staffroom/admin"
)

// check runs the system checks on every registered admin and the site,
// as Django's check command does, and prints what they find. The site
// defers the checks of Register, so that every admin's errors are listed
// at once rather than the first one met; any error fails the command.
func check(ctx context.Context, c *call) error {
	c.deferChecks = true
	app, err := c.open()
	if err != nil {
		return err
	}
	defer app.Close()
	msgs := app.Site.Check()
	writeCheckReport(c.env.Stdout, msgs)
	if n := countErrors(msgs); n > 0 {
		return fmt.Errorf("check: %d %s; the admin would refuse to start", n, plural(n, "error", "errors"))
	}
	return nil
}

// writeCheckReport prints messages as Django's check framework does:
// errors, then warnings, then the count.
func writeCheckReport(w io.Writer, msgs []admin.CheckMessage) {
	if len(msgs) == 0 {
		fmt.Fprintln(w, "System check identified no issues (0 silenced).")
		return
	}
	fmt.Fprintln(w, "System check identified some issues:")
	for _, level := range []admin.Level{admin.LevelError, admin.LevelWarning} {
		heading := false
		for _, m := range msgs {
			if m.Level != level {
				continue
			}
			if !heading {
				fmt.Fprintf(w, "\n%sS:\n", level)
				heading = true
			}
			fmt.Fprintln(w, m.String())
		}
	}
	fmt.Fprintf(w, "\nSystem check identified %d %s (0 silenced).\n", len(msgs), plural(len(msgs), "issue", "issues"))
}

func countErrors(msgs []admin.CheckMessage) int {
	n := 0
	for _, m := range msgs {
		if m.IsError() {
			n++
		}
	}
	return n
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
