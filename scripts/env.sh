# Sourced by the run and test scripts: the tool paths and build settings every build uses.
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# wasm-opt comes from npm binaryen 132: Debian's v108 silently breaks hydration (see BUILD-NOTES).
# Leptos reads the output name at compile time; setting it for every cargo call keeps
# `cargo leptos build` and `cargo test` from recompiling each other's artifacts.
export LEPTOS_OUTPUT_NAME=dailies
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
