# schemathesis, the OpenAPI fuzzer that the hostile-input specs run against every service's document
# (e2e/test/hostile/openapi-fuzz.e2e.spec.ts): a Python program from PyPI, installed at its pinned
# version into a virtualenv of the shared cache, once per version, on Debian's python3.
# Sourced after common.sh, never run.

# Pinned here, and overridable from the environment as config.env's values are.
SCHEMATHESIS_VERSION=${SCHEMATHESIS_VERSION:-4.32.5}
PYTHON3_DEBIAN_VERSION=${PYTHON3_DEBIAN_VERSION:-3.11.2-1+b1}

# Debian's interpreter, never one a version manager puts first on PATH: the virtualenv links to it.
SCHEMATHESIS_PYTHON=/usr/bin/python3

# A virtualenv's scripts name its own path, so it is built where it stays; the `installed` marker,
# written last, tells a finished one from one an interrupted install left, which is made anew. The
# lock keeps two checkouts from building the same version at once. The program is linked into
# .local/bin, where the specs look for it.
schemathesis_install() {
  local venv="$MSA_CACHE_DIR/schemathesis/$SCHEMATHESIS_VERSION" log="$MSA_LOG_DIR/schemathesis-install.log"
  mkdir -p "$(dirname "$venv")"
  (
    flock 9
    [[ -f $venv/installed ]] && exit 0
    if ! "$SCHEMATHESIS_PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
      say "installing python3 $PYTHON3_DEBIAN_VERSION and its venv module from Debian's packages"
      apt_install "python3=$PYTHON3_DEBIAN_VERSION" "python3-venv=$PYTHON3_DEBIAN_VERSION"
    fi
    say "installing schemathesis $SCHEMATHESIS_VERSION from PyPI (first run only)"
    rm -rf "$venv"
    { "$SCHEMATHESIS_PYTHON" -m venv "$venv" &&
      "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"; } >>"$log" 2>&1 ||
      { rm -rf "$venv"; die "installing schemathesis $SCHEMATHESIS_VERSION failed; read $log"; }
    [[ $("$venv/bin/schemathesis" --version) == *" $SCHEMATHESIS_VERSION" ]] ||
      { rm -rf "$venv"; die "schemathesis in $venv is not version $SCHEMATHESIS_VERSION"; }
    touch "$venv/installed"
  ) 9>"$(dirname "$venv")/.lock" || exit 1
  ln -sfn "$venv/bin/schemathesis" "$MSA_BIN_DIR/schemathesis"
}
