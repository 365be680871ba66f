#!/usr/bin/env bash
# Runs on a GPU machine of the kind the `device` tool lends (NVIDIA H200; no package registry, no
# Node), from the repository root, with .device/ from scripts/device-pack.sh carried along:
# unpacks Node, the bundles and the Vulkan loader, then prints the GPU, the tfjs backends found
# and their adapter, webgpu's parity with wasm (`anon-impact backends --check`), and the step
# times of `npm run bench:train -- --backend webgpu` (the reference U-Net, the quick and the
# paper semseg task model). Each part has its own time limit, so that a slow part leaves the
# others' figures; with OUT set, the log is also written to $OUT/device-check.log.
set -uo pipefail
cd "$(dirname "$0")/.."
log=${OUT:+$OUT/device-check.log}
exec > >(tee ${log:-/dev/null}) 2>&1

echo "== node on this machine: $(command -v node || echo none)"
tmp=$(mktemp -d)
xz -dc .device/node.xz > "$tmp/node" && chmod +x "$tmp/node"
tar -C "$tmp" -xJf .device/app.tar.xz
node=$tmp/node
app=$tmp/app
echo "== carried node $("$node" --version)"

# the Vulkan loader (and GL libraries), unpacked into / as the device README says
for f in .device/gl/*.deb; do dpkg -x "$f" /; done
ldconfig
ldconfig -p | grep -q 'libvulkan.so.1' || echo "== no Vulkan loader after unpacking .device/gl"
nv=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] && ! ls /usr/share/vulkan/icd.d/*nvidia* /etc/vulkan/icd.d/*nvidia* >/dev/null 2>&1 && [ -f "$nv" ]; then
  export VK_DRIVER_FILES=$nv
  echo "== VK_DRIVER_FILES=$nv"
fi
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$tmp/xdg}
mkdir -p "$XDG_RUNTIME_DIR"

echo "== GPU"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -4

echo "== backends and parity with wasm"
(cd "$app" && timeout 120 "$node" backends.mjs --check --only webgpu,wasm)
echo "   (exit $?)"

echo "== bench:train --backend webgpu: reference U-Net (batch 8x128x256) and the quick semseg model"
(cd "$app" && timeout 120 "$node" bench-train.mjs --backend webgpu --steps 10 --warmup 3)
echo "   (exit $?)"

echo "== bench:train --backend webgpu: the paper semseg model"
(cd "$app" && timeout 120 "$node" bench-train.mjs --backend webgpu --configs task --preset paper --task semseg --steps 5 --warmup 2)
echo "   (exit $?)"
rm -rf "$tmp"
