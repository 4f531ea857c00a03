/**
 * The records of an existing run store (an ingested one, or a simulated run's attempts), so its log
 * can be qualified again with other rules: `mxlab compare --rules OLD NEW STORE`. Async events
 * (the `inmail` table) are not attempts and are not read back.
 */
import type { RunStore } from '../store/index.ts';
import { runStartEpoch } from './export-postfix.ts';
import type { IngestRecord, InitialStatus } from './record.ts';

const STATUS = { delivered: 'delivered', retry: 'deferred', failed: 'bounced', expired: 'expired' } as const;

export interface StoreLog {
  records: IngestRecord[];
  initial: InitialStatus[];
  startEpoch: number;
  mode: 'legacy' | 'enhanced';
  format: string;
}

export async function readStoreLog(store: RunStore): Promise<StoreLog> {
  const startEpoch = await runStartEpoch(store);
  const meta = new Map(
    (await store.all<{ key: string; value: string }>('SELECT key, value FROM run_meta')).map((r) => [
      r.key,
      r.value,
    ]),
  );
  const rows = await store.all<{
    t: number;
    delivery_id: number;
    recipient_id: number;
    address: string;
    phase: string;
    code: number | null;
    text: string;
    enhanced: string | null;
    outcome: keyof typeof STATUS;
    mx_ip: string | null;
    local_ip: string | null;
  }>(
    `SELECT a.t, a.delivery_id, a.recipient_id, l.address, a.phase::VARCHAR AS phase, a.code, a.text, a.enhanced,
            a.outcome::VARCHAR AS outcome, a.mx_ip, a.local_ip
     FROM attempts a JOIN delivery_log l USING (delivery_id, recipient_id) ORDER BY a.t, a.delivery_id, a.recipient_id, a.attempt`,
  );
  const records: IngestRecord[] = rows.map((r) => ({
    epochMs: startEpoch + r.t,
    message: `${r.delivery_id}:${r.recipient_id}`,
    recipient: r.address,
    status: STATUS[r.outcome],
    text: r.text,
    remote: r.code !== null,
    phase: r.phase === 'dns' || r.phase === 'connect' ? null : (r.phase as IngestRecord['phase']),
    dsn: r.enhanced,
    mxIp: r.mx_ip,
    localIp: r.local_ip,
  }));
  const initial = await store.all<InitialStatus>(
    `SELECT DISTINCT address, initial_status::VARCHAR AS status, 0 AS "errorCount" FROM recipients
     WHERE initial_status <> 'valid' AND address <> ''`,
  );
  const mode = meta.get('mode') === 'enhanced' ? 'enhanced' : 'legacy';
  return { records, initial, startEpoch, mode, format: meta.get('scenario') ?? 'store' };
}
