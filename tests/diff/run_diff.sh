#!/bin/sh
# shellcheck disable=SC2317,SC2086 # run_case is called from cases.sh; numbers unquoted
# Differential tests: gomemviz's model against the real Go 1.19 runtime.
#
# usage: run_diff.sh GOMEMVIZ_BINARY [GROUP...]    (default: all groups)
#        run_diff.sh --groups                       (list the groups)
#
# Every case runs as `GOMEMVIZ_BINARY probe ARGS` and as `goprobe ARGS`
# (tests/go/probe, built once into $GOPROBE, default: next to the binary);
# `goprobe compare` then checks, line by line, every key the Go line has
# (the C side may print more keys). Exit 0 if every case matches, 1 if not,
# 2 on bad usage or if goprobe cannot be built.
set -u
GROUPS_ALL="sizeclass slice-append slice-bulk map-layout map-hint map-insert syncmap allocs goprobe-selftest"

if [ "${1:-}" = "--groups" ]; then
	echo "$GROUPS_ALL" | tr ' ' '\n'
	exit 0
fi
if [ $# -lt 1 ]; then
	echo "usage: run_diff.sh GOMEMVIZ_BINARY [GROUP...]  (groups: $GROUPS_ALL)" >&2
	exit 2
fi
BIN=$1
shift
if [ ! -x "$BIN" ] && [ "$*" != goprobe-selftest ]; then
	echo "run_diff.sh: $BIN is not an executable gomemviz binary" >&2
	exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/goenv.sh"
if [ -x "$BIN" ]; then
	default_gp=$(dirname "$BIN")/goprobe
else
	default_gp=${TMPDIR:-/tmp}/gomemviz-goprobe/goprobe
fi
GP=$(goprobe_build "${GOPROBE:-$default_gp}") || exit 2
goprobe_env "$(dirname "$GP")" # the build ran in a subshell; goprobe-selftest needs the env too
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gomemviz-diff.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT INT TERM
MAX_SHOWN=5 # failing cases shown per group

. "$HERE/cases.sh"

# short TEXT: TEXT cut to 120 characters (sizeclass has 32800 arguments).
short() {
	if [ ${#1} -le 120 ]; then
		printf '%s' "$1"
	else
		printf '%s ...' "$(printf '%s' "$1" | cut -c 1-120)"
	fi
}

# run_case ARGS...: one case through both sides; updates the counters.
# If the C side fails on the first case of a group, the group stops there:
# most likely the probe is not implemented yet.
run_case() {
	[ $abort -eq 1 ] && return
	ncases=$((ncases + 1))
	if ! "$GP" "$@" >"$WORK/go" 2>"$WORK/go.err"; then
		nfail=$((nfail + 1))
		echo "  goprobe $(short "$*"): failed: $(head -n 1 "$WORK/go.err")"
		return
	fi
	"$BIN" probe "$@" >"$WORK/c" 2>"$WORK/c.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		nfail=$((nfail + 1))
		[ $nfail -le $MAX_SHOWN ] &&
			echo "  $(basename "$BIN") probe $(short "$*"): exit status $rc: $(head -n 1 "$WORK/c.err")"
		if [ $ncases -eq 1 ]; then
			echo "  (the C binary does not run 'probe $group' yet; group stopped)"
			abort=1
		fi
		return
	fi
	if ! "$GP" compare "$WORK/go" "$WORK/c" >"$WORK/diff"; then
		nfail=$((nfail + 1))
		if [ $nfail -le $MAX_SHOWN ]; then
			echo "  MISMATCH probe $(short "$*")"
			cat "$WORK/diff"
		fi
	fi
}

# run_group NAME: runs the group's cases (group_NAME in cases.sh), reports.
run_group() {
	group=$1 ncases=0 nfail=0 abort=0
	"group_$(echo "$group" | tr - _)"
	if [ $nfail -gt $MAX_SHOWN ]; then
		echo "  ... and more: $nfail failing cases in all"
	fi
	if [ $abort -eq 1 ]; then
		echo "FAIL $group: the C probe failed to run"
	elif [ $nfail -eq 0 ]; then
		if [ "$group" = goprobe-selftest ]; then
			echo "ok   $group: gofmt, go vet and go test pass"
		else
			echo "ok   $group: $ncases probe runs match Go 1.19"
		fi
		return 0
	elif [ "$group" = goprobe-selftest ]; then
		echo "FAIL $group: the Go side's own checks failed"
	else
		echo "FAIL $group: $nfail of $ncases probe runs differ from Go 1.19"
	fi
	return 1
}

[ $# -eq 0 ] && set -- $GROUPS_ALL
status=0
for g in "$@"; do
	case " $GROUPS_ALL " in
	*" $g "*) run_group "$g" || status=1 ;;
	*) echo "run_diff.sh: unknown group '$g' (groups: $GROUPS_ALL)" >&2; exit 2 ;;
	esac
done
exit $status
