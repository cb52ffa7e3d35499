#!/usr/bin/env bash
# Installs factop under a prefix: the binary, shell completions, a man page generated from the
# commands' own help, and the systemd unit for `factop poll`.
#
#   scripts/install.sh [--prefix DIR] [--debug]
#
# DIR defaults to ~/.local (then ~/.local/bin must be on PATH); /usr/local needs root. The
# first release build compiles every dependency and takes several minutes; --debug installs
# the build `swift build` (or `swift test`) already made, for a quick try.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix="$HOME/.local"
configuration=release
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --debug) configuration=debug; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

echo "install: building factop ($configuration)"
swift build -c "$configuration" --product factop
binary="$(swift build -c "$configuration" --show-bin-path)/factop"

bindir="$prefix/bin"
share="$prefix/share"
mkdir -p "$bindir" "$share/man/man1" "$share/bash-completion/completions" \
  "$share/zsh/site-functions" "$share/fish/vendor_completions.d" "$share/factop"
install -m 0755 "$binary" "$bindir/factop"

# Completions and the man page come from the commands' definitions, so they cannot drift.
"$bindir/factop" --generate-completion-script bash > "$share/bash-completion/completions/factop"
"$bindir/factop" --generate-completion-script zsh > "$share/zsh/site-functions/_factop"
"$bindir/factop" --generate-completion-script fish > "$share/fish/vendor_completions.d/factop.fish"
swift package generate-manual --configuration "$configuration" > /dev/null
install -m 0644 .build/plugins/GenerateManual/outputs/factop/factop.1 "$share/man/man1/factop.1"

sed "s|@BINDIR@|$bindir|" scripts/install/factop-poll.service > "$share/factop/factop-poll.service"

echo "install: factop $("$bindir/factop" --version) in $bindir"
echo "install: man page $share/man/man1/factop.1; completions for bash, zsh and fish"
echo "install: systemd unit for the poller: $share/factop/factop-poll.service"
case ":$PATH:" in
  *":$bindir:"*) ;;
  *) echo "install: add $bindir to PATH (export PATH=\"$bindir:\$PATH\")" ;;
esac
