// What an image does when the pod gives no command: its default entrypoint, written as a
// script for the same interpreter. Shells and one-shot tools exit 0 at once (busybox's `sh`
// with no terminal); a few images learners meet first print what they print on a real node;
// any other image is taken to be a quiet server that runs until stopped.

/** Images whose default command is a shell or a one-shot tool: they exit 0 with no command. */
const SHELL_IMAGES = new Set(['busybox', 'alpine', 'ubuntu', 'debian', 'centos', 'fedora', 'bash', 'perl', 'python', 'node', 'golang']);

/** The repository's last path segment without tag or digest: "docker.io/library/nginx:1.27" -> "nginx". */
export function imageBaseName(image: string): string {
  const noDigest = image.split('@')[0]!;
  const last = noDigest.split('/').pop()!;
  return last.split(':')[0]!.toLowerCase();
}

/** "nginx:1.25.3" -> "1.25.3"; undefined without a version-like tag. */
function versionTag(image: string): string | undefined {
  const tag = /:([^:/@]+)(?:@|$)/.exec(image)?.[1];
  return tag && /^\d+(\.\d+)*$/.test(tag) ? tag : undefined;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const echoLines = (lines: string[]) => lines.map((l) => `echo ${quote(l)}`).join('\n');

const HELLO_WORLD = [
  '',
  'Hello from Docker!',
  'This message shows that your installation appears to be working correctly.',
  '',
  'To generate this message, Docker took the following steps:',
  ' 1. The Docker client contacted the Docker daemon.',
  ' 2. The Docker daemon pulled the "hello-world" image from the Docker Hub.',
  '    (amd64)',
  ' 3. The Docker daemon created a new container from that image which runs the',
  '    executable that produces the output you are currently reading.',
  ' 4. The Docker daemon streamed that output to the Docker client, which sent it',
  '    to your terminal.',
  '',
  'To try something more ambitious, you can run an Ubuntu container with:',
  ' $ docker run -it ubuntu bash',
  '',
  'Share images, automate workflows, and more with a free Docker ID:',
  ' https://hub.docker.com/',
  '',
  'For more examples and ideas, visit:',
  ' https://docs.docker.com/get-started/',
  '',
];

/** nginx's docker-entrypoint.sh and its start-up notices, then it serves until stopped. */
function nginxScript(image: string): string {
  const entry = [
    '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
    '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
    '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
    '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
    '/docker-entrypoint.sh: Configuration complete; ready for start up',
  ];
  const notices = ['using the "epoll" event method', `nginx/${versionTag(image) ?? '1.27.3'}`, 'OS: Linux', 'getrlimit(RLIMIT_NOFILE): 1048576:1048576', 'start worker processes', 'start worker process 29'];
  const notice = (m: string) => `echo "$(date '+%Y/%m/%d %H:%M:%S') [notice] 1#1: "${quote(m)}`;
  return [echoLines(entry), ...notices.map(notice), 'sleep infinity'].join('\n');
}

/** The default command of an image as a shell script to interpret. */
export function imageDefaultScript(image: string): string {
  const name = imageBaseName(image);
  if (SHELL_IMAGES.has(name)) return 'exit 0';
  if (name === 'hello-world') return echoLines(HELLO_WORLD);
  if (name === 'nginx') return nginxScript(image);
  return 'sleep infinity';
}
