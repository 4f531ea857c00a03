/**
 * Ready routing configuration for a real MTA in front of `mxlab serve` (`--map FORMAT[=FILE]`): each
 * served domain, pattern and the catch-all goes to its fake MXs' address:port, lowest preference
 * first, so the MTA needs no DNS and the ports may change at every start.
 *
 * - `postfix`: a regexp: table for `transport_maps = regexp:FILE`. transport(5): a regexp table is
 *   applied to the entire recipient address, first match wins, and a nexthop `[address]:port` in
 *   brackets skips the MX lookup; since Postfix 3.5 the smtp nexthop may be a list separated by comma
 *   or whitespace (https://www.postfix.org/transport.5.html). Regexp (not hash) so that patterns and
 *   the catch-all fit in one file, in the order the profiles give.
 * - `exim`: a manualroute router and its smtp transport. Exim spec, "The manualroute router": a
 *   route_list is `;`-separated rules of one domain pattern and a `:`-separated host list; a host
 *   `ip::port` (the doubled colon is a literal colon in a colon list) sends to that port
 *   (https://www.exim.org/exim-html-current/doc/html/spec_html/ch-the_manualroute_router.html).
 *   Patterns become regular expressions between `\N` (no expansion inside).
 * - `kumomta`: a Lua policy snippet. KumoMTA's get_queue_config returns
 *   `kumo.make_queue_config { protocol = { smtp = { mx_list = {...} } } }` with IP literals in `[]`
 *   (https://docs.kumomta.com/reference/kumo/make_queue_config/protocol/); the port is the egress
 *   path's `smtp_port` (https://docs.kumomta.com/reference/kumo/make_egress_path/smtp_port/), one
 *   per routing domain, so a domain's mx_list holds the MX addresses on its first MX's port.
 * - `hosts`: /etc/hosts lines `ip host` for the MX host names (an MTA that resolves MX hosts through
 *   the system resolver; fake MXs on their own IPs, port 25 with `--port-base 25`).
 * - `json`: the whole map as data.
 */
import type { ServedDomain, ServeHandle } from './serve.ts';

export const MAP_FORMATS = ['postfix', 'exim', 'kumomta', 'hosts', 'json'] as const;
export type MapFormat = (typeof MAP_FORMATS)[number];

type MapInput = Pick<ServeHandle, 'domains' | 'dnsPort' | 'dnsHost' | 'bind'>;

/** One address `host:port` split. */
function split(a: string): { host: string; port: number } {
  const i = a.lastIndexOf(':');
  return { host: a.slice(0, i), port: Number(a.slice(i + 1)) };
}

/** Every address of a domain's MXs, lowest preference first. */
function addresses(d: ServedDomain): { host: string; port: number }[] {
  return d.mx.flatMap((m) => m.addresses.map(split));
}

/** The domains with an address, exact ones first, then patterns, then the catch-all (first match wins). */
function routed(h: MapInput): ServedDomain[] {
  const rank = (d: ServedDomain) => (d.domain === '*' ? 2 : d.domain.includes('*') ? 1 : 0);
  return h.domains.filter((d) => d.mx.length > 0).sort((a, b) => rank(a) - rank(b));
}

/** A glob (`*` any run of characters) as a regular expression body over a domain. */
function globRegex(glob: string, dot: string): string {
  return glob
    .split('*')
    .map((part) => part.replace(/[.^$|?+()[\]{}\\/]/g, (c) => (c === '.' ? dot : `\\${c}`)))
    .join('.*');
}

function header(h: MapInput, comment: string): string {
  return `${comment} mxlab serve map (DNS ${h.dnsHost}:${h.dnsPort}); regenerate at each start: ports change\n`;
}

function postfix(h: MapInput): string {
  let out = header(h, '#');
  out += '# main.cf: transport_maps = regexp:/path/to/this/file\n';
  for (const d of routed(h)) {
    const re = d.domain === '*' ? '/@/' : `/@${globRegex(d.domain, '\\.')}$/`;
    const hops = addresses(d).map((a) => `[${a.host}]:${a.port}`);
    out += `${re}\tsmtp:${hops.join(', ')}\n`;
  }
  return out;
}

function exim(h: MapInput): string {
  const rules = routed(h).map((d) => {
    const pattern =
      d.domain === '*' ? '*' : d.domain.includes('*') ? `\\N^${globRegex(d.domain, '[.]')}$\\N` : d.domain;
    return `${pattern} ${addresses(d)
      .map((a) => `${a.host}::${a.port}`)
      .join(' : ')}`;
  });
  return (
    header(h, '#') +
    '# routers section (before dnslookup):\n' +
    'mxlab_fake_internet:\n' +
    '  driver = manualroute\n' +
    '  transport = mxlab_smtp\n' +
    `  route_list = ${rules.join(' ;\\\n    ')}\n` +
    '  no_more\n' +
    '# transports section:\n' +
    'mxlab_smtp:\n' +
    '  driver = smtp\n'
  );
}

function lua(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function kumomta(h: MapInput): string {
  const rows = routed(h).map((d) => {
    const all = addresses(d);
    const port = all[0]!.port;
    const mx = all.filter((a) => a.port === port).map((a) => lua(`[${a.host}]`));
    const match =
      d.domain === '*' ? '.*' : `^${globRegex(d.domain, '%.').replaceAll('\\', '%').replaceAll('-', '%-')}$`;
    return `  { match = ${lua(match)}, mx_list = { ${mx.join(', ')} }, port = ${port} },`;
  });
  return (
    header(h, '--') +
    '-- first row whose Lua pattern matches the domain wins\n' +
    'local MXLAB_ROUTES = {\n' +
    `${rows.join('\n')}\n` +
    '}\n' +
    'local function mxlab_route(domain)\n' +
    '  for _, r in ipairs(MXLAB_ROUTES) do\n' +
    '    if string.match(string.lower(domain), r.match) then return r end\n' +
    '  end\n' +
    'end\n' +
    "kumo.on('get_queue_config', function(domain, tenant, campaign, routing_domain)\n" +
    '  local r = mxlab_route(routing_domain or domain)\n' +
    '  if r then\n' +
    '    return kumo.make_queue_config { protocol = { smtp = { mx_list = r.mx_list } } }\n' +
    '  end\n' +
    'end)\n' +
    "kumo.on('get_egress_path_config', function(routing_domain, egress_source, site_name)\n" +
    '  local r = mxlab_route(routing_domain)\n' +
    '  if r then\n' +
    '    return kumo.make_egress_path { smtp_port = r.port }\n' +
    '  end\n' +
    'end)\n'
  );
}

function hosts(h: MapInput): string {
  let out = header(h, '#');
  if (h.bind) out += `# every fake MX listens on ${h.bind} (--bind): route by port with another format\n`;
  const seen = new Set<string>();
  for (const d of h.domains)
    for (const m of d.mx)
      for (const a of m.addresses) {
        const line = `${split(a).host}\t${m.host}`;
        if (seen.has(line)) continue;
        seen.add(line);
        out += `${line}\n`;
      }
  return out;
}

function json(h: MapInput): string {
  return `${JSON.stringify({ dns: { host: h.dnsHost, port: h.dnsPort }, bind: h.bind, domains: h.domains }, null, 2)}\n`;
}

/** The map in `format` (see the file comment). */
export function formatRoutingMap(format: MapFormat, h: MapInput): string {
  switch (format) {
    case 'postfix':
      return postfix(h);
    case 'exim':
      return exim(h);
    case 'kumomta':
      return kumomta(h);
    case 'hosts':
      return hosts(h);
    case 'json':
      return json(h);
  }
}
