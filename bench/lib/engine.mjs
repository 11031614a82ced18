// A handle on one engine process: node engines are forked and spoken to over IPC, the
// native driver over JSON lines on stdin/stdout. Both answer {id, result | error}.
import { fork, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export class EngineProcess {
  #child;
  #pending = new Map();
  #next = 0;
  #send;
  ready;

  /** kind 'node': `path` is a module run with `args`; kind 'native': `path` is an executable. */
  constructor(kind, path, args = [], { cwd } = {}) {
    let resolveReady, rejectReady;
    this.ready = new Promise((res, rej) => { resolveReady = res; rejectReady = rej; });
    const onMessage = (msg) => {
      if (msg.ready) return resolveReady(msg);
      const waiter = this.#pending.get(msg.id);
      if (!waiter) return;
      this.#pending.delete(msg.id);
      if (msg.error) waiter.reject(new Error(`${path}: ${msg.error}`));
      else waiter.resolve(msg.result);
    };
    if (kind === 'node') {
      this.#child = fork(path, args, { cwd, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      this.#child.on('message', onMessage);
      this.#send = (msg) => this.#child.send(msg);
    } else {
      this.#child = spawn(path, args, { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
      createInterface({ input: this.#child.stdout }).on('line', (line) => {
        if (line.trim()) onMessage(JSON.parse(line));
      });
      this.#send = (msg) => this.#child.stdin.write(`${JSON.stringify(msg)}\n`);
    }
    this.#child.on('exit', (code, signal) => {
      const err = new Error(`${path} exited (${signal ?? code})`);
      rejectReady(err);
      for (const w of this.#pending.values()) w.reject(err);
      this.#pending.clear();
    });
    this.#child.on('error', (err) => rejectReady(err));
  }

  call(cmd, fields = {}) {
    const id = ++this.#next;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#send({ ...fields, cmd, id });
    });
  }

  close() {
    if (this.#child.exitCode === null) this.#child.kill();
  }
}
