import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { sleepUnlessAborted } from '../process/abortable.js';

/**
 * A lock between processes on one machine, held by a file: for work that must not run twice at
 * once, such as building a binary into a shared cache. The file is created complete in one step
 * (written aside, then hard-linked into place, which fails if it exists) and names its holder's
 * pid, so a lock whose holder has died is taken over instead of blocking forever.
 */

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
  readonly since: string;
}

export interface LockOptions {
  /** Told (once per holder) when the lock is held by another live process. */
  readonly onWait?: (holder: LockHolder) => void;
  /** Ends the wait, rejecting with the abort reason. */
  readonly signal?: AbortSignal;
  readonly pollMs?: number;
}

/** Runs `work` while holding the lock at `path`, waiting for another holder to finish first. */
export async function withFileLock<T>(path: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const release = await acquireFileLock(path, options);
  try {
    return await work();
  } finally {
    release();
  }
}

export async function acquireFileLock(path: string, options: LockOptions = {}): Promise<() => void> {
  const signal = options.signal ?? new AbortController().signal;
  let toldAbout: string | undefined;
  for (;;) {
    signal.throwIfAborted();
    const mine: LockHolder = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex'), since: new Date().toISOString() };
    if (tryCreate(path, mine)) return () => releaseIfMine(path, mine.token);
    const holder = readHolder(path);
    if (holder && !holderIsGone(holder)) {
      if (toldAbout !== holder.token) options.onWait?.(holder);
      toldAbout = holder.token;
      await sleepUnlessAborted(options.pollMs ?? 250, signal);
    } else if (holder) {
      removeStale(path, holder);
    }
    // No holder readable: the file vanished between the two calls; try again at once.
  }
}

function tryCreate(path: string, holder: LockHolder): boolean {
  const aside = `${path}.${holder.token}`;
  writeFileSync(aside, JSON.stringify(holder));
  try {
    linkSync(aside, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(aside, { force: true });
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

/** A holder on another host (a shared home directory) cannot be checked, so it counts as alive. */
function holderIsGone(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Moves the stale file aside and deletes it only if it is the one judged stale: when two waiters
 * find the same dead holder, the slower one must not delete the lock the faster one just took.
 */
function removeStale(path: string, stale: LockHolder): void {
  const aside = `${path}.stale-${randomBytes(8).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else moved it
  }
  if (readHolder(aside)?.token !== stale.token) {
    try {
      linkSync(aside, path); // a live lock: put it back
    } catch {
      // Taken again meanwhile; its holder keeps it.
    }
  }
  rmSync(aside, { force: true });
}

function releaseIfMine(path: string, token: string): void {
  if (readHolder(path)?.token === token) rmSync(path, { force: true });
}
