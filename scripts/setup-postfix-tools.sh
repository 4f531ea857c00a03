#!/usr/bin/env bash
# Gets Postfix's smtp-source and smtp-sink (load generator and sink, used by test/wire/serve.test.ts
# and scripts/bench-wire.ts) without installing a mail service: downloads the postfix .deb and
# unpacks it into .tools/postfix. Idempotent: does nothing when the tools are already there.
# The binaries need Postfix's own shared libraries (usr/lib/postfix), so the script writes wrappers
# in .tools/postfix/bin that set LD_LIBRARY_PATH; it prints that folder on its last line.
# Needs apt (Debian/Ubuntu); runs `apt-get update` once if the package lists are empty.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/.tools/postfix"
sbin="$dest/usr/sbin"
bin="$dest/bin"

wrappers() {
  mkdir -p "$bin"
  for tool in smtp-source smtp-sink; do
    cat >"$bin/$tool" <<WRAP
#!/bin/sh
LD_LIBRARY_PATH="$dest/usr/lib/postfix\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$sbin/$tool" "\$@"
WRAP
    chmod +x "$bin/$tool"
  done
}

if [[ -x "$sbin/smtp-source" && -x "$sbin/smtp-sink" ]]; then
  [[ -x "$bin/smtp-source" && -x "$bin/smtp-sink" ]] || wrappers
  echo "$bin"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-postfix-tools: apt-get not found: cannot download the postfix package (install smtp-source/smtp-sink by hand into $sbin)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get download postfix >/dev/null 2>"$work/err"; then
  # empty or stale package lists: refresh once, then retry
  apt-get update -qq >/dev/null 2>&1 || true
  if ! apt-get download postfix >/dev/null 2>"$work/err"; then
    echo "setup-postfix-tools: 'apt-get download postfix' failed:" >&2
    cat "$work/err" >&2
    exit 1
  fi
fi
mkdir -p "$dest"
dpkg -x postfix_*.deb "$dest"
if [[ ! -x "$sbin/smtp-source" || ! -x "$sbin/smtp-sink" ]]; then
  echo "setup-postfix-tools: the postfix package holds no smtp-source/smtp-sink in usr/sbin" >&2
  exit 1
fi
wrappers
echo "$bin"
