// Summarises a V8 .cpuprofile (node --cpu-prof): self time by area (package, lib-craft
// directory, Node internals, GC), the top self-time functions, and the inclusive time of
// lib-craft's own functions.
//
//   npx tsx bench/profile-summary.ts <file.cpuprofile> [top=25] [skip-ms=0]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a package, a lib-craft directory, Node itself, or a V8 pseudo-frame. */
export function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName.startsWith('(')) return functionName; // (garbage collector), (idle), (program)
    return '(native)';
  }
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (file.startsWith('node:')) return 'node internals';
  const dist = file.indexOf('/dist/');
  if (dist >= 0) {
    const parts = file.slice(dist + 1).split('/');
    return `lib-craft ${parts.slice(0, Math.min(parts.length - 1, 3)).join('/')}`;
  }
  return file;
}

function label(frame: CallFrame): string {
  const file = frame.url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('/node_modules/');
  const short = nm >= 0 ? file.slice(nm + '/node_modules/'.length) : file.includes('/dist/') ? file.slice(file.indexOf('/dist/') + 1) : file;
  return `${frame.functionName || '(anonymous)'}${short ? ` ${short}:${frame.lineNumber + 1}` : ''}`;
}

/**
 * `skipMs`: leave out the first milliseconds of the profile (the process's start-up, before the
 * load began), so the shares are those of serving requests.
 */
export function summarizeProfile(file: string, top = 25, skipMs = 0): string {
  const full = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  // Drop the samples before skipMs (timeDeltas are microseconds since the previous sample).
  let elapsed = 0;
  let first = 0;
  while (first < full.samples.length && elapsed + (full.timeDeltas[first] ?? 0) < skipMs * 1000) elapsed += full.timeDeltas[first++] ?? 0;
  const profile: CpuProfile = { ...full, samples: full.samples.slice(first), timeDeltas: full.timeDeltas.slice(first) };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfByNode = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + dt);
  });

  const selfByArea = new Map<string, number>();
  const selfByFn = new Map<string, number>();
  // Native frames (socket writes, crypto, JSON...) charged to the nearest JavaScript caller's area.
  const byCallerArea = new Map<string, number>();
  for (const [id, us] of selfByNode) {
    const frame = byId.get(id)!.callFrame;
    const area = areaOf(frame);
    selfByArea.set(area, (selfByArea.get(area) ?? 0) + us);
    const key = label(frame);
    selfByFn.set(key, (selfByFn.get(key) ?? 0) + us);
    let owner = area;
    for (let cur = parent.get(id); owner === '(native)' && cur !== undefined; cur = parent.get(cur)) {
      const a = areaOf(byId.get(cur)!.callFrame);
      if (a !== '(native)' && a !== '(root)') owner = a === 'node internals' ? owner : a;
    }
    byCallerArea.set(owner, (byCallerArea.get(owner) ?? 0) + us);
  }

  // Inclusive time of lib-craft functions: each sample counts once per distinct function on its stack.
  const inclusive = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      if (!frame.url.includes('/dist/') || frame.url.includes('/node_modules/') || frame.url.includes('/generated/')) continue;
      const key = label(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
    }
  });

  const idle = selfByArea.get('(idle)') ?? 0;
  const busy = total - idle;
  const pct = (us: number, of: number) => `${((100 * us) / of).toFixed(1).padStart(5)}%`;
  const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  const topOf = (m: Map<string, number>, n: number, exclude: string[] = []) =>
    [...m].filter(([k]) => !exclude.includes(k)).sort((a, b) => b[1] - a[1]).slice(0, n);

  const lines: string[] = [];
  lines.push(
    `${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled${skipMs ? ` (after skipping ${(skipMs / 1000).toFixed(1)} s of start-up)` : ''}, ${pct(busy, total).trim()} busy (shares below are of busy time)`,
  );
  lines.push('', 'Self time by area (native code charged to the package that called it):');
  for (const [k, v] of topOf(byCallerArea, 18, ['(idle)'])) lines.push(`  ${pct(v, busy)} ${ms(v)}  ${k}`);
  lines.push('', `Top ${top} functions by self time:`);
  for (const [k, v] of topOf(selfByFn, top, ['(idle)'])) lines.push(`  ${pct(v, busy)} ${ms(v)}  ${k}`);
  lines.push('', 'lib-craft functions by inclusive time (top 15):');
  for (const [k, v] of topOf(inclusive, 15)) lines.push(`  ${pct(v, busy)} ${ms(v)}  ${k}`);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top=25] [skip-ms=0]\n');
    process.exit(2);
  }
  process.stdout.write(`${summarizeProfile(file, Number(process.argv[3] ?? 25), Number(process.argv[4] ?? 0))}\n`);
}
