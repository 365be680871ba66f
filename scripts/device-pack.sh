#!/usr/bin/env bash
# Packs what scripts/device-check.sh needs on a GPU machine that has no package registry and no
# Node, into .device/ (ignored by git; about 50 MiB, under the 64 MiB that may travel there):
#   node.xz           this machine's Node binary, xz-compressed (x86-64 Linux)
#   app.tar.xz        two esbuild bundles (the `backends` command and bench/train.bench.ts) and
#                     the few packages they load from disk: sharp and its libvips, Dawn's
#                     dawn.node (webgpu), the tfjs wasm binaries
#   gl/*.deb          the Vulkan loader (libvulkan1) and GL libraries, unpacked there into /
# Run here, from the repository root: bash scripts/device-pack.sh
set -euo pipefail
cd "$(dirname "$0")/.."
grep -qx '/.device/' .git/info/exclude 2>/dev/null || echo '/.device/' >> .git/info/exclude
rm -rf .device && mkdir -p .device/gl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Node
xz -T2 -6 -c "$(readlink -f "$(command -v node)")" > .device/node.xz

# bundles
app=$work/app
mkdir -p "$app"
cat > "$work/backends-entry.ts" <<TS
import { run } from '$PWD/lib/cli/backends.ts';
process.exitCode = await run(process.argv.slice(2));
TS
for e in "$work/backends-entry.ts:backends.mjs" "bench/train.bench.ts:bench-train.mjs"; do
  node_modules/.bin/esbuild "${e%%:*}" --bundle --platform=node --format=esm --target=node20 \
    --outfile="$app/${e##*:}" --log-level=warning \
    --external:sharp --external:webgpu --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu --external:onnxruntime-node \
    "--banner:js=import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);"
done
echo '{"type":"module"}' > "$app/package.json"
# packages read from disk at run time
nm=$app/node_modules
mkdir -p "$nm/@img" "$nm/webgpu/dist/linux-x64" "$nm/@tensorflow/tfjs-backend-wasm/dist"
cp -r node_modules/sharp node_modules/detect-libc node_modules/semver "$nm/"
cp -r node_modules/@img/colour node_modules/@img/sharp-linux-x64 node_modules/@img/sharp-libvips-linux-x64 "$nm/@img/"
cp node_modules/webgpu/package.json node_modules/webgpu/index.js "$nm/webgpu/"
cp node_modules/webgpu/dist/linux-x64/dawn.node "$nm/webgpu/dist/linux-x64/"
w=node_modules/@tensorflow/tfjs-backend-wasm
cp $w/package.json "$nm/@tensorflow/tfjs-backend-wasm/"
cp $w/dist/*.wasm $w/dist/tf-backend-wasm.node.js "$nm/@tensorflow/tfjs-backend-wasm/dist/"
tar -C "$work" -cf - app | xz -T2 -6 > .device/app.tar.xz

# the Vulkan loader and GL libraries, as Debian amd64 packages
lists=$work/apt-lists
mkdir -p "$lists/partial"
o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$lists")
apt-get "${o[@]}" update -qq
(cd .device/gl && apt-get "${o[@]}" download -qq libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)

du -sh .device/* | sed 's/^/device-pack: /'
du -sh .device | sed 's/^/device-pack: total /'
