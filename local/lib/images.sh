# Container images of the platform, built here without Docker or a registry: a Debian base rootfs
# from mmdebstrap, Node.js on it, the one service image (images/service/Dockerfile) for the six
# services and the operator, and the in-cluster servers (images/<server>/Dockerfile), each built by
# buildah. Sourced by local/images after common.sh, servers.sh and tools.sh, whose install
# functions build the binaries and jars the server images pack.
#
# Every image is tagged by a hash of what it is made of: its Dockerfile, its build arguments (the
# base image's tag among them) and the files of its build context. An image whose tag already
# exists, with its archive, is not built again. Each build writes .local/images/<name>-<tag>.oci.tar
# (what containerd imports) and records the name in .local/images/tags.json.

IMAGES_DIR="$MSA_STATE_DIR/images"
IMAGES_TAGS_FILE="$IMAGES_DIR/tags.json"
IMAGES_LOG="$MSA_LOG_DIR/images.log"
IMAGE_REPOSITORY=localhost/msa

# The base rootfs: Debian bookworm's minbase variant from the mirror apt uses here, with the
# security and update suites so that packages installed on it are current. Documentation, man
# pages and translations are left out as Debian's own container images do.
IMAGES_DEBIAN_MIRROR=${IMAGES_DEBIAN_MIRROR:-http://deb.debian.org/debian}
IMAGES_DEBIAN_SECURITY_MIRROR=${IMAGES_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
IMAGES_BASE_OPTIONS=(
  --variant=minbase --include=ca-certificates
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias'
)
IMAGES_BASE_SOURCES=(
  "deb $IMAGES_DEBIAN_MIRROR bookworm main" "deb $IMAGES_DEBIAN_MIRROR bookworm-updates main"
  "deb $IMAGES_DEBIAN_SECURITY_MIRROR bookworm-security main"
)
# npm for the service image's build stage on the local base, as the registry serves it.
IMAGES_NPM_VERSION=${IMAGES_NPM_VERSION:-11.19.1}
IMAGES_NPM_INTEGRITY=${IMAGES_NPM_INTEGRITY:-sha512-ztsxKxt/kkIaAs+2i0GU6I+DRmUdrNasxTZKJe9TCdSjKxlhah/4r/hl5ygMD6XAg1qZ9c2TNomR4qgOydp10g==}

# Programs built from images/service/Dockerfile: workspace folder and port.
declare -A IMAGE_WORKSPACES=(
  [user]=services/user [product]=services/product [order]=services/order [payment]=services/payment
  [inventory]=services/inventory [notification]=services/notification [operator]=operator
)
declare -A IMAGE_PORTS=(
  [user]=8081 [product]=8082 [order]=8083 [payment]=8084 [inventory]=8085 [notification]=8086 [operator]=8080
)
IMAGE_PROGRAMS=(user product order payment inventory notification operator)
IMAGE_SERVERS=(postgres redis ferretdb kafka mailpit prometheus)
# The programs' sources come from the working tree (tracked and new files that git does not
# ignore), or from a commit when this names one (IMAGES_FROM_COMMIT=HEAD builds what is committed).
IMAGES_FROM_COMMIT=${IMAGES_FROM_COMMIT:-}

images_buildah() { buildah "$@" >>"$IMAGES_LOG" 2>&1; }

images_require() {
  local missing=()
  command -v buildah >/dev/null || missing+=(buildah)
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
  command -v runc >/dev/null || missing+=(runc)
  ((${#missing[@]} == 0)) || apt_install "${missing[@]}"
}

# image_exists NAME TAG: the image is in buildah's storage and its archive is on disk.
image_exists() {
  [[ -f $IMAGES_DIR/$1-$2.oci.tar ]] && buildah inspect --type image "$IMAGE_REPOSITORY/$1:$2" >/dev/null 2>&1
}

# context_hash DIR: one hash over the relative paths, modes and contents of the files under DIR.
context_hash() {
  (cd "$1" && find . \( -type f -o -type l \) -printf '%p %m %l\n' | LC_ALL=C sort &&
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) | sha256sum | cut -c1-16
}

# tag_of WORDS...: a 16-hex-digit tag from the given strings (hashes, versions, arguments).
tag_of() { printf '%s\n' "$@" | sha256sum | cut -c1-16; }

# image_record NAME TAG: notes NAME's current tag in tags.json and drops its older archives.
image_record() {
  local name=$1 tag=$2 archive
  for archive in "$IMAGES_DIR/$name"-*.oci.tar; do
    [[ -e $archive && $archive != "$IMAGES_DIR/$name-$tag.oci.tar" ]] || continue
    [[ $(basename "$archive" .oci.tar) =~ ^$name-[0-9a-f]{16}$ ]] && rm -f "$archive"
  done
  node -e '
    const fs = require("fs");
    const [file, name, reference] = process.argv.slice(1);
    const tags = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
    tags[name] = reference;
    const sorted = Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)));
    fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(sorted, null, 2)}\n`);
    fs.renameSync(`${file}.tmp`, file);
  ' "$IMAGES_TAGS_FILE" "$name" "$IMAGE_REPOSITORY/$name:$tag"
}

# image_archive NAME TAG: writes the OCI archive containerd imports, named after the image.
image_archive() {
  local name=$1 tag=$2 reference="$IMAGE_REPOSITORY/$1:$2"
  local archive="$IMAGES_DIR/$name-$tag.oci.tar"
  rm -f "$archive.tmp"
  images_buildah push --quiet "$reference" "oci-archive:$archive.tmp:$reference" ||
    die "$name: writing its OCI archive failed; read $IMAGES_LOG"
  mv -f "$archive.tmp" "$archive"
}

# image_bud NAME TAG CONTEXT DOCKERFILE BUILD-ARG...: builds the image with buildah, chroot
# isolation (the OCI isolation goes through crun, which cannot run here) and the local images only.
image_bud() {
  local name=$1 tag=$2 context=$3 dockerfile=$4
  shift 4
  local args=() arg
  for arg in "$@"; do args+=(--build-arg "$arg"); done
  # Where this machine reaches registries through a TLS-inspecting proxy, its CA bundle
  # (NODE_EXTRA_CA_CERTS) is mounted for the build's RUN steps only and named to Node by a build
  # argument of the build stage: no layer keeps it.
  if [[ -n ${NODE_EXTRA_CA_CERTS:-} && -f $NODE_EXTRA_CA_CERTS ]]; then
    args+=(--volume "$NODE_EXTRA_CA_CERTS:/run/build-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/build-ca.crt)
  fi
  say "building $IMAGE_REPOSITORY/$name:$tag"
  local began=$SECONDS
  images_buildah bud --isolation chroot --pull-never --layers --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
    -f "$dockerfile" "${args[@]}" -t "$IMAGE_REPOSITORY/$name:$tag" "$context" ||
    die "$name: the image build failed; read $IMAGES_LOG"
  image_archive "$name" "$tag"
  say "built $IMAGE_REPOSITORY/$name:$tag in $((SECONDS - began))s"
}

# Prints the tag of the base image it made or found. The tag comes from the recipe alone (what
# mmdebstrap is asked for), so the base is rebuilt only when that changes or when it is removed:
# Debian's updates reach it then, not on every build.
image_build_base() {
  local tag
  tag=$(tag_of bookworm "${IMAGES_BASE_OPTIONS[@]}" "${IMAGES_BASE_SOURCES[@]}")
  if ! image_exists base "$tag"; then
    say "building $IMAGE_REPOSITORY/base:$tag: Debian bookworm (minbase) from $IMAGES_DEBIAN_MIRROR" >&2
    local began=$SECONDS rootfs="$IMAGES_DIR/build/base-rootfs.tar"
    mkdir -p "$IMAGES_DIR/build"
    mmdebstrap "${IMAGES_BASE_OPTIONS[@]}" --format=tar bookworm "$rootfs" "${IMAGES_BASE_SOURCES[@]}" \
      >>"$IMAGES_LOG" 2>&1 ||
      die "base: mmdebstrap failed; read $IMAGES_LOG"
    local container
    container=$(buildah from scratch 2>>"$IMAGES_LOG") || die "base: buildah from scratch failed; read $IMAGES_LOG"
    images_buildah add --quiet "$container" "$rootfs" / &&
      images_buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        --env LANG=C.UTF-8 --cmd /bin/bash "$container" &&
      images_buildah commit --quiet --rm "$container" "$IMAGE_REPOSITORY/base:$tag" ||
      die "base: importing the rootfs into buildah failed; read $IMAGES_LOG"
    rm -f "$rootfs"
    image_archive base "$tag"
    say "built $IMAGE_REPOSITORY/base:$tag in $((SECONDS - began))s" >&2
  fi
  image_record base "$tag"
  printf '%s' "$tag"
}

# npm's package, checked against IMAGES_NPM_INTEGRITY, unpacked into DIR/npm.
image_npm_unpack() {
  local dir=$1 cache="$IMAGES_DIR/build/npm-$IMAGES_NPM_VERSION.tgz"
  if [[ ! -f $cache ]]; then
    (cd "$IMAGES_DIR/build" && npm pack --silent "npm@$IMAGES_NPM_VERSION") >>"$IMAGES_LOG" 2>&1 ||
      die "node-base: downloading npm@$IMAGES_NPM_VERSION failed; read $IMAGES_LOG"
  fi
  local expected actual
  expected=$(printf '%s' "${IMAGES_NPM_INTEGRITY#sha512-}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
  actual=$(sha512sum "$cache" | cut -d' ' -f1)
  [[ $actual == "$expected" ]] || { rm -f "$cache"; die "npm@$IMAGES_NPM_VERSION has sha512 $actual, not the pinned $expected"; }
  mkdir -p "$dir/npm"
  tar -xzf "$cache" -C "$dir/npm" --strip-components=1
}

# Prints the tag of node-base: the base plus the pinned Node.js and npm.
image_build_node_base() {
  local base_tag=$1 tag
  [[ -x $MSA_NODE_DIR/bin/node ]] || node_runtime_install
  tag=$(tag_of "$base_tag" "$NODEJS_VERSION" "$NODEJS_INTEGRITY" "$IMAGES_NPM_VERSION" \
    "$(sha256sum "$MSA_ROOT/images/node-base/Dockerfile" | cut -c1-64)")
  if ! image_exists node-base "$tag"; then
    local context="$IMAGES_DIR/build/node-base"
    rm -rf "$context" && mkdir -p "$context/node/bin"
    cp "$MSA_NODE_DIR/bin/node" "$context/node/bin/node"
    image_npm_unpack "$context"
    image_bud node-base "$tag" "$context" "$MSA_ROOT/images/node-base/Dockerfile" \
      "BASE_IMAGE=$IMAGE_REPOSITORY/base:$base_tag" >&2
    rm -rf "$context"
  fi
  image_record node-base "$tag"
  printf '%s' "$tag"
}

# The tree the programs' images are built from: the working tree, or a snapshot of
# IMAGES_FROM_COMMIT extracted once per run.
images_source() {
  if [[ -z $IMAGES_FROM_COMMIT ]]; then
    printf '%s' "$MSA_ROOT"
    return 0
  fi
  local snapshot="$IMAGES_DIR/build/source" commit
  commit=$(git -C "$MSA_ROOT" rev-parse --verify "$IMAGES_FROM_COMMIT^{commit}") || die "no commit $IMAGES_FROM_COMMIT"
  if [[ ! -f $snapshot/.commit || $(cat "$snapshot/.commit") != "$commit" ]]; then
    rm -rf "$snapshot" && mkdir -p "$snapshot"
    git -C "$MSA_ROOT" archive --format=tar "$commit" | tar -x -C "$snapshot" ||
      die "reading the sources of $IMAGES_FROM_COMMIT failed"
    printf '%s' "$commit" >"$snapshot/.commit"
  fi
  printf '%s' "$snapshot"
}

# image_build_program NAME NODE_BASE_TAG: the service image of a program, from a build context of
# exactly the files images/service/context.js names (from the working tree: tracked or new, not
# ignored by git).
image_build_program() {
  local name=$1 node_base_tag=$2 workspace=${IMAGE_WORKSPACES[$1]} port=${IMAGE_PORTS[$1]}
  local context="$IMAGES_DIR/build/context-$name" source paths
  source=$(images_source)
  mapfile -t paths < <(cd "$source" && node images/service/context.js "$workspace") ||
    die "$name: listing its build context failed"
  rm -rf "$context" && mkdir -p "$context"
  if [[ -n $IMAGES_FROM_COMMIT ]]; then
    (cd "$source" && cp -r --parents -t "$context" "${paths[@]}") || die "$name: copying its build context failed"
  else
    (cd "$MSA_ROOT" && git ls-files -z --cached --others --exclude-standard -- "${paths[@]}" |
      xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
      xargs -0 -r cp --parents -t "$context") || die "$name: copying its build context failed"
  fi
  cp "$MSA_ROOT/.dockerignore" "$context/.dockerignore"
  local tag
  tag=$(tag_of "$(context_hash "$context")" "$node_base_tag" "WORKSPACE=$workspace" "PORT=$port")
  if ! image_exists "$name" "$tag"; then
    image_bud "$name" "$tag" "$context" "$context/images/service/Dockerfile" \
      "BASE_IMAGE=$IMAGE_REPOSITORY/node-base:$node_base_tag" "WORKSPACE=$workspace" "PORT=$port"
  fi
  rm -rf "$context"
  image_record "$name" "$tag"
}

# Files a server's build context holds beside images/<server>/: the binaries and jars local/ builds.
# Prints nothing and fails when they are missing (prometheus is optional: it is built elsewhere).
image_server_inputs() {
  local name=$1 context=$2
  case $name in
    postgres | redis) ;;
    ferretdb) cp "$MSA_CACHE_BIN_DIR/ferretdb-$FERRETDB_VERSION" "$context/ferretdb" ;;
    mailpit) cp "$MSA_CACHE_BIN_DIR/mailpit-$MAILPIT_VERSION" "$context/mailpit" ;;
    kafka)
      cp -r "$MSA_CACHE_DIR/kafka-$KAFKA_VERSION/libs" "$context/libs"
      cp "$MSA_ROOT/local/kafka/log4j2.properties" "$context/log4j2.properties"
      ;;
    prometheus)
      [[ -n ${PROMETHEUS_MODULE_VERSION:-} && -x $MSA_CACHE_BIN_DIR/prometheus-$PROMETHEUS_MODULE_VERSION ]] || return 1
      cp "$MSA_CACHE_BIN_DIR/prometheus-$PROMETHEUS_MODULE_VERSION" "$context/prometheus"
      cp "$MSA_CACHE_BIN_DIR/promtool-$PROMETHEUS_MODULE_VERSION" "$context/promtool"
      ;;
    *) die "no server image named $name" ;;
  esac
}

# Build arguments of a server image beyond its base: the versions it installs.
image_server_args() {
  case $1 in
    postgres) printf '%s\n' "POSTGRES_MAJOR=$POSTGRES_MAJOR" ;;
    redis) printf '%s\n' "REDIS_DEBIAN_VERSION=$REDIS_DEBIAN_VERSION" ;;
    kafka) printf '%s\n' "KAFKA_VERSION=$KAFKA_VERSION" ;;
  esac
}

# The binaries a server image packs, built (or found in the cache) as local/up builds them.
# Prometheus is not built from here: its image is made once local/lib/prometheus.sh has built it.
image_server_install() {
  case $1 in
    ferretdb) ferretdb_install ;;
    mailpit) mailpit_install ;;
    kafka) kafka_install ;;
  esac
}

image_build_server() {
  local name=$1 base_tag=$2 context="$IMAGES_DIR/build/context-$1" args
  image_server_install "$name" || { say "$name: its binary is not built here; skipping its image"; return 0; }
  rm -rf "$context" && mkdir -p "$context"
  cp -r "$MSA_ROOT/images/$name/." "$context/"
  if ! image_server_inputs "$name" "$context"; then
    rm -rf "$context"
    say "$name: its binary is not built here; skipping its image"
    return 0
  fi
  mapfile -t args < <(image_server_args "$name")
  local tag
  tag=$(tag_of "$(context_hash "$context")" "$base_tag" "${args[@]}")
  if ! image_exists "$name" "$tag"; then
    image_bud "$name" "$tag" "$context" "$context/Dockerfile" "BASE_IMAGE=$IMAGE_REPOSITORY/base:$base_tag" "${args[@]}"
  fi
  rm -rf "$context"
  image_record "$name" "$tag"
}

# images_build [NAME...]: the named images (default: all), with the base images they stand on.
images_build() {
  local names=("$@") name base_tag node_base_tag=
  ((${#names[@]})) || names=("${IMAGE_PROGRAMS[@]}" "${IMAGE_SERVERS[@]}")
  for name in "${names[@]}"; do
    [[ -n ${IMAGE_WORKSPACES[$name]:-} || " ${IMAGE_SERVERS[*]} base node-base " == *" $name "* ]] ||
      die "no image named $name (programs: ${IMAGE_PROGRAMS[*]}; servers: ${IMAGE_SERVERS[*]}; base, node-base)"
  done
  images_require
  mkdir -p "$IMAGES_DIR/build"
  base_tag=$(image_build_base)
  for name in "${names[@]}"; do
    case $name in
      base) ;;
      node-base | user | product | order | payment | inventory | notification | operator)
        [[ -n $node_base_tag ]] || node_base_tag=$(image_build_node_base "$base_tag")
        [[ $name == node-base ]] || image_build_program "$name" "$node_base_tag"
        ;;
      *) image_build_server "$name" "$base_tag" ;;
    esac
  done
}

# images_import SOCKET [NAME...]: imports the archives of the images tags.json names (default: all)
# into the containerd listening on SOCKET, in its k8s.io namespace, skipping those it already has.
images_import() {
  local socket=$1 name reference
  shift
  [[ -S $socket ]] || die "no containerd socket at $socket"
  [[ -f $IMAGES_TAGS_FILE ]] || die "no images built yet ($IMAGES_TAGS_FILE is missing); run: local/images build"
  local names=("$@")
  ((${#names[@]})) || mapfile -t names < <(node -e 'console.log(Object.keys(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))).join("\n"))' "$IMAGES_TAGS_FILE")
  local present
  present=$(ctr -n k8s.io --address "$socket" images list -q) || die "listing the images of $socket failed"
  for name in "${names[@]}"; do
    reference=$(node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]]; if (r) process.stdout.write(r)' "$IMAGES_TAGS_FILE" "$name")
    [[ -n $reference ]] || die "$name is not in $IMAGES_TAGS_FILE; run: local/images build $name"
    grep -qxF "$reference" <<<"$present" && continue
    say "importing $reference"
    ctr -n k8s.io --address "$socket" images import "$IMAGES_DIR/$name-${reference##*:}.oci.tar" >>"$IMAGES_LOG" 2>&1 ||
      die "$name: importing into $socket failed; read $IMAGES_LOG"
  done
}
