# Shared by the scripts that test a live `polgraph serve` on loopback
# (schemathesis.sh, browser-tests.sh): a free port, starting a server and
# waiting until it is ready, stopping it. Source it; it sets $server.

server=""

# free_port prints a TCP port nobody listens on now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server BINARY PORT LOG SERVE-ARGS... starts `BINARY serve` on
# 127.0.0.1:PORT with its output in LOG and waits up to a minute for
# /readyz; on failure it prints the log and returns 1.
start_server() {
	local bin=$1 port=$2 log=$3
	shift 3
	"$bin" serve --addr "127.0.0.1:$port" "$@" >"$log" 2>&1 &
	server=$!
	for _ in $(seq 1 120); do
		curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null && return 0
		kill -0 "$server" 2>/dev/null || { cat "$log" >&2; echo "polgraph serve $* exited" >&2; return 1; }
		sleep 0.5
	done
	cat "$log" >&2
	echo "polgraph serve $* is not ready after a minute" >&2
	return 1
}

# stop_server stops the server start_server started, if it runs.
stop_server() {
	if [[ -n "$server" ]]; then
		kill "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
		server=""
	fi
}
