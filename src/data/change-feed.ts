import { randomUUID } from 'node:crypto';
import pg from 'pg';

// Every instance hears every change to public content, whoever made it: triggers on reviews,
// products and editors' names NOTIFY this channel with their schema after the transaction commits.

export const CONTENT_CHANGED_CHANNEL = 'content_changed';

export type ChangeFeedEvents = {
  /** Public content in our schema changed. */
  onChange(): void;
  /** The feed is (or is no longer) listening: while it is not, changes may be missed. */
  onListening(listening: boolean): void;
  onError(error: Error): void;
};

export type ChangeFeed = {
  readonly listening: boolean;
  /**
   * Resolves once every change committed before the call has been heard (onChange called for it):
   * a notification of our own on the listening connection comes back after them, as PostgreSQL
   * delivers notifications in commit order. At once while not listening (the cache is off then).
   */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
};

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;
/** A dead TCP peer can look alive for minutes: a cheap query on the listening connection finds out sooner. */
const HEARTBEAT_MS = 5_000;

/** LISTENs on a dedicated connection (a pooled one would lose the subscription), reconnecting with back-off. */
export function startChangeFeed(connectionString: string, schema: string, events: ChangeFeedEvents): ChangeFeed {
  let client: pg.Client | undefined;
  let listening = false;
  let stopped = false;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  /** caughtUp's own notifications not heard back yet, by payload. */
  const awaited = new Map<string, () => void>();
  const releaseAwaited = () => {
    for (const release of awaited.values()) release();
    awaited.clear();
  };

  const setListening = (value: boolean) => {
    if (listening === value) return;
    listening = value;
    events.onListening(value);
  };

  const dropConnection = (error: Error | undefined) => {
    if (heartbeat) clearInterval(heartbeat);
    const old = client;
    client = undefined;
    old?.removeAllListeners();
    old?.on('error', () => {}); // a late socket error on a connection being thrown away is expected
    void old?.end().catch(() => {});
    setListening(false);
    releaseAwaited(); // what it would have heard goes unheard: the cache is off until the feed is back
    if (error) events.onError(error);
    if (!stopped) scheduleConnect();
  };

  const scheduleConnect = () => {
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempt) * (0.5 + Math.random() / 2);
    attempt++;
    retryTimer = setTimeout(() => void connect(), delay);
    retryTimer.unref();
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString, application_name: `change-feed:${schema}`.slice(0, 63), keepAlive: true });
    client = next;
    next.on('error', (error) => dropConnection(error));
    next.on('end', () => {
      if (client === next) dropConnection(new Error('change feed connection ended'));
    });
    next.on('notification', (message) => {
      if (message.channel !== CONTENT_CHANGED_CHANNEL) return;
      const release = awaited.get(message.payload ?? '');
      if (release) {
        awaited.delete(message.payload ?? '');
        release();
      } else if (message.payload === schema) events.onChange();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CONTENT_CHANGED_CHANNEL}`);
      if (stopped || client !== next) {
        await next.end().catch(() => {});
        return;
      }
      attempt = 0;
      setListening(true);
      heartbeat = setInterval(() => {
        next.query('select 1').catch((error: Error) => {
          if (client === next) dropConnection(error);
        });
      }, HEARTBEAT_MS);
      heartbeat.unref();
    } catch (error) {
      if (client === next) dropConnection(error as Error);
    }
  };

  void connect();

  return {
    get listening() {
      return listening;
    },
    async caughtUp() {
      const current = client;
      if (!current || !listening) return;
      // another instance on the schema hears it too, and ignores it: it is not the schema's name
      const payload = `${schema} caught up ${randomUUID()}`;
      const heard = new Promise<void>((resolve) => awaited.set(payload, resolve));
      try {
        await current.query('select pg_notify($1, $2)', [CONTENT_CHANGED_CHANNEL, payload]);
      } catch {
        awaited.delete(payload);
        return; // the connection is being dropped: the cache is off until it is back
      }
      await heard;
    },
    async stop() {
      stopped = true;
      releaseAwaited();
      if (retryTimer) clearTimeout(retryTimer);
      if (heartbeat) clearInterval(heartbeat);
      const last = client;
      client = undefined;
      listening = false;
      if (last) {
        last.removeAllListeners();
        last.on('error', () => {});
        await last.end().catch(() => {});
      }
    },
  };
}
