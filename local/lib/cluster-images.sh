# The node's own two images, each a single static binary in one layer: the pod sandbox (pause)
# and the cluster DNS (CoreDNS). Built with buildah in a store of the node's own, kept as OCI
# archives in the cache (one per binary version), imported into the node's containerd. The
# platform's images are local/images's. Sourced after cluster.sh, never run.

CLUSTER_IMAGE_CACHE="$MSA_CACHE_DIR/images"
CLUSTER_BUILDAH=(buildah --root "$CLUSTER_DIR/buildah/root" --runroot "$CLUSTER_DIR/buildah/run" --storage-driver vfs)

# cluster_image_archive NAME TAG BINARY [ARG...]: the OCI archive of localhost/msa/NAME:TAG holding
# BINARY as /NAME, run as user 65532 with ARGs; built once.
cluster_image_archive() {
  local name=$1 tag=$2 binary=$3
  shift 3
  local archive="$CLUSTER_IMAGE_CACHE/$name-$tag.oci.tar" image="localhost/msa/$name:$tag" container entrypoint
  if [[ ! -f $archive ]]; then
    say "building the image $image" >&2
    mkdir -p "$CLUSTER_IMAGE_CACHE"
    entrypoint=$(printf '"%s",' "/$name" "$@")
    {
      container=$("${CLUSTER_BUILDAH[@]}" from scratch) &&
        "${CLUSTER_BUILDAH[@]}" copy --chmod 0755 "$container" "$(readlink -f "$binary")" "/$name" &&
        "${CLUSTER_BUILDAH[@]}" config --entrypoint "[${entrypoint%,}]" --user 65532:65532 \
          --label "org.opencontainers.image.version=$tag" "$container" &&
        "${CLUSTER_BUILDAH[@]}" commit --rm "$container" "$image" &&
        "${CLUSTER_BUILDAH[@]}" push "$image" "oci-archive:$archive.$$.tmp:$image" &&
        mv -f "$archive.$$.tmp" "$archive"
    } >>"$MSA_LOG_DIR/cluster-images.log" 2>&1 ||
      { rm -f "$archive.$$.tmp"; die "building $image failed; read $MSA_LOG_DIR/cluster-images.log"; }
  fi
  echo "$archive"
}

# cluster_image_import IMAGE ARCHIVE: imports ARCHIVE into the node's containerd unless IMAGE is there.
cluster_image_import() {
  local image=$1 archive=$2 present
  present=$(cluster_ctr images ls -q "name==$image" 2>/dev/null) || present=
  if ! grep -qxF "$image" <<<"$present"; then
    cluster_ctr images import "$archive" >>"$MSA_LOG_DIR/cluster-images.log" 2>&1 ||
      die "importing $image into the node's containerd failed; read $MSA_LOG_DIR/cluster-images.log"
  fi
}

cluster_images_install() {
  local pause_version coredns pause
  pause_version=$(cluster_pause_version)
  pause=$(cluster_image_archive pause "$pause_version" "$MSA_BIN_DIR/pause")
  coredns=$(cluster_image_archive coredns "$COREDNS_VERSION" "$MSA_BIN_DIR/coredns")
  cluster_image_import "localhost/msa/pause:$pause_version" "$pause"
  cluster_image_import "$COREDNS_IMAGE" "$coredns"
}
