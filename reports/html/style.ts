/** The stylesheet of `report.html` (inline: the page's CSP allows inline styles and nothing else). */
export const CSS = `
:root{--fg:#0f172a;--muted:#64748b;--line:#e2e8f0;--bg:#f8fafc;--card:#fff;--accent:#2563eb;--bad:#dc2626;--good:#16a34a}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:20px 28px 12px;background:var(--card);border-bottom:1px solid var(--line)}
h1{font-size:20px;margin:0 0 4px}
h2{font-size:16px;margin:28px 0 10px}
.meta{color:var(--muted);font-size:13px}
.meta code{background:var(--bg);padding:1px 5px;border-radius:4px}
main{padding:8px 28px 40px;max-width:1240px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px;margin-top:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.card .v{font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
.card .k{color:var(--muted);font-size:12px}
.card.bad .v{color:var(--bad)}
.card.good .v{color:var(--good)}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:12px}
.charts.three{grid-template-columns:repeat(3,minmax(0,1fr))}
figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:6px;overflow:hidden}
figure svg{display:block;max-width:100%;height:auto}
figcaption{color:var(--muted);font-size:12px;padding:2px 8px 6px}
.tables{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:12px}
section.t{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:4px 12px 10px;overflow-x:auto}
section.t h3{font-size:14px;margin:10px 0 6px}
table{border-collapse:collapse;width:100%;font-size:12.5px}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600}
td{overflow-wrap:anywhere}
td.n,th.n,td.w{white-space:nowrap;overflow-wrap:normal}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.x{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
td>div.f{min-width:var(--floor)}
section.t.wide{grid-column:1/-1}
.more{color:var(--muted);font-size:12px;margin:6px 0 0}
.none{color:var(--muted);font-style:italic}
.headline{margin:10px 0 0;padding:0;list-style:none}
.headline li{margin:2px 0;font-size:14px}
.headline li.bad::before{content:"● ";color:var(--bad)}
.headline li.ok::before{content:"● ";color:var(--good)}
`;
