# Sourced by the scripts: tools installed by setup.sh first on PATH.
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
