import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { stoppable } from './stoppable.js';
import type { Slot } from './instances.js';
import { PROBES } from './instance-env.js';

// haproxy (Debian's package) in front of the instances: health checks on /readyz every second,
// and a GET that finds its server gone (refused, reset, closed without an answer) is retried on
// another server. Posts are never retried by haproxy once sent: the client retries them with
// their Idempotency-Key, which is what makes that safe.

export type Haproxy = {
  url: string;
  serverStates(): Promise<Record<string, string>>;
  waitUp(name: string): Promise<void>;
  /** Takes a server out of rotation, as Kubernetes removes a stopping pod's endpoint during preStop; waits until its requests are done. */
  drain(name: string): Promise<void>;
  /** Back into rotation; haproxy still waits for its health checks to pass. */
  ready(name: string): Promise<void>;
  stop(): Promise<void>;
  kill(): void;
};

export function haproxyConfig(port: number, socket: string, slots: Slot[]): string {
  return `global
  maxconn 4096
  stats socket ${socket} mode 600 level admin

defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout http-request 10s
  timeout http-keep-alive 10s
  option forwardfor
  option redispatch 1
  retries 3
  retry-on conn-failure empty-response junk-response response-timeout

frontend api
  bind 127.0.0.1:${port}
  default_backend instances

backend instances
  balance roundrobin
  # a retried request goes to another server; only reads are retried once sent
  http-request disable-l7-retry unless METH_GET || METH_HEAD
  option httpchk GET ${PROBES.readiness}
  http-check expect status 200
  default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 2
${slots.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check`).join('\n')}
`;
}

export async function startHaproxy(port: number, dir: string, slots: Slot[]): Promise<Haproxy> {
  const socket = path.join(dir, 'haproxy.sock');
  const config = path.join(dir, 'haproxy.cfg');
  writeFileSync(config, haproxyConfig(port, socket, slots));
  const check = spawn('haproxy', ['-c', '-f', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = (await once(check, 'exit')) as [number];
  if (code !== 0) throw new Error(`haproxy -c rejected ${config}`);
  // -db: foreground, no daemon: the harness owns the process and kills it on exit
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const serverStates = () => showServers(socket);
  const waitUp = async (name: string) => {
    const deadline = Date.now() + 60_000;
    while ((await serverStates().catch((): Record<string, string> => ({})))[name] !== 'UP') {
      if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`haproxy did not mark ${name} UP within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  for (const slot of slots) await waitUp(slot.name);
  return {
    url: `http://127.0.0.1:${port}`,
    serverStates,
    waitUp,
    async drain(name) {
      await runtimeApi(socket, `set server instances/${name} state drain`);
      const deadline = Date.now() + 10_000;
      while ((await showStat(socket))[name]?.scur !== '0' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    },
    async ready(name) {
      await runtimeApi(socket, `set server instances/${name} state ready`);
    },
    ...stoppable(child),
  };
}

/** Each server's state from haproxy's runtime API (`show stat`: UP, DOWN, MAINT, DRAIN, …). */
async function showServers(socket: string): Promise<Record<string, string>> {
  const stats = await showStat(socket);
  return Object.fromEntries(Object.entries(stats).map(([name, row]) => [name, (row.status ?? '').split(' ')[0] ?? '']));
}

async function showStat(socket: string): Promise<Record<string, Record<string, string>>> {
  const lines = (await runtimeApi(socket, 'show stat')).trim().split('\n');
  const header = (lines[0] ?? '').replace(/^# /, '').split(',');
  const rows: Record<string, Record<string, string>> = {};
  for (const line of lines.slice(1)) {
    const row = Object.fromEntries(line.split(',').map((value, i) => [header[i] ?? String(i), value]));
    const server = row.svname;
    if (row.pxname === 'instances' && server && server !== 'BACKEND') rows[server] = row;
  }
  return rows;
}

function runtimeApi(socket: string, command: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    const connection = net.createConnection(socket, () => connection.end(`${command}\n`));
    connection.on('data', (chunk) => (out += chunk.toString()));
    connection.on('end', () => resolve(out));
    connection.on('error', reject);
  });
}
