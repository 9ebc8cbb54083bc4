// Starts a real `jirga demo` on a free port with its own data folder, and Debian's Chromium.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..', '..');
export const BIN = process.env.JIRGA_BIN || join(ROOT, 'target', 'debug', 'jirga');
export const ARTIFACTS = join(import.meta.dirname, 'artifacts');

/** Spawns `jirga ARGS` and resolves to its URL once it prints a line matching `pattern`. */
async function spawnJirga(args, pattern, env) {
  const child = spawn(BIN, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    // Every test posts from 127.0.0.1: lift the per-address post limit (6 a minute by default).
    env: { ...process.env, RUST_LOG: 'warn', JIRGA_RATE_LIMITS__POSTS_PER_MINUTE: '100000', ...env },
  });
  const url = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`jirga ${args[0]} printed no URL: ${out}`)), 20000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(pattern);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    child.on('exit', (code) => fail(new Error(`jirga ${args[0]} exited with ${code}: ${out}`)));
  });
  return { url, child };
}

export async function startJirga(env = {}) {
  const data = mkdtempSync(join(tmpdir(), 'jirga-browser-'));
  const { url, child } = await spawnJirga(['demo', '--addr', '127.0.0.1:0', '--data', data],
    /open (http:\/\/[^\s]+?)\/? in your browser/, env);
  return {
    url,
    data,
    /** Runs a `jirga` admin subcommand against the same data folder. */
    admin: (...args) => execFileSync(BIN, [...args, '--data', data], { encoding: 'utf8' }),
    /** The same, with `input` on standard input (a password, say). */
    adminWithInput: (input, ...args) => execFileSync(BIN, [...args, '--data', data], { encoding: 'utf8', input }),
    stop: () => child.kill('SIGTERM'),
  };
}

/** Starts `jirga serve` on a free port over an existing data folder. */
export async function startServe(data) {
  const { url, child } = await spawnJirga(['serve', '--addr', '127.0.0.1:0', '--data', data],
    /listening on (http:\/\/[^\s]+?)\/? /);
  return { url, stop: () => child.kill('SIGTERM') };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Serves one HTML page from another origin (a publisher's site). */
export async function hostPage(html) {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/** Collects script errors and failed requests that a test should not see. */
export function watch(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
  return problems;
}

/** A real SMTP server on loopback that keeps every message, for reading account mail. */
export async function smtpSink() {
  const mails = [];
  const server = createNetServer((socket) => {
    let buffer = '';
    let data = null;
    let to = [];
    socket.write('220 sink.test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let i;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (data !== null) {
          if (line === '.') {
            mails.push({ to, text: data.replace(/=\r\n/g, '').replace(/=3D/g, '=') });
            data = null; to = [];
            socket.write('250 queued\r\n');
          } else data += (line.startsWith('.') ? line.slice(1) : line) + '\r\n';
          continue;
        }
        const verb = line.toUpperCase();
        if (verb.startsWith('EHLO')) socket.write('250-sink.test\r\n250 8BITMIME\r\n');
        else if (verb.startsWith('RCPT TO:')) { to.push(line.slice(8).trim().replace(/[<>]/g, '').toLowerCase()); socket.write('250 OK\r\n'); }
        else if (verb.startsWith('DATA')) { data = ''; socket.write('354 go on\r\n'); }
        else if (verb.startsWith('QUIT')) { socket.end('221 bye\r\n'); }
        else socket.write('250 OK\r\n');
      }
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: server.address().port,
    /** The first mail to `to`, waiting up to ten seconds. */
    async mailTo(to) {
      return this.nthMailTo(to, 0);
    },
    /** The mail to `to` numbered `n` (from 0), waiting up to fifteen seconds. */
    async nthMailTo(to, n) {
      for (let i = 0; i < 300; i++) {
        const m = mails.filter((x) => x.to.includes(to))[n];
        if (m) return m;
        await new Promise((ok) => setTimeout(ok, 50));
      }
      throw new Error(`no mail number ${n} to ${to}`);
    },
    /** How many mails went to `to`. */
    countTo: (to) => mails.filter((x) => x.to.includes(to)).length,
    close: () => server.close(),
  };
}
