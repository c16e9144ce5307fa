# Sourced by run_diff.sh and ../data/gen_roundupsize.sh (POSIX sh).
# goprobe_build OUT: build tests/go/probe into OUT unless OUT is newer than
# every source file. Works offline and as root in CI: no module downloads
# (the module has no dependencies; GOPROXY=off), no VCS stamping, and a build
# cache next to OUT when the environment provides none.

GOPROBE_SRC=$(cd "$(dirname "$0")/.." && pwd)/go/probe

goprobe_env() {
	if [ -z "${GOCACHE:-}" ] && [ -z "${HOME:-}" ] && [ -z "${XDG_CACHE_HOME:-}" ]; then
		GOCACHE=$1/go-cache
		export GOCACHE
	fi
	if [ -z "${GOPATH:-}" ] && [ -z "${HOME:-}" ]; then
		GOPATH=$1/go-path
		export GOPATH
	fi
	GOPROXY=off GOFLAGS=-buildvcs=false GO111MODULE=on GOWORK=off
	export GOPROXY GOFLAGS GO111MODULE GOWORK
}

goprobe_build() {
	out=$1
	dir=$(dirname "$out")
	mkdir -p "$dir" || return 1
	dir=$(cd "$dir" && pwd)
	out=$dir/$(basename "$out")
	goprobe_env "$dir"
	if [ -x "$out" ] && [ -z "$(find "$GOPROBE_SRC" -type f -newer "$out" | head -n 1)" ]; then
		echo "$out"
		return 0
	fi
	if ! command -v go >/dev/null 2>&1; then
		echo "goprobe: 'go' not found; install golang-go (Go 1.19)" >&2
		return 1
	fi
	case $(go version) in
	*" go1.19"*) ;;
	*) echo "goprobe: needs Go 1.19 (the runtime it measures), found: $(go version)" >&2; return 1 ;;
	esac
	# Build beside OUT and rename, so parallel ctest groups never see half a file.
	(cd "$GOPROBE_SRC" && go build -o "$out.tmp.$$" .) || return 1
	mv -f "$out.tmp.$$" "$out" && echo "$out"
}
