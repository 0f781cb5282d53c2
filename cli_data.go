package staffroom

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/staffroom/staffroom/orm"
)

// parseArgs parses the flags wherever they stand among the arguments, as
// Django's commands take them ("dumpdata bookstore --indent 2"), and
// returns the other arguments in order. Everything after "--" is an
// argument.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if consumed := len(args) - fs.NArg(); consumed > 0 && args[consumed-1] == "--" {
			return append(rest, fs.Args()...), nil
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// listFlag is a flag that may be given more than once.
type listFlag []string

// String implements flag.Value.
func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set implements flag.Value, adding v to the list.
func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// dumpFlags defines dumpdata's flags.
func dumpFlags(fs *flag.FlagSet) runFunc {
	o := &dumpOptions{
		indent:         fs.Int("indent", 0, "indent by `N` spaces per level"),
		naturalForeign: fs.Bool("natural-foreign", false, "write relations by natural key"),
		naturalPrimary: fs.Bool("natural-primary", false, "leave out primary keys that a natural key replaces"),
		output:         fs.String("output", "", "the `FILE` to write (default: standard output)"),
	}
	fs.Var(&o.exclude, "exclude", "leave out an `app[.Model]`; repeatable")
	return withApp(func(ctx context.Context, c *call, app *App) error { return dumpData(ctx, app, c.env, c.args, o) })
}

// dumpOptions are dumpdata's flags.
type dumpOptions struct {
	indent         *int
	naturalForeign *bool
	naturalPrimary *bool
	exclude        listFlag
	output         *string
}

// loadData loads fixture files (standard input for "-") in one
// transaction, as Django's loaddata does, reporting after each file how
// many objects are in.
func loadData(ctx context.Context, c *call, app *App) error {
	files := c.args
	p := newProgress(c.env.Stderr)
	defer p.end()
	total := 0
	err := app.DB.Atomic(ctx, func(ctx context.Context) error {
		for i, name := range files {
			n, err := loadFile(ctx, app, c.env, name)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			total += n
			p.report(i == len(files)-1, "loaddata: %d/%d fixtures, %d objects", i+1, len(files), total)
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.env.Stdout, "Installed %d object(s) from %d fixture(s)\n", total, len(files))
	return nil
}

func loadFile(ctx context.Context, app *App, env Env, name string) (int, error) {
	if name == "-" {
		return app.DB.LoadData(ctx, env.Stdin)
	}
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return app.DB.LoadData(ctx, f)
}

// dumpData writes the chosen apps and models as a fixture to standard
// output or to the --output file, which a failed dump does not leave
// behind.
func dumpData(ctx context.Context, app *App, env Env, labels []string, o *dumpOptions) error {
	opts := orm.DumpOptions{Models: labels, Exclude: o.exclude, NaturalForeign: *o.naturalForeign,
		NaturalPrimary: *o.naturalPrimary, Indent: *o.indent}
	if *o.output == "" {
		return app.DB.DumpData(ctx, env.Stdout, opts)
	}
	f, err := os.Create(*o.output)
	if err != nil {
		return err
	}
	err = app.DB.DumpData(ctx, f, opts)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*o.output)
	}
	return err
}
