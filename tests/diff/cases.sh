# The case matrix of run_diff.sh, one function per group (sourced).
# Each calls run_case with the probe arguments shared by both sides.
# shellcheck shell=sh disable=SC2086,SC2046,SC2034 # numbers split on purpose; counters belong to run_diff.sh

# seq_ FROM TO: the integers FROM..TO, one per line (seq is not POSIX).
seq_() {
	awk -v a="$1" -v b="$2" 'BEGIN { for (i = a; i <= b; i++) print i }'
}

# Sizes past the last size class (32768): page-rounded in Go 1.19.
LARGE_SIZES="32769 32770 36864 40959 40960 40961 45056 49152 57344 65535 65536
65537 73728 73729 81920 100000 131072 131073 262144 262145 1000000 1048576
1048577 4194304 4194305 10000000 33554432 33554433"

group_sizeclass() {
	run_case sizeclass $(seq_ 1 32768) $LARGE_SIZES
}

group_slice_append() {
	for s in 0 1 2 3 4 5 7 8 12 16 24 32 40 48 64 100 128 256 1000 1024 9 33 333 2048; do
		run_case slice-append --elem-size $s --count 3000
	done
}

group_slice_bulk() {
	for s in 0 1 2 8 12 24 100 1000; do
		for lc in 0:0 0:5 1:1 3:5 5:5 8:8 100:100 255:256 256:256 300:512 511:512 1000:1000 1000:2000 4000:4000; do
			for add in 1 2 5 10 100 257 513 1000 5000; do
				run_case slice-bulk --elem-size $s --len ${lc%:*} --cap ${lc#*:} --add $add
			done
		done
	done
}

LAYOUT_SIZES="0 1 2 3 4 5 7 8 9 12 15 16 17 24 31 32 33 40 48 63 64 65 96 100 120 127 128 129 130 136 200 255 256 300"

group_map_layout() {
	for k in $LAYOUT_SIZES; do
		for e in $LAYOUT_SIZES; do
			run_case map-layout --key-size $k --elem-size $e
		done
	done
}

# key:elem pairs for map-hint and map-insert.
MAP_PAIRS="8:8 0:0 1:1 4:4 8:0 0:8 3:5 16:16 24:8 8:64 64:8 8:128 128:128 8:129 129:8 200:200 129:129"

group_map_hint() {
	for p in $MAP_PAIRS; do
		for h in $(seq_ 0 100) 104 105 127 128 200 208 209 416 417 832 833 1000 1664 1665 3328 3329 10000 100000 1000000; do
			run_case map-hint --key-size ${p%:*} --elem-size ${p#*:} --hint $h
		done
	done
}

group_map_insert() {
	for p in $MAP_PAIRS 2:2; do
		k=${p%:*}
		case $k in
		0) n=1 ;;
		1) n=256 ;;
		*) n=5000 ;;
		esac
		run_case map-insert --key-size $k --elem-size ${p#*:} --count $n
	done
	run_case map-insert --key-size 8 --elem-size 8 --count 30000
}

# syncmap scripts; each line of output is the state after one operation.
group_syncmap() {
	# Basics: load on an empty map, first store, promotion by misses.
	run_case syncmap --script "load 1; store 1; load 1; store 1; store 2; load 2; range; load 2; delete 2; load 2; range"
	# Misses reach len(dirty) = 4 → promotion; a missing key counts too.
	run_case syncmap --script "store 1; store 2; store 3; store 4; load 9; load 9; load 9; load 9; store 5; load 1; load 5; load 8; load 8; load 8; load 8; load 8"
	# Expunge (dirtyLocked after deletes) and unexpunge (store of an expunged key).
	run_case syncmap --script "store 1; store 2; store 3; range; delete 1; delete 2; store 4; load 1; store 1; load 1; range; store 5; delete 4; range; delete 5; store 6; store 5"
	# LoadOrStore and LoadAndDelete in read, in dirty and absent.
	run_case syncmap --script "loadorstore 1; loadorstore 1; range; loadorstore 1; loadorstore 2; loadorstore 2; loadorstore 3; loadanddelete 2; loadanddelete 2; loadanddelete 1; loadanddelete 9; range; loadorstore 1; store 1"
	# Deleting missing keys while amended counts misses and can promote.
	run_case syncmap --script "store 1; delete 5; delete 6; store 2; delete 7; delete 8; delete 9; store 3; range; delete 3; delete 3; loadanddelete 3"
	# An empty map.
	run_case syncmap --script "range; load 1; delete 1; loadanddelete 1; range; store 0; range"
	# A key deleted from dirty only, then stored again.
	run_case syncmap --script "store 1; range; store 2; delete 2; load 2; store 2; load 2; range; loadorstore 2; delete 1; store 3; loadorstore 1"
	# Larger: 64 keys, promotion after 64 misses, then a new dirty copy.
	s=$(awk 'BEGIN { for (i = 0; i < 64; i++) printf "store %d; ", i
		for (i = 0; i < 64; i++) printf "load %d; ", 1000 + i
		for (i = 0; i < 64; i += 2) printf "delete %d; ", i
		printf "store 64; "
		for (i = 0; i < 40; i++) printf "load %d; ", 2000 + i
		printf "range" }')
	run_case syncmap --script "$s"
}

group_allocs() {
	for c in $("$GP" list-cases); do
		run_case allocs --case "$c"
	done
}

# Not a diff: the Go side's own checks (see tests/go/probe/probe_test.go).
group_goprobe_selftest() {
	ncases=1 # one "case": gofmt, go vet and go test of the module
	unformatted=$(cd "$GOPROBE_SRC" && gofmt -l .)
	if ! out=$(cd "$GOPROBE_SRC" && go vet . 2>&1 && go test -count=1 . 2>&1) || [ -n "$unformatted" ]; then
		out="$out${unformatted:+
not gofmt-formatted: $unformatted}"
		nfail=1
		echo "$out" | sed 's/^/  /'
	fi
}
