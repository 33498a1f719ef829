// The kubelet's container runtime, faked: what a container would do, read from its command and
// image. `sleep N` runs N seconds, `exit N` ends with N, `echo` ends at once, and `sh -c "..."`
// runs those steps in turn; a shell image with no command exits 0 at once (busybox's default
// `sh` sees no terminal), while a server image (nginx, redis) or anything unknown runs forever.

/** What the container does once started: run for `runSeconds` (forever when undefined), then exit. */
export interface Program {
  runSeconds: number | undefined;
  exitCode: number;
}

export const RUN_SECONDS_ANNOTATION = 'kubesim.dev/run-seconds';
export const EXIT_CODE_ANNOTATION = 'kubesim.dev/exit-code';

/** Images whose default command is a shell or a one-shot tool: they exit 0 with no command. */
const SHELL_IMAGES = new Set(['busybox', 'alpine', 'ubuntu', 'debian', 'centos', 'fedora', 'bash', 'perl', 'python', 'node', 'golang', 'hello-world']);

export interface ContainerLike {
  image?: string;
  command?: string[];
  args?: string[];
}

/** The repository's last path segment without tag or digest: "docker.io/library/nginx:1.27" -> "nginx". */
export function imageBaseName(image: string): string {
  const noDigest = image.split('@')[0]!;
  const last = noDigest.split('/').pop()!;
  return last.split(':')[0]!.toLowerCase();
}

/** The container's program; the kubesim.dev annotations override what the command says. */
export function programOf(c: ContainerLike, annotations: Record<string, string> = {}): Program {
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  const base: Program = argv.length > 0 ? interpretArgv(argv) : SHELL_IMAGES.has(imageBaseName(c.image ?? '')) ? { runSeconds: 0, exitCode: 0 } : { runSeconds: undefined, exitCode: 0 };
  const runSeconds = numberAnnotation(annotations[RUN_SECONDS_ANNOTATION]);
  const exitCode = numberAnnotation(annotations[EXIT_CODE_ANNOTATION]);
  return {
    runSeconds: runSeconds !== undefined ? Math.max(0, runSeconds) : exitCode !== undefined && base.runSeconds === undefined ? 0 : base.runSeconds,
    exitCode: exitCode !== undefined ? Math.trunc(exitCode) : base.exitCode,
  };
}

function numberAnnotation(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);

/** An argv as the program it would be: a shell's `-c` script, or one command. */
export function interpretArgv(argv: string[]): Program {
  const [cmd0, ...rest] = argv;
  const cmd = (cmd0 ?? '').split('/').pop()!;
  if (SHELLS.has(cmd)) {
    const c = rest.indexOf('-c');
    if (c >= 0 && rest[c + 1] !== undefined) return interpretScript(rest[c + 1]!);
    // `sh` with no script reads stdin, which a pod does not have: it ends at once.
    return rest.length === 0 ? { runSeconds: 0, exitCode: 0 } : { runSeconds: undefined, exitCode: 0 };
  }
  return interpretScript(argv.map(shellQuote).join(' '));
}

function shellQuote(s: string): string {
  return /^[\w./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A shell script as the steps we understand: `sleep N`, `exit N`, `true`, `false`, `echo`,
 * `while true; do ...; done` (runs forever); anything else counts as a command that succeeds
 * at once. Steps are separated by `;`, `&&` or newlines; `&&` stops at the first failure.
 */
export function interpretScript(script: string): Program {
  if (/\bwhile\s+(true|:)\b/.test(script) || /\bsleep\s+(infinity|inf)\b/.test(script) || /\btail\s+-f\b/.test(script)) {
    return { runSeconds: undefined, exitCode: 0 };
  }
  let seconds = 0;
  let status = 0;
  for (const { step, op } of splitSteps(script)) {
    if (op === '&&' && status !== 0) continue;
    if (op === '||' && status === 0) continue;
    const words = step.trim().split(/\s+/).filter(Boolean);
    const w0 = words[0] ?? '';
    if (w0 === 'sleep') {
      seconds += parseSleep(words[1] ?? '0');
      status = 0;
    } else if (w0 === 'exit') {
      const code = Number(words[1] ?? status);
      return { runSeconds: seconds, exitCode: Number.isFinite(code) ? code & 255 : 2 };
    } else if (w0 === 'false') {
      status = 1;
    } else if (w0 !== '') {
      status = 0;
    }
  }
  return { runSeconds: seconds, exitCode: status };
}

function splitSteps(script: string): { step: string; op: string }[] {
  const out: { step: string; op: string }[] = [];
  let op = ';';
  let last = 0;
  const re = /&&|\|\||;|\n/g;
  for (let m = re.exec(script); m; m = re.exec(script)) {
    out.push({ step: script.slice(last, m.index), op });
    op = m[0] === '\n' ? ';' : m[0];
    last = m.index + m[0].length;
  }
  out.push({ step: script.slice(last), op });
  return out.map((s) => ({ ...s, step: s.step.replace(/^['"]|['"]$/g, '') }));
}

/** GNU sleep: a number with an optional s/m/h/d suffix. */
function parseSleep(arg: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(arg.replace(/^['"]|['"]$/g, ''));
  if (!m) return 0;
  const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * mult;
}
