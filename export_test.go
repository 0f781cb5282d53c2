package staffroom

import "flag"

// RunMain runs a command line as Main does and returns its exit status.
var RunMain = exit

// CommandFlags returns the names of every command's own flags, by command.
func CommandFlags() map[string][]string {
	out := map[string][]string{}
	for _, cmd := range commands() {
		fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
		cmd.setup(fs)
		out[cmd.name] = []string{}
		fs.VisitAll(func(f *flag.Flag) { out[cmd.name] = append(out[cmd.name], f.Name) })
	}
	return out
}
