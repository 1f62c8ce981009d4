#!/usr/bin/env bash
# A real Kubernetes API server for the tests: etcd, kube-apiserver and kube-controller-manager on
# 127.0.0.1, on free ports, one independent cluster per directory.
#
#   real-apiserver.sh provision            install etcd and the build tools (apt), build the two
#                                          Kubernetes binaries once into the cache; prints the
#                                          cache directory
#   real-apiserver.sh start DIR [NAME]     start a cluster whose files (certificates, etcd data,
#                                          audit log, kubeconfig, pids) live in DIR; waits for
#                                          /readyz; writes DIR/cluster.env
#   real-apiserver.sh stop DIR             stop exactly the processes `start` started there
#   real-apiserver.sh stop-one DIR C       stop one component: etcd, apiserver, controller-manager
#   real-apiserver.sh start-one DIR C      start it again with the same ports and data
#
# Where the pieces come from: etcd from Debian's `etcd-server`; kube-apiserver and
# kube-controller-manager 1.20 are not packaged as binaries by any Debian suite, so they are built
# from Debian's `kubernetes` source package with Debian's Go. The binaries are cached outside the
# checkout (SECRETSYNC_KUBE_CACHE, default ~/.cache/secretsync-operator) under the source package's
# version, so a later run or another clone reuses them (a cold build takes about 5 minutes on 2
# cores, a warm start about 6 s). No host name is written here: the source entry apt needs is
# derived from the machine's own apt sources.
#
# Environment for `start`: APISERVER_EXTRA_ARGS (extra kube-apiserver flags, e.g.
# --watch-cache-sizes=secrets#5), AUDIT_USERS_GROUP (whose requests the audit log records; default
# every ServiceAccount: system:serviceaccounts), KCM_CONTROLLERS (kube-controller-manager's
# --controllers; the benchmark leaves out serviceaccount-token, whose token Secret per namespace
# clusters since 1.24 no longer create).
set -euo pipefail

CACHE_ROOT="${SECRETSYNC_KUBE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/secretsync-operator}"
SRC_LIST=/etc/apt/sources.list.d/secretsync-deb-src.sources

die() { echo "real-apiserver: $*" >&2; exit 1; }
log() { echo "real-apiserver: $*" >&2; }

need_apt() {
  command -v apt-get >/dev/null 2>&1 || die "this machine has no apt-get. A real API server needs
  etcd 3.4 (Debian package etcd-server), Go 1.19 (golang-go) and the Kubernetes 1.20 source
  (Debian source package kubernetes) to build kube-apiserver and kube-controller-manager; install
  them by other means or run on Debian/Ubuntu."
  [ "$(id -u)" = 0 ] || die "installing packages needs root (apt-get); run as root or install etcd-server, golang-go, golang-github-modern-go-reflect2-dev, openssl and dpkg-dev first"
}

apt_updated=false
apt_update_once() {
  if ! $apt_updated; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || die "apt-get update failed"
    apt_updated=true
  fi
}

install_packages() {
  local missing=()
  command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
  command -v go >/dev/null 2>&1 || [ -x /usr/lib/go/bin/go ] || missing+=(golang-go)
  [ -d /usr/share/gocode/src/github.com/modern-go/reflect2 ] || missing+=(golang-github-modern-go-reflect2-dev)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v dpkg-source >/dev/null 2>&1 || missing+=(dpkg-dev)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    need_apt
    apt_update_once
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
      || die "apt-get install ${missing[*]} failed"
  fi
}

# A deb-src twin of the machine's own deb822 sources (the original file is left alone).
ensure_deb_src() {
  [ -f "$SRC_LIST" ] && return 0
  local own
  own=$(ls /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v secretsync | head -n 1 || true)
  if [ -n "$own" ]; then
    sed 's/^Types:.*/Types: deb-src/' "$own" > "$SRC_LIST"
  elif [ -f /etc/apt/sources.list ] && grep -q '^deb ' /etc/apt/sources.list; then
    grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' > /etc/apt/sources.list.d/secretsync-deb-src.list
    touch "$SRC_LIST"
  else
    die "no apt source to derive a deb-src entry from (looked in /etc/apt/sources.list.d/*.sources and /etc/apt/sources.list)"
  fi
  apt_updated=false
  apt_update_once
}

source_version() {
  local v
  v=$(apt-cache showsrc kubernetes 2>/dev/null | awk '/^Version:/ {print $2}' | sort -V | tail -n 1)
  if [ -z "$v" ]; then
    apt_update_once
    v=$(apt-cache showsrc kubernetes 2>/dev/null | awk '/^Version:/ {print $2}' | sort -V | tail -n 1)
  fi
  [ -n "$v" ] || die "apt knows no source package 'kubernetes' (a deb-src entry for Debian bookworm is needed)"
  echo "$v"
}

# The upstream version inside Debian's version: 1.20.5+really1.20.2-1.1+deb12u1 -> 1.20.2
upstream_version() {
  local v="${1%-*}"
  v="${v##*really}"
  v="${v%%+*}"
  echo "$v"
}

build_binaries() {
  local version="$1" bin="$2"
  local work="$CACHE_ROOT/build-$version"
  rm -rf "$work"
  mkdir -p "$work/dl" "$work/gopath/src/k8s.io"
  log "downloading the source package kubernetes $version"
  (cd "$work/dl" && apt-get source --download-only "kubernetes=$version" >&2) || die "apt-get source kubernetes=$version failed"
  local dsc
  dsc=$(ls "$work"/dl/kubernetes_*.dsc | head -n 1)
  dpkg-source --no-check -x "$dsc" "$work/gopath/src/k8s.io/kubernetes" >&2 || die "dpkg-source -x failed"
  local tree="$work/gopath/src/k8s.io/kubernetes"
  [ -d "$tree/cmd/kube-apiserver" ] || die "the source package has no cmd/kube-apiserver (a stripped kubernetes source? bookworm's has it)"

  # Fix 1: the vendored reflect2 1.0.1 faults under Go 1.18+ (fatal error in mapiterinit on the
  # first custom resource); Debian's 1.0.2 does not.
  rm -rf "$tree/vendor/github.com/modern-go/reflect2"
  cp -r /usr/share/gocode/src/github.com/modern-go/reflect2 "$tree/vendor/github.com/modern-go/reflect2"

  export GOPATH="$work/gopath" GO111MODULE=off GOPROXY=off CGO_ENABLED=0 GOCACHE="$work/gocache"
  local go=go
  command -v go >/dev/null 2>&1 || go=/usr/lib/go/bin/go

  # Fix 2: upstream's make generates pkg/generated/openapi; the tarball lacks it. Same inputs as
  # upstream's Makefile: every package carrying a +k8s:openapi-gen= tag, staging ones by their
  # vendor/ path.
  log "generating pkg/generated/openapi"
  (cd "$tree" && $go build -o "$work/openapi-gen" ./vendor/k8s.io/kube-openapi/cmd/openapi-gen) >&2 || die "building openapi-gen failed"
  local pkgs
  pkgs=$(cd "$tree" && grep -rl --include='*.go' --exclude-dir=vendor --exclude-dir=third_party --exclude-dir=testdata \
      '+k8s:openapi-gen=' . 2>/dev/null | sed 's#^\./##' | grep -v 'code-generator/_examples' \
    | xargs -n1 dirname | LC_ALL=C sort -u \
    | sed -e 's#^staging/src/#k8s.io/kubernetes/vendor/#' -e 't' -e 's#^#k8s.io/kubernetes/#' | paste -sd, -)
  (cd "$tree" && "$work/openapi-gen" --logtostderr -i "$pkgs" -p k8s.io/kubernetes/pkg/generated/openapi \
    -O zz_generated.openapi -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt \
    -r "$work/openapi-violations.report" -o "$GOPATH/src") >&2 2>"$work/openapi-gen.log" || { tail -n 20 "$work/openapi-gen.log" >&2; die "openapi-gen failed"; }

  local major="${3%%.*}" rest="${3#*.}"
  local minor="${rest%%.*}"
  local now
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  local ld="-s -w"
  for pkg in k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version k8s.io/kubernetes/vendor/k8s.io/component-base/version; do
    ld="$ld -X $pkg.gitVersion=v$3 -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    ld="$ld -X $pkg.gitCommit=debian-$version -X $pkg.gitTreeState=clean -X $pkg.buildDate=$now"
  done
  mkdir -p "$bin.tmp"
  for cmd in kube-apiserver kube-controller-manager; do
    log "building $cmd (the first build takes a few minutes)"
    (cd "$tree" && GOMAXPROCS=2 $go build -tags providerless -trimpath -ldflags "$ld" -o "$bin.tmp/$cmd" "./cmd/$cmd") >&2 \
      || die "building $cmd failed"
  done
  rm -rf "$bin"
  mv "$bin.tmp" "$bin"
  rm -rf "$work"
}

provision() {
  local started=$SECONDS
  install_packages
  local bin_root
  local version
  # The cache is keyed by the source package's version; when apt can already tell it (a deb-src
  # entry and lists from an earlier run) nothing is fetched.
  if [ -f "$SRC_LIST" ] && version=$(apt-cache showsrc kubernetes 2>/dev/null | awk '/^Version:/ {print $2}' | sort -V | tail -n 1) && [ -n "$version" ] \
     && [ -x "$CACHE_ROOT/kube-$version/kube-apiserver" ] && [ -x "$CACHE_ROOT/kube-$version/kube-controller-manager" ]; then
    echo "$CACHE_ROOT/kube-$version"
    return 0
  fi
  need_apt
  ensure_deb_src
  version=$(source_version)
  bin_root="$CACHE_ROOT/kube-$version"
  if [ ! -x "$bin_root/kube-apiserver" ] || [ ! -x "$bin_root/kube-controller-manager" ]; then
    build_binaries "$version" "$bin_root" "$(upstream_version "$version")"
    log "built in $((SECONDS - started)) s: $bin_root"
  fi
  echo "$bin_root"
}

free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( (RANDOM * 32768 + RANDOM) % 30000 + 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      if ! grep -qs "^$p$" "${USED_PORTS:-/dev/null}"; then echo "$p"; return 0; fi
    fi
  done
  die "no free port found"
}

make_certs() {
  local d="$1"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=secretsync-test-ca" \
    -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
    -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' > "$d/server.ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 30 -extfile "$d/server.ext" -out "$d/server.crt" 2>/dev/null
  openssl genrsa -out "$d/sa.key" 2048 2>/dev/null
  openssl rsa -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_component() {
  local dir="$1" c="$2"
  # shellcheck disable=SC1091
  . "$dir/cluster.env"
  pid_alive "$dir/$c.pid" && die "$c of $dir is already running"
  case "$c" in
    etcd)
      setsid etcd --name default --data-dir "$dir/etcd" \
        --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
        --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
        --initial-cluster "default=http://127.0.0.1:$ETCD_PEER_PORT" \
        >"$dir/etcd.log" 2>&1 </dev/null &
      echo $! > "$dir/etcd.pid"
      for _ in $(seq 1 300); do
        curl -sf "http://127.0.0.1:$ETCD_PORT/health" >/dev/null 2>&1 && return 0
        pid_alive "$dir/etcd.pid" || { tail -n 20 "$dir/etcd.log" >&2; die "etcd exited"; }
        sleep 0.1
      done
      die "etcd not healthy after 30 s (log: $dir/etcd.log)";;
    apiserver)
      # shellcheck disable=SC2086
      setsid "$BIN/kube-apiserver" --bind-address=127.0.0.1 --advertise-address=127.0.0.1 \
        --secure-port="$API_PORT" --insecure-port=0 --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
        --tls-cert-file="$dir/server.crt" --tls-private-key-file="$dir/server.key" \
        --client-ca-file="$dir/ca.crt" --token-auth-file="$dir/tokens.csv" \
        --authorization-mode=RBAC --anonymous-auth=false \
        --service-account-key-file="$dir/sa.pub" --service-account-signing-key-file="$dir/sa.key" \
        --service-account-issuer=https://kubernetes.default.svc --api-audiences=https://kubernetes.default.svc \
        --service-cluster-ip-range=10.0.0.0/24 \
        --audit-policy-file="$dir/audit-policy.yaml" --audit-log-path="$dir/audit.log" --audit-log-format=json \
        --audit-log-mode=blocking \
        --enable-priority-and-fairness=false --max-requests-inflight=800 --max-mutating-requests-inflight=400 \
        ${APISERVER_EXTRA_ARGS:-} \
        >"$dir/apiserver.log" 2>&1 </dev/null &
      echo $! > "$dir/apiserver.pid"
      for _ in $(seq 1 600); do
        curl -sf --cacert "$dir/ca.crt" -H "Authorization: Bearer $ADMIN_TOKEN" "https://127.0.0.1:$API_PORT/readyz" >/dev/null 2>&1 && return 0
        pid_alive "$dir/apiserver.pid" || { tail -n 30 "$dir/apiserver.log" >&2; die "kube-apiserver exited"; }
        sleep 0.1
      done
      die "kube-apiserver not ready after 60 s (log: $dir/apiserver.log)";;
    controller-manager)
      # The controllers a cluster without nodes needs: namespace deletion, garbage collection, the
      # `default` ServiceAccount and (as on any 1.20 cluster) its token Secret.
      setsid "$BIN/kube-controller-manager" --kubeconfig="$dir/admin.kubeconfig" \
        --controllers="${KCM_CONTROLLERS:-namespace,garbagecollector,serviceaccount,serviceaccount-token}" \
        --service-account-private-key-file="$dir/sa.key" --root-ca-file="$dir/ca.crt" \
        --leader-elect=false --port=0 --secure-port=0 --concurrent-namespace-syncs=5 \
        >"$dir/controller-manager.log" 2>&1 </dev/null &
      echo $! > "$dir/controller-manager.pid"
      sleep 0.2
      pid_alive "$dir/controller-manager.pid" || { tail -n 20 "$dir/controller-manager.log" >&2; die "kube-controller-manager exited"; };;
    *) die "unknown component $c (etcd, apiserver, controller-manager)";;
  esac
}

stop_component() {
  local dir="$1" c="$2" pid
  [ -f "$dir/$c.pid" ] || return 0
  pid=$(cat "$dir/$c.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    # Test infrastructure, not the operator: a server that ignores SIGTERM for 15 s is killed.
    kill -0 "$pid" 2>/dev/null && { log "$c ($pid) ignored SIGTERM for 15 s; killing it"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  rm -f "$dir/$c.pid"
}

write_cluster_files() {
  local dir="$1" name="$2" bin="$3" token="$4"
  local USED_PORTS="$dir/ports"
  : > "$USED_PORTS"
  local etcd_port etcd_peer api_port
  etcd_port=$(free_port); echo "$etcd_port" >> "$USED_PORTS"
  etcd_peer=$(free_port); echo "$etcd_peer" >> "$USED_PORTS"
  api_port=$(free_port); echo "$api_port" >> "$USED_PORTS"
  cat > "$dir/cluster.env" <<EOF
CLUSTER_NAME=$name
BIN=$bin
ETCD_PORT=$etcd_port
ETCD_PEER_PORT=$etcd_peer
API_PORT=$api_port
API_URL=https://127.0.0.1:$api_port
ADMIN_TOKEN=$token
CA_FILE=$dir/ca.crt
ADMIN_KUBECONFIG=$dir/admin.kubeconfig
AUDIT_LOG=$dir/audit.log
APISERVER_EXTRA_ARGS="${APISERVER_EXTRA_ARGS:-}"
EOF
  cat > "$dir/admin.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: $name
    cluster:
      server: https://127.0.0.1:$api_port
      certificate-authority-data: $(base64 -w0 < "$dir/ca.crt")
users:
  - name: admin
    user:
      token: $token
contexts:
  - name: $name
    context: {cluster: $name, user: admin}
current-context: $name
EOF
  chmod 600 "$dir/admin.kubeconfig"
}

start_cluster() {
  local dir="$1" name="${2:-kubernetes}" started=$SECONDS bin
  bin=$(provision)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ -f "$dir/cluster.env" ] && pid_alive "$dir/apiserver.pid" && die "a cluster is already running in $dir"
  rm -rf "$dir/etcd"
  make_certs "$dir"
  local token
  token=$(openssl rand -hex 24)
  echo "$token,admin,admin,\"system:masters\"" > "$dir/tokens.csv"
  chmod 600 "$dir/tokens.csv"
  cat > "$dir/audit-policy.yaml" <<EOF
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    userGroups: ["${AUDIT_USERS_GROUP:-system:serviceaccounts}"]
  - level: None
EOF
  # Ports are chosen free, but another process may take one before etcd or kube-apiserver binds
  # it (several clusters start at once in the tests): then new ports are chosen, up to 5 times.
  local attempt
  for attempt in 1 2 3 4 5; do
    write_cluster_files "$dir" "$name" "$bin" "$token"
    if (start_component "$dir" etcd) && (start_component "$dir" apiserver); then
      break
    fi
    stop_component "$dir" apiserver
    stop_component "$dir" etcd
    if ! grep -qs "address already in use" "$dir/etcd.log" "$dir/apiserver.log" || [ "$attempt" = 5 ]; then
      die "cluster $name did not start (logs in $dir)"
    fi
    log "a port was taken meanwhile; choosing others"
    rm -rf "$dir/etcd"
  done
  start_component "$dir" controller-manager
  log "cluster $name ready at $(. "$dir/cluster.env"; echo "$API_URL") in $((SECONDS - started)) s (files in $dir)"
}

stop_cluster() {
  local dir="$1"
  for c in controller-manager apiserver etcd; do stop_component "$dir" "$c"; done
}

case "${1:-}" in
  provision) provision ;;
  start) [ -n "${2:-}" ] || die "usage: $0 start DIR [NAME]"; start_cluster "$2" "${3:-}" ;;
  stop) [ -n "${2:-}" ] || die "usage: $0 stop DIR"; stop_cluster "$2" ;;
  stop-one) [ -n "${3:-}" ] || die "usage: $0 stop-one DIR COMPONENT"; stop_component "$2" "$3" ;;
  start-one) [ -n "${3:-}" ] || die "usage: $0 start-one DIR COMPONENT"; start_component "$(cd "$2" && pwd)" "$3" ;;
  *) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
