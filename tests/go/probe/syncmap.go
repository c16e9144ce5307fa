// syncmap: a real sync.Map driven by a script, its private state printed
// after each operation.
//
// The private fields are read with reflect by name (reflect may read, not
// write, unexported fields), which checks the go1.19 layout instead of
// assuming it: Map{mu Mutex; read atomic.Value; dirty map[any]*entry;
// misses int} and readOnly{m map[any]*entry; amended bool} (sync/map.go:34,
// :70). A renamed or retyped field makes the probe fail, not lie.
package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// syncState is the part of a sync.Map the probe reports.
type syncState struct {
	readLen  int  // len(read.m); 0 while read was never stored
	amended  bool // read.amended
	dirtyNil bool
	dirtyLen int
	misses   int
	dirty    *hmap // the dirty map's hmap, nil if dirty is nil
}

func field(v reflect.Value, name string, kind reflect.Kind) reflect.Value {
	f := v.FieldByName(name)
	if !f.IsValid() || f.Kind() != kind {
		die(1, "sync.Map layout: no %v field %q in %v", kind, name, v.Type())
	}
	return f
}

func readSyncState(m *sync.Map) syncState {
	v := reflect.ValueOf(m).Elem()
	var s syncState
	ro := field(field(v, "read", reflect.Struct), "v", reflect.Interface) // atomic.Value{v any}
	if !ro.IsNil() {
		ro = ro.Elem()
		if ro.Type().String() != "sync.readOnly" {
			die(1, "sync.Map layout: read holds %v", ro.Type())
		}
		s.readLen = field(ro, "m", reflect.Map).Len()
		s.amended = field(ro, "amended", reflect.Bool).Bool()
	}
	d := field(v, "dirty", reflect.Map)
	s.dirtyNil = d.IsNil()
	s.dirtyLen = d.Len()
	if !s.dirtyNil {
		s.dirty = hmapOf(d)
	}
	s.misses = int(field(v, "misses", reflect.Int).Int())
	return s
}

// runSyncOp applies one script operation; keys are ints and value == key.
func runSyncOp(m *sync.Map, name string, k int) {
	switch name {
	case "store":
		m.Store(k, k)
	case "load":
		m.Load(k)
	case "delete":
		m.Delete(k)
	case "loadorstore":
		m.LoadOrStore(k, k)
	case "loadanddelete":
		m.LoadAndDelete(k)
	case "range":
		m.Range(func(_, _ any) bool { return true })
	}
}

// parseSyncOp splits "store 7" into its name and key; "range" has no key.
func parseSyncOp(op string) (name string, key int, text string) {
	w := strings.Fields(op)
	keyed := map[string]bool{"store": true, "load": true, "delete": true, "loadorstore": true, "loadanddelete": true}
	switch {
	case len(w) == 1 && w[0] == "range":
		return "range", 0, "range"
	case len(w) == 2 && keyed[w[0]]:
		k, err := strconv.Atoi(w[1])
		if err == nil {
			return w[0], k, w[0] + " " + strconv.Itoa(k)
		}
	}
	die(2, "syncmap: bad operation %q (store|load|delete|loadorstore|loadanddelete K, or range)", op)
	return
}

func cmdSyncmap(args []string) {
	script := stringFlag("syncmap", args, "script")
	var m sync.Map
	for _, op := range strings.Split(script, ";") {
		if strings.TrimSpace(op) == "" {
			continue
		}
		name, k, text := parseSyncOp(op)
		runSyncOp(&m, name, k)
		s := readSyncState(&m)
		dirty := "null"
		if !s.dirtyNil {
			dirty = strconv.Itoa(s.dirtyLen)
		}
		quoted, _ := json.Marshal(text)
		fmt.Printf("{\"probe\":\"syncmap\",\"op\":%s,\"read_len\":%d,\"amended\":%t,\"dirty_len\":%s,\"misses\":%d}\n",
			quoted, s.readLen, s.amended, dirty, s.misses)
	}
}
