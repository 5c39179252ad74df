import net from 'node:net';

const OP_MSG = 2013;
const MORE_TO_COME = 2;
// The driver's own connection checks (handshake and server monitoring), not work a request asked for.
const MONITORING = new Set(['hello', 'ismaster', 'isMaster']);

/** What the BFF asked of the database, counted on the wire since the proxy started. */
export type WireCounts = {
  /** OP_MSG messages from the BFF, the driver's own `hello`s left out. */
  messages: number;
  /** Those messages by command name (`find`, `insert`, `update`, `getMore`...). */
  commands: Record<string, number>;
  /** Messages of any other opcode (none expected from a current driver). */
  otherOpcodes: number;
  /**
   * Times the number of counted messages awaiting their reply rose from none to one: calls
   * issued together overlap and count once, calls issued one after another once each.
   */
  waves: number;
};

/**
 * The calls since the last `takeTrace`, as `command collection`, by their place in the longest
 * chain (`depth`): each call is one deeper than the deepest whose reply had arrived when it was
 * sent. Calls sent together share a depth; a call the BFF made behind an answer counts only if
 * its chain outgrows the request's, so a request's sequential round trips are at most `depth`.
 */
export type Trace = { byDepth: string[][]; depth: number };

/** Splits a byte stream into whole wire messages by the length in each 16-byte header (a chunk may hold part of one or several). */
function messages(onMessage: (message: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
      const length = pending.readInt32LE(0);
      onMessage(pending.subarray(0, length));
      pending = pending.subarray(length);
    }
  };
}

/** The command an OP_MSG carries: the first key of its body (the section of kind 0). */
function commandOf(message: Buffer): string {
  for (let at = 20; at < message.length;) {
    const kind = message[at];
    if (kind === 0) {
      const nameAt = at + 1 + 4 + 1; // kind, the document's length, the first element's type
      return message.toString('latin1', nameAt, message.indexOf(0, nameAt));
    }
    at += 1 + message.readInt32LE(at + 1); // kind 1: a document sequence, its size counting itself
  }
  return '?';
}

/** The collection (or other string argument) an OP_MSG's command names: the value of the body's first element when it is a string. */
function argumentOf(message: Buffer, command: string): string {
  for (let at = 20; at < message.length;) {
    if (message[at] === 0) {
      const typeAt = at + 1 + 4;
      if (message[typeAt] !== 0x02) return '';
      const valueAt = typeAt + 1 + command.length + 1;
      return message.toString('utf8', valueAt + 4, valueAt + 4 + message.readInt32LE(valueAt) - 1);
    }
    at += 1 + message.readInt32LE(at + 1);
  }
  return '';
}

/**
 * A TCP proxy in front of the database that holds every chunk the BFF sends for `delayMs`
 * before passing it on: each database call then costs that much more, as on a network hop to
 * a remote replica set. Chunks keep their order (same delay, timers fire in order); change the
 * delay with `setDelay` only while no call is on its way. It also counts the messages going
 * through (`counts`), and when it last saw one (`lastActivity`).
 */
export async function startLatencyProxy(
  target: { host: string; port: number },
  delayMs: number,
): Promise<{
  port: number;
  close(): Promise<void>;
  setDelay(ms: number): void;
  counts(): WireCounts;
  inFlight(): number;
  lastActivity(): number;
  takeTrace(): Trace;
}> {
  const sockets = new Set<net.Socket>();
  const counts: WireCounts = { messages: 0, commands: {}, otherOpcodes: 0, waves: 0 };
  let inFlight = 0;
  let trace: string[][] = [];
  // The deepest chain whose last reply has arrived, since the trace was last taken.
  let depth = 0;
  let lastActivity = Date.now();
  // When the trace was last taken: each traced call carries the milliseconds since (BENCH_COST_TRACE reads the critical path from them).
  let traceStart = Date.now();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      // As the driver does: a small write goes at once, not held for the previous one's acknowledgement.
      s.setNoDelay(true);
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => (s === client ? upstream : client).destroy());
    }
    // One entry per request on this connection still owed a reply: its depth, or null when not counted.
    const owed: (number | null)[] = [];
    const fromClient = messages((message) => {
      lastActivity = Date.now();
      const opCode = message.readInt32LE(12);
      if (opCode !== OP_MSG) {
        counts.otherOpcodes += 1;
        owed.push(null);
        return;
      }
      const command = commandOf(message);
      const counted = !MONITORING.has(command);
      if (counted) {
        counts.messages += 1;
        counts.commands[command] = (counts.commands[command] ?? 0) + 1;
      }
      if (message.readUInt32LE(16) & MORE_TO_COME) return; // no reply will come
      owed.push(counted ? depth + 1 : null);
      if (counted && inFlight++ === 0) counts.waves += 1;
      if (counted) (trace[depth] ??= []).push(`${command} ${argumentOf(message, command)} @${Date.now() - traceStart}`);
    });
    const fromServer = messages((message) => {
      lastActivity = Date.now();
      // A reply flagged moreToCome is followed by others to the same request (the driver's streamed monitoring).
      if (message.readInt32LE(12) === OP_MSG && message.readUInt32LE(16) & MORE_TO_COME) return;
      const replied = owed.shift();
      if (replied === undefined || replied === null) return;
      inFlight -= 1;
      depth = Math.max(depth, replied);
    });
    const forward = (chunk: Buffer) => upstream.write(chunk);
    client.on('data', (chunk) => {
      fromClient(chunk);
      if (delayMs > 0) setTimeout(() => forward(chunk), delayMs);
      else forward(chunk);
    });
    upstream.on('data', (chunk) => {
      fromServer(chunk);
      client.write(chunk);
    });
    client.on('end', () => setTimeout(() => upstream.end(), delayMs));
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    setDelay: (ms) => void (delayMs = ms),
    counts: () => ({ ...counts, commands: { ...counts.commands } }),
    inFlight: () => inFlight,
    lastActivity: () => lastActivity,
    takeTrace: () => {
      const taken = { byDepth: Array.from(trace, (calls) => calls ?? []), depth };
      trace = [];
      depth = 0;
      traceStart = Date.now();
      return taken;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export type LatencyProxy = Awaited<ReturnType<typeof startLatencyProxy>>;
