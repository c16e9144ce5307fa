// Command goprobe measures the real Go 1.19 runtime and prints JSON lines in
// exactly the format of `gomemviz probe ...`, so the two can be diffed.
//
// Invariant: every number printed comes from running the real runtime
// (append, make, mapassign, sync.Map) and reading its results or its data
// structures; nothing here re-implements a runtime formula.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
)

var commands = map[string]func(args []string){
	"sizeclass":    cmdSizeclass,
	"slice-append": cmdSliceAppend,
	"slice-bulk":   cmdSliceBulk,
	"map-layout":   cmdMapLayout,
	"map-hint":     cmdMapHint,
	"map-insert":   cmdMapInsert,
	"syncmap":      cmdSyncmap,
	"allocs":       cmdAllocs,
	"list-cases":   cmdListCases,
	"compare":      cmdCompare,
}

const usage = `usage: goprobe COMMAND [ARGS]
  sizeclass N [N...]
  slice-append --elem-size S --count N
  slice-bulk --elem-size S --len L --cap C --add K
  map-layout --key-size K --elem-size E
  map-hint --key-size K --elem-size E --hint H
  map-insert --key-size K --elem-size E --count N
  syncmap --script "store 1; load 1; delete 1; loadorstore 2; loadanddelete 2; range"
  allocs --case NAME
  list-cases
  compare GO_FILE C_FILE [KEY...]   (exit 1 if they differ)
`

func main() {
	if !strings.HasPrefix(runtime.Version(), "go1.19") {
		fmt.Fprintf(os.Stderr, "goprobe: built with %s; the mirrors of runtime structs are for go1.19\n", runtime.Version())
		os.Exit(1)
	}
	if len(os.Args) < 2 || commands[os.Args[1]] == nil {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	commands[os.Args[1]](os.Args[2:])
}

// die reports a usage error (exit 2) or a failed measurement (exit 1).
func die(code int, format string, a ...any) {
	fmt.Fprintf(os.Stderr, "goprobe: "+format+"\n", a...)
	os.Exit(code)
}
