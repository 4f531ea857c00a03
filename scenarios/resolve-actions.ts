/**
 * Resolution of the `actions:` timeline (action-schema.ts): times through the scenario's calendar
 * and before the horizon, rule paths relative to the scenario file, delivery names among the
 * scenario's deliveries. Problems go through `fail(path, message)` like every other field.
 */
import type { ScenarioAction } from './action-schema.ts';
import type { ScenarioDelivery, ScenarioParsed } from './schema.ts';

type Path = (string | number)[];

export interface ActionResolveContext {
  time: (p: Path, v: number | string) => number;
  path: (p: Path, value: string, keywords: readonly string[]) => string;
  fail: (p: Path, message: string) => void;
  format: (ms: number) => string;
}

/** The sends a `stopDelivery` name stands for (planOf's names): `name`, every `name#k`, or one `name#k`. */
export function deliveryNamesOf(name: string, deliveries: readonly ScenarioDelivery[]): string[] | null {
  const series = /^(.*)#(\d+)$/.exec(name);
  for (const d of deliveries) {
    if (d.name === name)
      return d.count > 1 ? Array.from({ length: d.count }, (_, k) => `${d.name}#${k + 1}`) : [name];
    if (series && d.name === series[1] && d.count > 1) {
      const k = Number(series[2]);
      return k >= 1 && k <= d.count ? [name] : null;
    }
  }
  return null;
}

export function resolveActions(
  input: ScenarioParsed,
  deliveries: readonly ScenarioDelivery[],
  ctx: ActionResolveContext,
): ScenarioAction[] {
  const out: ScenarioAction[] = input.actions.map((a, i) => {
    const at: Path = ['actions', i];
    const t = ctx.time([...at, 'at'], a.at);
    if (t >= input.horizon)
      ctx.fail([...at, 'at'], `${ctx.format(t)} is not before the horizon (${ctx.format(input.horizon)})`);
    switch (a.kind) {
      case 'stopDelivery':
        if (!deliveryNamesOf(a.delivery, deliveries))
          ctx.fail(
            [...at, 'delivery'],
            `unknown delivery "${a.delivery}" (known: ${deliveries.map((d) => (d.count > 1 ? `${d.name}, ${d.name}#1..${d.count}` : d.name)).join(', ')})`,
          );
        return { ...a, at: t };
      case 'startWindow':
      case 'endWindow':
        if (!input.isps.windows.some((w) => w.profile === a.profile && w.name === a.window))
          ctx.fail(
            [...at, 'window'],
            `no window "${a.window}" of profile "${a.profile}" in isps.windows (declared: ${input.isps.windows.map((w) => `${w.profile}/${w.name}`).join(', ') || 'none'})`,
          );
        return { ...a, at: t };
      case 'setRules':
        return { ...a, at: t, inbound: ctx.path([...at, 'inbound'], a.inbound, ['default']) };
      case 'reviewEntry':
        if ((a.type === undefined) !== (a.reason === undefined))
          ctx.fail(
            [...at, a.type === undefined ? 'type' : 'reason'],
            'type and reason go together: give both or neither',
          );
        return { ...a, at: t };
      default:
        return { ...a, at: t };
    }
  });
  // in time order; equal times keep the file's order
  return out
    .map((a, i) => ({ a, i }))
    .sort((x, y) => x.a.at - y.a.at || x.i - y.i)
    .map((x) => x.a);
}
