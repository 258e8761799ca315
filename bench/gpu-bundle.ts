/**
 * `npm run gpu-bundle`: packs into .gpu/ (git-ignored, under 64 MiB) what a machine with a GPU
 * but no npm and no network needs to run the GPU check (bench/gpu-check.ts): the check bundled
 * into one file, Dawn, Node itself, the Fashion-MNIST files, and the Vulkan loader and glvnd
 * packages; then prints the one command that unpacks it there and runs it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { DATASET_FILE_NAMES, DEBIAN_DATASET_DIR } from '../src/trainer/dataset';

const root = path.join(__dirname, '..');
const folder = path.join(root, '.gpu');
const LIMIT_BYTES = 64 * 1024 * 1024;
/** The Vulkan loader and glvnd, which Dawn opens on an NVIDIA machine. */
const PACKAGES = ['libvulkan1', 'libglvnd0', 'libglx0', 'libegl1', 'libgl1', 'libopengl0', 'libgles2'];

function run(command: string, args: string[], cwd = folder): void {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
}

function xz(source: string, target: string): void {
  const result = spawnSync('xz', ['-9', '-c', source], { maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`xz ${source} failed: ${result.stderr.toString()}`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, result.stdout);
}

function sizeOf(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const full = path.join(dir, entry.name);
    return sum + (entry.isDirectory() ? sizeOf(full) : fs.statSync(full).size);
  }, 0);
}

/** What runs on the GPU machine: install the libraries, unpack, run the check, figures to $OUT. */
const RUN_SCRIPT = `#!/bin/sh
set -eu
cd "$(dirname "$0")"
if [ "\${SKIP_DEBS:-0}" != 1 ]; then
  for deb in debs/*.deb; do dpkg -x "$deb" /; done
  ldconfig
fi
[ -x node ] || { xz -dc node.xz > node && chmod +x node; }
[ -f dist/linux-x64/dawn.node ] || xz -dc dist/linux-x64/dawn.node.xz > dist/linux-x64/dawn.node
for packed in data/*.xz; do
  [ -f "\${packed%.xz}.gz" ] || xz -dc "$packed" | gzip -1 > "\${packed%.xz}.gz"
done
mkdir -p "\${OUT:-out}"
FASHION_MNIST_DIR="$PWD/data" DATA_DIR="\${TMPDIR:-/tmp}/fashion-lab-gpu" DISCORD_TOKEN= ./node run.mjs "\${OUT:-out}/gpu-check.json"
`;

/**
 * The GPU check trains on WebGPU; the fused CPU engine's onnxruntime-node (native, 288 MB unpacked) is not
 * carried. Its static imports would fail the whole bundle at start-up on a machine without it, so
 * they get an empty module; backend.ts still finds the package missing (it requires it by name)
 * and says so if onnx is asked for.
 */
const withoutOnnxruntime: Plugin = {
  name: 'without-onnxruntime',
  setup(bundle) {
    bundle.onResolve({ filter: /^onnxruntime-node$/ }, () => ({ path: 'onnxruntime-node', namespace: 'not-carried' }));
    bundle.onLoad({ filter: /.*/, namespace: 'not-carried' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

async function main(): Promise<void> {
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(path.join(folder, 'debs'), { recursive: true });
  await build({
    entryPoints: [path.join(root, 'bench', 'gpu-check.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: path.join(folder, 'run.mjs'),
    external: ['*.node', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
    plugins: [withoutOnnxruntime],
    banner: { js: "import { createRequire as cr } from 'module'; const require = cr(import.meta.url);" },
    logLevel: 'warning',
  });
  xz(path.join(root, 'node_modules', 'webgpu', 'dist', 'linux-x64', 'dawn.node'), path.join(folder, 'dist', 'linux-x64', 'dawn.node.xz'));
  xz(process.execPath, path.join(folder, 'node.xz'));
  // xz packs the IDX files tighter than their gzip (about 26 MB for 30); run.sh gzips them back for the loader.
  for (const name of DATASET_FILE_NAMES) {
    const idx = path.join(folder, 'data', name.replace(/\.gz$/, ''));
    fs.mkdirSync(path.dirname(idx), { recursive: true });
    fs.writeFileSync(idx, gunzipSync(fs.readFileSync(path.join(DEBIAN_DATASET_DIR, name))));
    xz(idx, `${idx}.xz`);
    fs.rmSync(idx);
  }
  run('apt-get', ['download', ...PACKAGES], path.join(folder, 'debs'));
  fs.writeFileSync(path.join(folder, 'run.sh'), RUN_SCRIPT, { mode: 0o755 });
  const bytes = sizeOf(folder);
  if (bytes > LIMIT_BYTES) throw new Error(`.gpu/ holds ${(bytes / 2 ** 20).toFixed(1)} MiB, over the 64 MiB a device run carries`);
  console.log(`.gpu/ is ready (${(bytes / 2 ** 20).toFixed(1)} MiB). On the GPU machine, from the repository root:`);
  console.log('  sh .gpu/run.sh            # figures in $OUT/gpu-check.json');
  console.log('Here, against SwiftShader: SKIP_DEBS=1 GPU_CHECK_EXAMPLES=256 VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json sh .gpu/run.sh');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
