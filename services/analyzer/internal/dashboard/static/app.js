// The dashboard polls AnalyzerService with Connect's JSON protocol: one
// POST per unary RPC, the request message as the JSON body.
"use strict";

const service = "/bluestream.analyzer.v1.AnalyzerService/";
const pollMs = 2000;

async function call(method, request) {
  const res = await fetch(service + method, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(request || {}),
  });
  const body = await res.json();
  if (!res.ok) {
    throw new Error(method + ": " + (body.message || res.status));
  }
  return body;
}

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  row.appendChild(td);
  return td;
}

function replaceRows(tbody, rows) {
  tbody.replaceChildren(...rows);
}

function age(iso) {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 120) return seconds + " s";
  if (seconds < 7200) return Math.round(seconds / 60) + " min";
  return Math.round(seconds / 3600) + " h";
}

function category(c) {
  return (c || "SUBJECT_CATEGORY_UNKNOWN").replace("SUBJECT_CATEGORY_", "").toLowerCase();
}

function renderZones(res) {
  const rows = (res.zones || []).map((z) => {
    const tr = document.createElement("tr");
    tr.dataset.zone = z.zone;
    cell(tr, z.zone);
    cell(tr, String(z.present || 0)).className = "present";
    cell(tr, String(z.peak || 0));
    cell(tr, z.employeesWithheld ? "some employees withheld (fewer than k)" : "").className = "muted";
    return tr;
  });
  replaceRows(document.querySelector("#zones tbody"), rows);
  const fresh = document.getElementById("freshness");
  if (res.asOf) {
    fresh.textContent = "newest event " + age(res.asOf) + " ago (" + res.asOf + ")";
    fresh.className = Date.now() - Date.parse(res.asOf) > 60000 ? "stale" : "muted";
  }
}

function renderDevices(res) {
  const rows = (res.devices || []).map((d) => {
    const tr = document.createElement("tr");
    tr.dataset.device = d.devicePseudonym;
    cell(tr, d.devicePseudonym);
    cell(tr, category(d.category));
    cell(tr, d.zone || "");
    cell(tr, d.batteryPercent === undefined ? "" : d.batteryPercent + " %");
    cell(tr, (d.measurements || []).map((m) => m.quantity + " " + m.value + (m.unit ? " " + m.unit : "")).join(", ")).className = "readings";
    cell(tr, d.lastSeen ? age(d.lastSeen) + " ago" : "");
    return tr;
  });
  replaceRows(document.querySelector("#devices tbody"), rows);
}

function renderAlerts(res) {
  const items = (res.alerts || []).map((a) => {
    const li = document.createElement("li");
    li.dataset.alert = a.alertId;
    li.className = (a.severity || "").replace("SEVERITY_", "").toLowerCase();
    const subject = a.devicePseudonym || a.gatewayId;
    li.textContent = a.rule + " · " + subject + (a.zone ? " in " + a.zone : "") + ": " + a.message;
    return li;
  });
  const list = document.getElementById("alerts");
  list.replaceChildren(...items);
  if (items.length === 0) {
    const li = document.createElement("li");
    li.className = "muted";
    li.textContent = "none";
    list.appendChild(li);
  }
}

async function refresh() {
  const error = document.getElementById("error");
  try {
    const [zones, devices, alerts] = await Promise.all([
      call("GetZoneOccupancy", { windowSeconds: 300 }),
      call("ListDevices", { pageSize: 200 }),
      call("ListAlerts", { pageSize: 100 }),
    ]);
    renderZones(zones);
    renderDevices(devices);
    renderAlerts(alerts);
    error.hidden = true;
  } catch (err) {
    error.textContent = String(err);
    error.hidden = false;
  }
}

refresh();
setInterval(refresh, pollMs);
