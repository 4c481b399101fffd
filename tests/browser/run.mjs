#!/usr/bin/env node
// Browser journeys: start the onewindow server (demo data, fresh data dir), drive headless
// Chromium through every journeys/*.mjs, save screenshots, stop the server.
//
// usage: node run.mjs [NAME-SUBSTRING...]     (scripts/test runs it; `npm test` too)
//
// environment:
//   ONEWINDOW_BIN            server binary (default: <repo>/target/debug/onewindow)
//   ONEWINDOW_BASE_URL       test a server that is already running there; start none
//   CHROMIUM                 browser binary (default: `command -v chromium`)
//   ONEWINDOW_BROWSER_OUT    output folder (default: <repo>/target/browser)
//   ONEWINDOW_HEALTH_TIMEOUT seconds to wait for GET /healthz = 200 (default 60)
//   ONEWINDOW_JOURNEY_TIMEOUT seconds one journey may take (default 120)
//
// A journey file exports `name` and `async run({ page, baseUrl, assert, context, outDir })`.
// Each journey gets its own browser context (fresh cookies and storage).
// Output: <out>/NAME.png after each journey that passed, <out>/NAME-failure.png for one that
// failed, <out>/server.log; exit status 1 if any journey failed or none ran.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const outDir = path.resolve(process.env.ONEWINDOW_BROWSER_OUT || path.join(repo, 'target', 'browser'));
const serverLog = path.join(outDir, 'server.log');
const pidFile = path.join(outDir, 'server.pid');
const healthTimeoutMs = 1000 * Number(process.env.ONEWINDOW_HEALTH_TIMEOUT || 60);
const journeyTimeoutMs = 1000 * Number(process.env.ONEWINDOW_JOURNEY_TIMEOUT || 120);
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const cleanups = [];
let server = null;

function log(msg) {
  process.stdout.write(`[browser] ${msg}\n`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function findChromium() {
  const fromEnv = process.env.CHROMIUM;
  if (fromEnv) return fromEnv;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not this one
    }
  }
  throw new Error(
    'no chromium found: install it (as root: apt-get install -y --no-install-recommends chromium ' +
      'fonts-noto-cjk; scripts/test does it) or set CHROMIUM=/path/to/chromium',
  );
}

function logTail(lines = 60) {
  try {
    const text = fs.readFileSync(serverLog, 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

function printServerLog(why) {
  log(`${why}; server log (${serverLog}, last lines):`);
  process.stdout.write(`${logTail()}\n`);
}

async function startServer() {
  const bin = path.resolve(process.env.ONEWINDOW_BIN || path.join(repo, 'target', 'debug', 'onewindow'));
  if (!fs.existsSync(bin)) {
    throw new Error(`server binary ${bin} not found: build it with \`cargo build -p onewindow-cli\` or set ONEWINDOW_BIN`);
  }
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onewindow-browser-data-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const listen = `127.0.0.1:${port}`;
  const args = ['serve', '--demo', '--listen', listen, '--data-dir', dataDir];
  const logFd = fs.openSync(serverLog, 'w');
  log(`starting ${bin} ${args.join(' ')}`);
  const child = spawn(bin, args, {
    cwd: repo,
    stdio: ['ignore', logFd, logFd],
    env: { RUST_BACKTRACE: '1', ...process.env },
  });
  fs.closeSync(logFd);
  server = { child, exited: null };
  child.on('exit', (code, signal) => {
    server.exited = signal ? `killed by ${signal}` : `exited with status ${code}`;
  });
  child.on('error', (e) => {
    server.exited = `could not start: ${e.message}`;
  });
  if (child.pid) fs.writeFileSync(pidFile, `${child.pid}\n`);
  const baseUrl = `http://${listen}`;
  await waitHealthy(baseUrl);
  return baseUrl;
}

async function waitHealthy(baseUrl) {
  const started = Date.now();
  let last = 'no answer yet';
  while (Date.now() - started < healthTimeoutMs) {
    if (server?.exited) {
      printServerLog(`server ${server.exited} before it was healthy`);
      throw new Error(`server ${server.exited} before GET /healthz answered 200`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) {
        log(`server healthy at ${baseUrl} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return;
      }
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e.cause?.code || e.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  printServerLog(`GET /healthz not 200 within ${healthTimeoutMs / 1000} s (last: ${last})`);
  throw new Error(`server not healthy within ${healthTimeoutMs / 1000} s (last: ${last})`);
}

async function stopServer() {
  if (!server || server.exited) return;
  const { child } = server;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(timer);
}

async function loadJourneys(filters) {
  const dir = path.join(here, 'journeys');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.mjs'))
    .sort();
  const journeys = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(path.join(dir, file)).href);
    if (typeof mod.name !== 'string' || typeof mod.run !== 'function') {
      throw new Error(`journeys/${file} must export \`name\` (string) and \`run\` (async function)`);
    }
    if (filters.length && !filters.some((f) => mod.name.includes(f) || file.includes(f))) continue;
    journeys.push({ file, name: mod.name, run: mod.run });
  }
  return journeys;
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function safeName(name) {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}

async function runJourney(browser, journey, baseUrl) {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => consoleErrors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  const started = Date.now();
  const file = safeName(journey.name);
  try {
    await withTimeout(
      journey.run({ page, context, baseUrl, assert, outDir }),
      journeyTimeoutMs,
      `journey ${journey.name}`,
    );
    await page.emulateMedia({ media: 'screen' }).catch(() => {});
    await page.screenshot({ path: path.join(outDir, `${file}.png`), fullPage: true });
    return { name: journey.name, ok: true, secs: (Date.now() - started) / 1000 };
  } catch (error) {
    const shot = path.join(outDir, `${file}-failure.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    const lines = [
      `${error?.stack || error}`,
      `page: ${page.url()}`,
      `screenshot: ${shot}`,
      ...consoleErrors.slice(-15),
    ];
    return { name: journey.name, ok: false, secs: (Date.now() - started) / 1000, detail: lines.join('\n') };
  } finally {
    await context.close().catch(() => {});
  }
}

async function cleanup() {
  while (cleanups.length) {
    try {
      await cleanups.pop()();
    } catch {
      // best effort
    }
  }
  await stopServer().catch(() => {});
  fs.rmSync(pidFile, { force: true });
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  for (const f of fs.readdirSync(outDir)) {
    if (/\.(png|pdf)$/.test(f) || f === 'server.log') fs.rmSync(path.join(outDir, f), { force: true });
  }
  const journeys = await loadJourneys(process.argv.slice(2));
  if (!journeys.length) throw new Error('no journey to run (journeys/*.mjs, filtered by the arguments)');

  const executablePath = findChromium();
  const baseUrl = process.env.ONEWINDOW_BASE_URL?.replace(/\/+$/, '') || (await startServer());

  log(`launching ${executablePath}`);
  // launch() gives the browser a fresh temporary --user-data-dir and removes it on close.
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  cleanups.push(() => browser.close());
  log(`${browser.version()}; ${journeys.length} journey(s) against ${baseUrl}`);

  const results = [];
  for (const journey of journeys) {
    if (interrupted) break;
    log(`journey ${journey.name} (${journey.file}) ...`);
    const result = await runJourney(browser, journey, baseUrl);
    if (interrupted) break;
    results.push(result);
    log(`${result.ok ? 'PASS' : 'FAIL'} ${journey.name} (${result.secs.toFixed(1)} s)`);
    if (!result.ok) process.stdout.write(`${result.detail.replace(/^/gm, '    ')}\n`);
  }
  const failed = results.filter((r) => !r.ok);
  if (failed.length) {
    if (server?.exited) log(`the server ${server.exited} during the run`);
    printServerLog('some journeys failed');
  }
  log(`screenshots in ${outDir}`);
  process.stdout.write(`journeys: ${results.length - failed.length} passed, ${failed.length} failed\n`);
  return failed.length ? 1 : 0;
}

let finishing = false;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, async () => {
    interrupted = true;
    if (finishing) return;
    finishing = true;
    log(`${signal}: stopping`);
    await cleanup();
    process.exit(130);
  });
}

let status = 1;
try {
  status = await main();
} catch (e) {
  if (!interrupted) {
    log(`error: ${e?.stack || e}`);
    process.stdout.write('journeys: 0 passed, 1 failed\n');
  }
}
finishing = true;
await cleanup();
process.exit(status);
