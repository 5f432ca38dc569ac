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

export type ChangeFeed = { readonly listening: boolean; stop(): Promise<void> };

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
      if (message.channel === CONTENT_CHANGED_CHANNEL && message.payload === schema) events.onChange();
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
    async stop() {
      stopped = true;
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
