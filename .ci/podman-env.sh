# Sourced by .ci/build-base-image and .ci/container-smoke: prepares podman on this machine.
# Needs root on a fresh CI machine (installs packages with apt-get).
#
# Facts about the CI machines (tested): crun fails with "cgroups in hybrid mode not supported",
# so runc is used; ulimits above the hard nofile limit fail with "setrlimit … Operation not
# permitted", so the defaults are pinned to the caller's hard limit.

ci_step() { printf '\n==> %s\n' "$*"; }
ci_note() { printf '    %s\n' "$*"; }
ci_fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

ci_install_packages() {
  local missing=()
  command -v podman >/dev/null 2>&1 || missing+=(podman)
  command -v runc >/dev/null 2>&1 || missing+=(runc)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  [ -r /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  ((${#missing[@]} == 0)) && return 0
  [ "$(id -u)" = 0 ] || ci_fail "missing ${missing[*]} and not root, cannot apt-get install them"
  ci_step "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || ci_fail 'apt-get update failed'
  # With recommends: that is the tested set (netavark, aardvark-dns, uidmap, fuse-overlayfs…).
  apt-get install -y -qq "${missing[@]}" >/dev/null || ci_fail "apt-get install ${missing[*]} failed"
}

ci_containers_conf() {
  local dir="${NEWSDESK_CI_DIR:-${TMPDIR:-/tmp}/newsdesk-ci}" hard
  mkdir -p "$dir"
  hard="$(ulimit -Hn)"
  [ "$hard" = unlimited ] && hard=1048576
  cat >"$dir/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=${hard}:${hard}", "nproc=4096:4096"]

[engine]
runtime = "runc"
EOF
  export CONTAINERS_CONF="$dir/containers.conf"
  export NEWSDESK_CI_DIR="$dir"
}

ci_install_packages
ci_containers_conf
