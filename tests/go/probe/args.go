// Command-line parsing shared by the probes: every probe takes a few
// required integer flags, spelled --name VALUE as in the C binary.
package main

import (
	"flag"
	"io"
	"strconv"
)

// intFlags parses args for the named required integer flags, each ≥ 0
// and ≤ max; any error is a usage error (exit 2).
func intFlags(cmd string, args []string, max int, names ...string) map[string]int {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	vals := make(map[string]*int, len(names))
	for _, n := range names {
		vals[n] = fs.Int(n, -1, "")
	}
	if err := fs.Parse(args); err != nil {
		die(2, "%s: %v", cmd, err)
	}
	if fs.NArg() != 0 {
		die(2, "%s: unexpected argument %q", cmd, fs.Arg(0))
	}
	out := make(map[string]int, len(names))
	for _, n := range names {
		v := *vals[n]
		if v < 0 || v > max {
			die(2, "%s: --%s must be given, 0..%d", cmd, n, max)
		}
		out[n] = v
	}
	return out
}

// stringFlag parses args for one required string flag.
func stringFlag(cmd string, args []string, name string) string {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	v := fs.String(name, "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 || *v == "" {
		die(2, "%s: usage: --%s VALUE", cmd, name)
	}
	return *v
}

func atoi(cmd, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		die(2, "%s: bad number %q", cmd, s)
	}
	return n
}
