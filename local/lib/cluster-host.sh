# What the local node changes on the machine, recorded before up changes it and undone by down:
# kernel settings, iptables chains, the CNI bridge, mounts, cgroups and the few fixed paths the
# kubelet and containerd use whatever they are told. Sourced after cluster.sh, never run.

CLUSTER_HOST_DIR="$CLUSTER_DIR/host"

# Set here: forwarding and bridged traffic through iptables, which Services need. Set by the kubelet
# itself (its defaults for a node's kernel): the overcommit, panic and key settings.
CLUSTER_SYSCTLS_SET=(
  net.ipv4.ip_forward=1
  net.bridge.bridge-nf-call-iptables=1
  net.bridge.bridge-nf-call-ip6tables=1
)
CLUSTER_SYSCTLS_KUBELET=(
  vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops
  kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.ipv4.conf.all.route_localnet
)

# Paths outside .local that the kubelet, containerd and the CNI plugins create whatever they are
# told: the kubelet's device-plugin socket and its log links, containerd's shim sockets and FIFOs,
# the CNI plugins' result cache; network namespaces and Flexvolume drivers in case of a release
# that ignores the settings moving them.
CLUSTER_FIXED_PATHS=(/var/lib/kubelet /var/log/containers /var/lib/cni /run/containerd /var/run/netns /usr/libexec/kubernetes)

# Records the machine as it is before the first up since the last down: the values of every
# setting the node changes, which fixed paths already exist. A second up keeps the first record.
cluster_host_record() {
  mkdir -p "$CLUSTER_HOST_DIR"
  [[ -f $CLUSTER_HOST_DIR/sysctls ]] && return 0
  local setting key path
  for setting in "${CLUSTER_SYSCTLS_SET[@]}" "${CLUSTER_SYSCTLS_KUBELET[@]}"; do
    key=${setting%%=*}
    printf '%s=%s\n' "$key" "$(sysctl -n "$key" 2>/dev/null)"
  done >"$CLUSTER_HOST_DIR/sysctls.tmp"
  for path in "${CLUSTER_FIXED_PATHS[@]}"; do
    [[ -e $path ]] && echo "$path"
  done >"$CLUSTER_HOST_DIR/paths-before"
  iptables-save >"$CLUSTER_HOST_DIR/iptables-before" 2>/dev/null || true
  ip6tables-save >"$CLUSTER_HOST_DIR/ip6tables-before" 2>/dev/null || true
  mv "$CLUSTER_HOST_DIR/sysctls.tmp" "$CLUSTER_HOST_DIR/sysctls"
  say "recorded the machine's settings before the node changes them: $(tr '\n' ' ' <"$CLUSTER_HOST_DIR/sysctls")"
}

cluster_host_prepare() {
  cluster_host_record
  local setting
  for setting in "${CLUSTER_SYSCTLS_SET[@]}"; do
    sysctl -qw "$setting" || die "setting $setting failed"
  done
}

# Removes every KUBE-* and CNI-* chain, and the rules that jump to them, from each iptables table.
# The node's chains are the only ones of those names on this machine (the record taken before up
# shows any that were there already; down names them).
cluster_host_iptables_clean() {
  local family rules
  for family in iptables ip6tables; do
    command -v "$family-save" >/dev/null || continue
    # Saved first: `save | grep -q` would fail under pipefail once grep stops reading a long save.
    rules=$("$family-save" 2>/dev/null) || continue
    if grep -qE '(KUBE|CNI)-' <<<"$rules"; then
      grep -vE '(KUBE|CNI)-' <<<"$rules" | "$family-restore" ||
        say "warning: removing the node's $family chains failed; see $family-save"
    fi
    if grep -qE '(KUBE|CNI)-' "$CLUSTER_HOST_DIR/$family-before" 2>/dev/null; then
      say "note: $family had KUBE-/CNI- chains before the node's first up; they were removed too"
    fi
  done
}

# Unmounts everything mounted under the node's directories (volumes, rootfs, network namespaces),
# deepest first.
cluster_host_unmount() {
  local dir=$1 mount
  awk -v dir="$dir/" 'index($5, dir) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
    while read -r mount; do
      umount "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null || say "warning: could not unmount $mount"
    done
}

# Removes the kubepods cgroups the kubelet made in every hierarchy, leaves first.
cluster_host_cgroups_clean() {
  local root cgroup
  for root in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
    [[ -d $root/kubepods || -d $root/kubepods.slice ]] || continue
    find "$root"kubepods* -depth -type d 2>/dev/null | while read -r cgroup; do
      rmdir "$cgroup" 2>/dev/null || true
    done
  done
}

cluster_host_restore() {
  cluster_host_iptables_clean
  if ip link show "$MSA_CLUSTER_BRIDGE" >/dev/null 2>&1; then ip link delete "$MSA_CLUSTER_BRIDGE"; fi
  cluster_host_cgroups_clean
  if [[ -f $CLUSTER_HOST_DIR/paths-before ]]; then
    local path
    for path in "${CLUSTER_FIXED_PATHS[@]}"; do
      grep -qxF "$path" "$CLUSTER_HOST_DIR/paths-before" || rm -rf "$path"
    done
  fi
  if [[ -f $CLUSTER_HOST_DIR/sysctls ]]; then
    local key value
    while IFS='=' read -r key value; do
      if [[ -n $value ]]; then sysctl -qw "$key=$value" 2>/dev/null || say "warning: could not restore $key=$value"; fi
    done <"$CLUSTER_HOST_DIR/sysctls"
    say "restored $(tr '\n' ' ' <"$CLUSTER_HOST_DIR/sysctls")"
    rm -f "$CLUSTER_HOST_DIR/sysctls"
  fi
}
