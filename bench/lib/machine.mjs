// What the numbers were measured on: CPU, cores, memory, OS, the toolchain and the load.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem, release, platform } from 'node:os';
import { readFileSync } from 'node:fs';

function run(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function cpuFlags() {
  try {
    const flags = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:\s*(.*)$/m)?.[1].split(/\s+/) ?? [];
    return ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f'].filter((f) => flags.includes(f));
  } catch {
    return [];
  }
}

function osName() {
  try {
    return readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)"?/m)?.[1] ?? platform();
  } catch {
    return platform();
  }
}

export function machine() {
  const list = cpus();
  const hypervisor = run('lscpu', [])?.match(/Hypervisor vendor:\s*(.*)/)?.[1] ?? null;
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    flags: cpuFlags(),
    hypervisor,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${osName()} (Linux ${release()})`,
    node: process.version,
    v8: process.versions.v8,
    gxx: run('g++', ['-dumpfullversion']),
    emcc: run('bash', ['-c', 'NODE_PATH=/usr/share/nodejs em++ --version 2>/dev/null | head -1'])?.match(/\d+\.\d+\.\d+/)?.[0] ?? null,
    chromium: run(process.env.CHROMIUM ?? '/usr/bin/chromium', ['--version']),
    load: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export const currentLoad = () => loadavg().map((x) => Math.round(x * 100) / 100);
