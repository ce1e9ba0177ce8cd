/**
 * The operations dashboard: one static page (no patient data anywhere) that reads the operations
 * summary every few seconds. Served by the hub's operator API at GET /dashboard (it asks for the
 * operator's credential and reads ./ops/summary with it), and by the local province at / (reading
 * the province's loopback-only summary, no sign-in).
 */
export interface DashboardOptions {
  /** Where the page reads the summary without signing in (the local province); omitted: ./ops/summary with the operator credential */
  localSummaryUrl?: string;
}

export const dashboardPage = ({ localSummaryUrl }: DashboardOptions = {}): string => `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hebei Health Cloud · 河北健康云 operations</title>
<style>
  :root { --bg:#f5f7fa; --card:#fff; --ink:#1d2733; --muted:#66768a; --ok:#1a9b6c; --warn:#d98a00; --bad:#c8372d; --bar:#dde5ee; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.4 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Noto Sans CJK SC", sans-serif; background:var(--bg); color:var(--ink); }
  header { display:flex; align-items:baseline; gap:16px; padding:14px 24px; background:#0f3d5e; color:#fff; }
  header h1 { font-size:18px; margin:0; font-weight:600; }
  header .sub { opacity:.8; }
  header .upd { margin-left:auto; opacity:.8; font-variant-numeric: tabular-nums; }
  main { display:grid; grid-template-columns: repeat(12, 1fr); gap:16px; padding:16px 24px; }
  .card { background:var(--card); border-radius:8px; padding:14px 16px; box-shadow:0 1px 2px rgba(0,0,0,.06); }
  .span3 { grid-column: span 3; } .span4 { grid-column: span 4; } .span6 { grid-column: span 6; } .span8 { grid-column: span 8; } .span12 { grid-column: span 12; }
  .kpi .v { font-size:30px; font-weight:650; font-variant-numeric: tabular-nums; }
  .kpi .l { color:var(--muted); }
  table { width:100%; border-collapse:collapse; font-variant-numeric: tabular-nums; }
  th, td { text-align:left; padding:5px 6px; border-bottom:1px solid #edf1f5; }
  th { color:var(--muted); font-weight:500; }
  td.n, th.n { text-align:right; }
  .bar { position:relative; height:10px; background:var(--bar); border-radius:5px; overflow:hidden; min-width:120px; }
  .bar i { position:absolute; left:0; top:0; bottom:0; background:var(--ok); }
  .bar b { position:absolute; left:0; top:0; bottom:0; background:#0f3d5e; opacity:.55; }
  .bad { color:var(--bad); font-weight:650; } .ok { color:var(--ok); }
  svg.spark { width:100%; height:38px; }
  #signin { max-width:420px; margin:80px auto; }
  #signin input { width:100%; padding:8px; margin:8px 0; font:inherit; }
  .err { color:var(--bad); }
  .legend i, .legend b { display:inline-block; width:10px; height:10px; border-radius:2px; margin:0 4px 0 10px; }
  .legend i { background:var(--ok); } .legend b { background:#0f3d5e; opacity:.55; }
</style>
</head>
<body>
<header><h1>Hebei Health Cloud · 河北健康云</h1><span class="sub">province operations</span><span class="upd" data-testid="updated-at">connecting…</span></header>
<div id="signin" class="card" hidden>
  <h2>Operator sign-in</h2>
  <p>The dashboard reads the hub's operations summary with the operator credential. It is kept only in this browser tab.</p>
  <form id="signin-form"><input id="token" type="password" autocomplete="off" placeholder="operator credential"><button>Sign in</button></form>
  <p class="err" id="signin-error"></p>
</div>
<main id="board" hidden>
  <section class="card kpi span3"><div class="v"><span data-testid="connected-total">–</span> <small>of <span data-testid="hospitals-total">–</span></small></div><div class="l">hospitals connected (heartbeat in the window)</div></section>
  <section class="card kpi span3"><div class="v"><span data-testid="exchanging-total">–</span> <small>of <span data-testid="hospitals-total-2">–</span></small></div><div class="l">hospitals exchanging (patient data in 24 h)</div></section>
  <section class="card kpi span3"><div class="v" data-testid="documents-per-minute">–</div><div class="l">documents / min</div><svg class="spark" id="spark-documents"></svg></section>
  <section class="card kpi span3"><div class="v" data-testid="claims-per-minute">–</div><div class="l">claims settled / min</div><svg class="spark" id="spark-claims"></svg></section>
  <section class="card span8">
    <h3>Cities <span class="legend"><i></i>connected<b></b>exchanging</span></h3>
    <table><thead><tr><th>city</th><th class="n">hospitals</th><th class="n">connected</th><th class="n">exchanging</th><th></th></tr></thead><tbody id="cities"></tbody></table>
  </section>
  <section class="card span4">
    <h3>Activity, last minute</h3>
    <table><tbody>
      <tr><td>patients registered</td><td class="n" data-testid="patients-per-minute">–</td></tr>
      <tr><td>documents published</td><td class="n" data-testid="documents-per-minute-2">–</td></tr>
      <tr><td>encounters recorded</td><td class="n" data-testid="encounters-per-minute">–</td></tr>
      <tr><td>documents retrieved</td><td class="n" data-testid="retrievals-per-minute">–</td></tr>
      <tr><td>claims settled</td><td class="n" data-testid="claims-per-minute-2">–</td></tr>
      <tr><td>drug codes resolved</td><td class="n" data-testid="drug-lookups-per-minute">–</td></tr>
      <tr><td>implants recorded / device recalls, last 15 min</td><td class="n"><span data-testid="implants-15min">–</span> / <span data-testid="device-recalls-15min">–</span></td></tr>
    </tbody></table>
    <h3>Settlement today (CST)</h3>
    <table><tbody>
      <tr><td>claims / reversals</td><td class="n"><span data-testid="settlement-claims">–</span> / <span data-testid="settlement-reversals">–</span></td></tr>
      <tr><td>fund paid</td><td class="n" data-testid="settlement-fund">–</td></tr>
      <tr><td>patients paid</td><td class="n" data-testid="settlement-patient">–</td></tr>
    </tbody></table>
    <h3>Master patient index</h3>
    <table><tbody>
      <tr><td>awaiting review</td><td class="n" data-testid="mpi-review">–</td></tr>
      <tr><td>reviews answered by later registrations, last 15 min</td><td class="n" data-testid="mpi-reviews-answered-15min">–</td></tr>
      <tr><td>links put in doubt by later registrations (to review), last 15 min</td><td class="n" data-testid="mpi-doubts-raised-15min">–</td></tr>
    </tbody></table>
    <h3>Privacy</h3>
    <table><tbody>
      <tr><td>break-the-glass awaiting review</td><td class="n" data-testid="break-glass-unreviewed">–</td></tr>
      <tr><td>overdue (72 h)</td><td class="n" data-testid="break-glass-overdue">–</td></tr>
      <tr><td>practitioners past <span data-testid="read-volume-threshold">–</span> reads/h</td><td class="n" data-testid="read-volume-alerts">–</td></tr>
    </tbody></table>
  </section>
  <section class="card span12">
    <h3>Health card today (CST) · card-based visits <span data-testid="card-visit-rate">–</span></h3>
    <table><thead><tr><th>city</th><th class="n">cards issued</th><th class="n">verified</th><th class="n">refused</th><th>by care step (accepted / refused)</th><th class="n">encounters</th><th class="n">by card</th><th class="n">visit rate</th></tr></thead><tbody id="health-card"></tbody></table>
  </section>
  <section class="card span12">
    <h3>Public health, <span data-testid="public-health-month">no month counted yet</span> <small>(each bar: the city's count as a share of the province's largest)</small></h3>
    <table><thead><tr><th>city</th><th>figures</th></tr></thead><tbody id="public-health"></tbody></table>
  </section>
  <section class="card span12">
    <h3>Telemedicine today (UTC) · closed loop <span data-testid="telemedicine-closed-loop">–</span> · no-shows <span data-testid="telemedicine-no-shows">–</span></h3>
    <table><thead><tr><th>requester tier</th><th class="n">requests</th><th class="n">assigned in time</th><th class="n">accepted in time</th><th class="n">turnaround p50 / p90 (min)</th><th class="n">re-dispatches</th><th class="n">escalations</th><th class="n">no-shows</th><th class="n">closed loop</th></tr></thead><tbody id="telemedicine"></tbody></table>
  </section>
  <section class="card span12">
    <h3>Queues · dead letters: <span data-testid="dead-letters-total">–</span></h3>
    <table><thead><tr><th>node</th><th>queue</th><th class="n">waiting</th><th class="n">in flight</th><th class="n">dead letters</th></tr></thead><tbody id="queues"></tbody></table>
  </section>
</main>
<script>
const LOCAL_SUMMARY = ${JSON.stringify(localSummaryUrl ?? null)};
const $ = (id) => document.querySelector('[data-testid="' + id + '"]') || document.getElementById(id);
const set = (id, v) => { const e = $(id); if (e) e.textContent = v; };
const yuan = (fen) => { const s = String(Math.abs(fen)).padStart(3, "0"); return (fen < 0 ? "-" : "") + "¥" + Number(s.slice(0, -2)).toLocaleString("en-US") + "." + s.slice(-2); };
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
function spark(id, values) {
  const svg = document.getElementById(id); if (!svg) return;
  const max = Math.max(1, ...values), w = 100, h = 30;
  const pts = values.map((v, i) => (i * w / Math.max(1, values.length - 1)).toFixed(1) + "," + (h - v * h / max).toFixed(1)).join(" ");
  svg.setAttribute("viewBox", "0 0 " + w + " " + h); svg.setAttribute("preserveAspectRatio", "none");
  svg.innerHTML = '<polyline fill="none" stroke="#0f3d5e" stroke-width="1.5" points="' + pts + '"/>';
}
function render(s) {
  const total = s.hospitals.total ?? 0;
  set("connected-total", s.hospitals.connected ?? 0); set("exchanging-total", s.hospitals.exchanging ?? 0);
  set("hospitals-total", total); set("hospitals-total-2", total);
  const a = s.activity;
  set("documents-per-minute", a.documents.perMinute); set("documents-per-minute-2", a.documents.perMinute);
  set("claims-per-minute", a.claims.perMinute); set("claims-per-minute-2", a.claims.perMinute);
  set("patients-per-minute", a.patients.perMinute); set("encounters-per-minute", a.encounters.perMinute); set("retrievals-per-minute", a.retrievals.perMinute);
  set("drug-lookups-per-minute", a.drugLookups.perMinute);
  const last15 = (m) => m ? m.lastMinutes.reduce((x, y) => x + y, m.thisMinute) : 0;
  set("implants-15min", last15(a.implants)); set("device-recalls-15min", last15(a.deviceRecalls));
  set("mpi-reviews-answered-15min", last15(a.reviewsAnswered));
  set("mpi-doubts-raised-15min", last15(a.doubtsRaised));
  spark("spark-documents", a.documents.lastMinutes); spark("spark-claims", a.claims.lastMinutes);
  document.getElementById("cities").innerHTML = s.cities.map((c) => {
    const t = c.total || 1, ex = c.exchanging ?? 0;
    return '<tr data-testid="city-' + esc(c.cityId) + '" data-connected="' + c.connected + '" data-exchanging="' + ex + '"><td>' + esc(c.nameZh) + ' <small>' + esc(c.cityId) + '</small></td><td class="n">' + c.total + '</td><td class="n">' + c.connected + '</td><td class="n">' + ex + '</td><td><div class="bar"><i style="width:' + (100 * c.connected / t) + '%"></i><b style="width:' + (100 * ex / t) + '%"></b></div></td></tr>';
  }).join("");
  document.getElementById("queues").innerHTML = s.queues.filter((q) => q.deployed).map((q) =>
    '<tr data-testid="queue-' + esc(q.nodeId) + '-' + esc(q.queueId) + '"><td>' + esc(q.nodeId) + '</td><td>' + esc(q.queueId) + '</td><td class="n">' + q.depth + '</td><td class="n">' + q.inFlight + '</td><td class="n ' + (q.deadLetters ? "bad" : "ok") + '">' + q.deadLetters + '</td></tr>').join("");
  const dl = $("dead-letters-total"); dl.textContent = s.deadLetters; dl.className = s.deadLetters ? "bad" : "ok";
  const st = s.settlement;
  set("settlement-claims", st ? st.claims : "–"); set("settlement-reversals", st ? st.reversals : "–");
  set("settlement-fund", st ? yuan(st.fundFen) : "–"); set("settlement-patient", st ? yuan(st.patientFen) : "–");
  set("mpi-review", s.mpiReviewQueue);
  const pv = s.privacy;
  set("break-glass-unreviewed", pv ? pv.breakGlassUnreviewed : "–"); set("break-glass-overdue", pv ? pv.breakGlassOverdue : "–");
  set("read-volume-threshold", pv ? pv.readVolumeThreshold : "–");
  set("read-volume-alerts", pv ? new Set(pv.readVolumeAlerts.map((a) => a.hospitalId + "/" + a.practitionerId)).size : "–");
  renderHealthCard(s.healthCard);
  renderPublicHealth(s.publicHealth);
  renderTelemedicine(s.telemedicine);
  set("updated-at", "updated " + new Date(s.generatedAt).toLocaleTimeString("zh-CN", { hour12: false }));
  document.body.dataset.generatedAt = s.generatedAt;
}
const pct = (byCard, encounters) => encounters ? (100 * byCard / encounters).toFixed(1) + "%" : "–";
function renderHealthCard(hc) {
  const body = document.getElementById("health-card"); if (!body) return;
  if (!hc) { body.innerHTML = ""; set("card-visit-rate", "–"); return; }
  let encounters = 0, byCard = 0;
  body.innerHTML = hc.cities.map((c) => {
    let ok = 0, refused = 0; const steps = [];
    for (const [step, outcomes] of Object.entries(c.verifications)) {
      const a = outcomes.accepted ?? 0, r = Object.values(outcomes).reduce((n, v) => n + v, 0) - a;
      ok += a; refused += r; steps.push(esc(step) + " " + a + "/" + r);
    }
    encounters += c.visits.encounters; byCard += c.visits.byCard;
    return '<tr data-testid="card-city-' + esc(c.cityId) + '" data-issued="' + c.issued + '" data-verified="' + ok + '" data-refused="' + refused + '" data-encounters="' + c.visits.encounters + '" data-by-card="' + c.visits.byCard + '"><td>' + esc(c.cityId) + '</td><td class="n">' + c.issued + '</td><td class="n">' + ok + '</td><td class="n">' + refused + '</td><td><small>' + steps.join(" · ") + '</small></td><td class="n">' + c.visits.encounters + '</td><td class="n">' + c.visits.byCard + '</td><td class="n">' + pct(c.visits.byCard, c.visits.encounters) + '</td></tr>';
  }).join("");
  set("card-visit-rate", pct(byCard, encounters));
}
// a small bar chart per city: one bar per indicator, scaled to the largest city's count of it
const PH = ["notifiable-cases", "births", "prenatal-visits", "deliveries", "child-health-checks", "hypertension-follow-ups", "diabetes-follow-ups", "tcm-outpatient-visits"];
function renderPublicHealth(ph) {
  const body = document.getElementById("public-health"); if (!body) return;
  if (!ph) { body.innerHTML = ""; return; }
  set("public-health-month", ph.month);
  const max = Object.fromEntries(PH.map((k) => [k, Math.max(1, ...ph.cities.map((c) => c.figures[k] ?? 0))]));
  body.innerHTML = ph.cities.map((c) => {
    const bars = PH.map((k, i) => {
      const v = c.figures[k] ?? 0, h = 28 * v / max[k];
      return '<rect x="' + (i * 22) + '" y="' + (30 - h).toFixed(1) + '" width="18" height="' + h.toFixed(1) + '" fill="#0f3d5e"><title>' + esc(k) + ": " + v + '</title></rect>';
    }).join("");
    const attrs = PH.map((k) => ' data-' + k + '="' + (c.figures[k] ?? 0) + '"').join("");
    return '<tr data-testid="ph-city-' + esc(c.cityId) + '"' + attrs + '><td>' + esc(c.cityId) + '</td><td><svg width="176" height="30" viewBox="0 0 176 30">' + bars + '</svg> <small>' + PH.map((k) => esc(k) + " " + (c.figures[k] ?? 0)).join(" · ") + '</small></td></tr>';
  }).join("");
}
const pctOf = (v) => v === null || v === undefined ? "–" : v + "%";
function renderTelemedicine(tm) {
  const body = document.getElementById("telemedicine"); if (!body) return;
  set("telemedicine-closed-loop", tm ? pctOf(tm.total.closedLoopPct) : "–"); set("telemedicine-no-shows", tm ? tm.total.noShows : "–");
  body.innerHTML = tm ? tm.tiers.map((r) => '<tr data-testid="telemedicine-tier-' + esc(r.tier) + '" data-requests="' + r.requests + '" data-no-shows="' + r.noShows + '"><td>' + esc(r.tier) + '</td><td class="n">' + r.requests + '</td><td class="n">' + pctOf(r.assignedWithinDeadlinePct) + '</td><td class="n">' + pctOf(r.acceptedWithinDeadlinePct) + '</td><td class="n">' + (r.turnaroundMinutes.p50 ?? "–") + " / " + (r.turnaroundMinutes.p90 ?? "–") + '</td><td class="n">' + r.redispatches + '</td><td class="n">' + r.escalations + '</td><td class="n">' + r.noShows + '</td><td class="n">' + pctOf(r.closedLoopPct) + '</td></tr>').join("") : "";
}
async function refresh() {
  const token = sessionStorage.getItem("hhc-operator");
  const res = await fetch(LOCAL_SUMMARY ?? "ops/summary", { headers: LOCAL_SUMMARY ? {} : { authorization: "Bearer " + token }, cache: "no-store" });
  if (res.status === 401 || res.status === 403) { sessionStorage.removeItem("hhc-operator"); return showSignin("The credential was refused."); }
  if (!res.ok) throw new Error("summary " + res.status);
  document.getElementById("board").hidden = false;
  render(await res.json());
}
function showSignin(message) {
  document.getElementById("board").hidden = true; document.getElementById("signin").hidden = false;
  document.getElementById("signin-error").textContent = message || "";
}
document.getElementById("signin-form").addEventListener("submit", (e) => {
  e.preventDefault(); sessionStorage.setItem("hhc-operator", document.getElementById("token").value.trim());
  document.getElementById("signin").hidden = true; refresh().catch(() => {});
});
async function loop() {
  try { if (LOCAL_SUMMARY || sessionStorage.getItem("hhc-operator")) await refresh(); else showSignin(); }
  catch (e) { set("updated-at", "summary unavailable, retrying"); }
  setTimeout(loop, 2000);
}
loop();
</script>
</body>
</html>
`;
