# Sourced by the ensure_*.sh scripts: `apt_install NAME PACKAGE…` installs Debian packages as root, or
# through passwordless sudo; otherwise it stops with the command to run by hand (NAME prefixes messages).
apt_install() {
    local name="$1"
    shift
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            echo "$name: thiếu gói và không phải root; hãy chạy: sudo apt-get install -y $*" >&2
            exit 1
        fi
    fi
    echo "$name: cài gói Debian $* ..."
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
