#!/usr/bin/env bash
# Sets up anon-impact on a Debian 12 machine with Node >= 20.9: the Debian packages for figure
# export (chromium) and notebooks (Jupyter), the Vulkan loader for the webgpu backend (libvulkan1;
# chromium ships SwiftShader, the CPU Vulkan device the tests run webgpu on), Slurm and munge (the
# tests run grids through a one-node cluster: scripts/slurm-local.sh), OpenCV's sample data
# (opencv-doc: the pedestrian video vtest.avi the face-region test reads), the npm packages
# exactly as locked, and the tslab Jupyter kernel (registered inside the repository, under .jupyter/).
# Elsewhere: `conda env create -f environment.yml`, then run this script with SKIP_APT=1.
set -euo pipefail
cd "$(dirname "$0")/.."

node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<9)) { console.error("anon-impact needs Node >= 20.9, have "+process.version); process.exit(1); }'

debs=(chromium libvulkan1 jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel jupyter-notebook slurm-wlm munge opencv-doc)
if [ "${SKIP_APT:-0}" != 1 ] && command -v apt-get >/dev/null; then
  missing=()
  for p in "${debs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# npm packages as locked; the optional tfjs-node packages fail softly where libtensorflow cannot be
# downloaded; the optional webgpu packages (Dawn's prebuilt Node binding, tfjs's WebGPU backend)
# download nothing at install.
npm ci --no-audit --no-fund

# The TypeScript Jupyter kernel, registered in the repository (JUPYTER_PATH points here).
py=/usr/bin/python3; [ -x "$py" ] || py=$(command -v python3)
if "$py" -c 'import nbclient, ipykernel' 2>/dev/null; then
  npx tslab install --python "$py" --binary "$PWD/node_modules/.bin/tslab" --prefix "$PWD/.jupyter" >/dev/null
else
  echo "setup: Jupyter (nbclient, ipykernel) not found for $py: notebooks will not run" >&2
fi
echo "setup: done" >&2
