// compare: the diff step of tests/diff/run_diff.sh. Both files hold JSON
// lines; line i of the Go file must match line i of the C file on every key
// the Go line has (or only on the KEYs given). The C side may add keys.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
)

const maxReported = 10

// jsonLine is one parsed line and its text.
type jsonLine struct {
	obj  map[string]any
	text string
}

func readJSONLines(path string) []jsonLine {
	f, err := os.Open(path)
	if err != nil {
		die(2, "compare: %v", err)
	}
	defer f.Close()
	var out []jsonLine
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var obj map[string]any
		d := json.NewDecoder(bytes.NewReader(line))
		d.UseNumber()
		if err := d.Decode(&obj); err != nil {
			obj = map[string]any{"<not JSON>": string(line)}
		}
		out = append(out, jsonLine{obj, string(line)})
	}
	return out
}

func show(v any, ok bool) string {
	if !ok {
		return "(missing)"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// compareLines returns one message per mismatch.
func compareLines(goLines, cLines []jsonLine, keys []string) []string {
	var diffs []string
	for i := 0; i < len(goLines) || i < len(cLines); i++ {
		if i >= len(goLines) || i >= len(cLines) {
			diffs = append(diffs, fmt.Sprintf("line %d: Go has %d lines, C has %d", i+1, len(goLines), len(cLines)))
			break
		}
		g, c := goLines[i].obj, cLines[i].obj
		ks := keys
		if len(ks) == 0 {
			for k := range g {
				ks = append(ks, k)
			}
			sortStrings(ks)
		}
		for _, k := range ks {
			gv, gok := g[k]
			cv, cok := c[k]
			if gok != cok || !reflect.DeepEqual(gv, cv) {
				diffs = append(diffs, fmt.Sprintf("line %d key %q: go %s, c %s\n    go: %s\n    c:  %s",
					i+1, k, show(gv, gok), show(cv, cok), goLines[i].text, cLines[i].text))
			}
		}
	}
	return diffs
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func cmdCompare(args []string) {
	if len(args) < 2 {
		die(2, "compare: usage: compare GO_FILE C_FILE [KEY...]")
	}
	diffs := compareLines(readJSONLines(args[0]), readJSONLines(args[1]), args[2:])
	for i, d := range diffs {
		if i == maxReported {
			fmt.Printf("  ... %d more mismatches\n", len(diffs)-maxReported)
			break
		}
		fmt.Println("  " + d)
	}
	if len(diffs) > 0 {
		os.Exit(1)
	}
}
