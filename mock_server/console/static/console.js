// The mock's console: a client of its control API under /_mock (the same calls work with curl). Same origin only;
// every write sends a JSON body as application/json. Data reaches the page through textContent, never as HTML.
"use strict";

const API = "/_mock";
const TOKEN_KEY = "mock-control-token";
const MAX_ROWS = 500;
const state = { lastId: 0, rows: [], inbox: "demo", flight: null, paused: false };
const $ = (selector) => document.querySelector(selector);

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  return node;
}

class Unauthorised extends Error {}

async function call(method, path, body) {
  const headers = { Accept: "application/json" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = "Bearer " + token;
  const options = { method, headers, cache: "no-store", credentials: "omit" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    if (body !== undefined) options.body = JSON.stringify(body);
  }
  const response = await fetch(API + path, options);
  if (response.status === 401) throw new Unauthorised();
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error((data && data.detail) || response.status + " " + response.statusText);
  return data;
}

function say(message, isError) {
  const status = $("#status");
  status.textContent = message;
  status.className = isError ? "error" : "";
}

function askForToken(wrong) {
  state.paused = true;
  $("#console").hidden = true;
  $("#token-form").hidden = false;
  $("#token-error").textContent = wrong ? "That token was refused." : "";
  $("#token").focus();
}

// Runs an action from a form or button: reports what failed instead of failing silently.
async function act(action, done) {
  try {
    const result = await action();
    if (done) say(done);
    return result;
  } catch (error) {
    if (error instanceof Unauthorised) askForToken(Boolean(sessionStorage.getItem(TOKEN_KEY)));
    else say(error.message, true);
    return undefined;
  }
}

function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

function onSubmit(selector, handler) {
  $(selector).addEventListener("submit", (event) => {
    event.preventDefault();
    handler(event.target);
  });
}

// -- journal ---------------------------------------------------------------------------------------------------
function apiOf(path) {
  if (path.startsWith("/v2/") || path === "/v2") return "garuda";
  if (/^\/(flights\/v1|subscriptions)(\/|$)/.test(path)) return "flightsayer";
  return "none";
}

function shown(entry, filters) {
  if (filters.api && (filters.api === "none" ? entry.operation !== null : apiOf(entry.path) !== filters.api)) {
    return false;
  }
  if (filters.status === "fault" ? !entry.fault
    : filters.status && String(entry.status || "").charAt(0) !== filters.status) return false;
  const text = (filters.text || "").toLowerCase();
  if (!text) return true;
  const query = new URLSearchParams(Object.entries(entry.query).flatMap(([k, vs]) => vs.map((v) => [k, v])));
  return [entry.method, entry.path, entry.operation || "", String(entry.status), query.toString()]
    .some((field) => field.toLowerCase().includes(text));
}

function journalRow(entry) {
  const row = el("tr");
  row.dataset.status = String(entry.status || "none").charAt(0);
  row.append(el("td", entry.time.slice(11, 23)), el("td", entry.method));
  const query = new URLSearchParams(Object.entries(entry.query).flatMap(([k, vs]) => vs.map((v) => [k, v])));
  const open = el("button", entry.path + (query.toString() ? "?" + query : ""), { type: "button", class: "link" });
  open.addEventListener("click", () => showRequest(entry.id));
  const path = el("td");
  path.append(open);
  const status = el("td", entry.status === null ? "closed" : entry.status + (entry.fault ? " (fault)" : ""));
  status.className = "status-" + row.dataset.status;
  row.append(path, el("td", entry.operation || "—"), status, el("td", entry.latency_ms.toFixed(1) + " ms"));
  return row;
}

function renderJournal() {
  const filters = formValues($("#journal-filters"));
  const body = $("#journal-table tbody");
  const rows = state.rows.filter((entry) => shown(entry, filters)).reverse().map(journalRow);
  body.replaceChildren(...rows);
  $("#journal-empty").hidden = state.rows.length > 0;
}

async function pollJournal() {
  const data = await call("GET", "/requests?after=" + state.lastId);
  if (!data.requests.length) return;
  state.rows = state.rows.concat(data.requests).slice(-MAX_ROWS);
  state.lastId = data.requests[data.requests.length - 1].id;
  renderJournal();
}

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

// What a refusal says, in either API's error format (Garuda's message, DRF's detail or per-field lists).
function refusalMessages(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return [];
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return [];
  if (typeof body.message === "string") return [body.message];
  if (typeof body.detail === "string") return [body.detail];
  return Object.entries(body).flatMap(([field, messages]) =>
    (Array.isArray(messages) ? messages : [messages]).map((message) => field + ": " + message));
}

function bodyText(body, kept) {
  if (!kept) return "(bodies are not being kept: tick \u201cKeep bodies\u201d, then repeat the request)";
  if (!body.text) return "(empty)";
  return pretty(body.text) + (body.truncated ? "\n\u2026 (cut at 16 KiB)" : "");
}

async function showRequest(id) {
  const entry = await act(() => call("GET", "/requests/" + id));
  if (!entry) return;
  const kept = entry.request_body !== null;
  $("#detail-h").textContent = entry.method + " " + entry.path + " \u2192 " + (entry.status ?? "closed")
    + (entry.operation ? " (" + entry.operation + ")" : "");
  const messages = entry.status >= 400 && kept ? refusalMessages(entry.response_body.text) : [];
  $("#detail-messages").replaceChildren(...messages.map((message) => el("li", message)));
  $("#detail-request").textContent = bodyText(entry.request_body, kept);
  $("#detail-response").textContent = bodyText(entry.response_body, kept);
  const detail = $("#request-detail");
  detail.hidden = false;
  detail.focus();
}

// -- push notifications ----------------------------------------------------------------------------------------
async function pollPush() {
  const [subscribed, deliveries] = await Promise.all([
    call("GET", "/flights?subscribed=true&limit=200"), call("GET", "/deliveries?limit=100")]);
  const items = subscribed.flights.flatMap((flight) => flight.subscribers.map((sub) =>
    el("li", flight.flight_id + " (" + flight.state + ") \u2192 " + sub.target + " for " + sub.username)));
  $("#subscriptions").replaceChildren(...(items.length ? items : [el("li", "None.", { class: "muted" })]));
  const rows = deliveries.deliveries.slice().reverse().map((d) => {
    const row = el("tr");
    const outcome = d.outcome + (d.status !== null ? " " + d.status : "") + (d.error ? ": " + d.error : "");
    const cell = el("td", outcome, { class: d.outcome === "delivered" ? "status-2" : "status-5" });
    row.append(el("td", d.time.slice(11, 23)), el("td", d.flight_id), el("td", d.target), el("td", d.attempt),
      cell, el("td", d.latency_ms === null ? "—" : d.latency_ms.toFixed(1) + " ms"));
    return row;
  });
  $("#deliveries-table tbody").replaceChildren(...rows);
}

// -- inboxes ---------------------------------------------------------------------------------------------------
function inboxUrl(name) {
  return location.origin + API + "/inbox/" + encodeURIComponent(name);
}

async function pollInboxes() {
  const [all, box] = await Promise.all([call("GET", "/inbox"), call("GET", "/inbox/" + state.inbox)]);
  $("#inbox-url").textContent = inboxUrl(state.inbox);
  $("#inbox-names").replaceChildren(...all.inboxes.map((inbox) => {
    const item = el("li");
    const open = el("button", inbox.name + " (" + inbox.received + ")", { type: "button", class: "link" });
    open.addEventListener("click", () => { state.inbox = inbox.name; act(pollInboxes); });
    item.append(open);
    return item;
  }));
  const messages = box.messages.slice().reverse().map((message) => {
    const item = el("li");
    const type = message.headers.find(([name]) => name.toLowerCase() === "content-type");
    item.append(el("p", message.time + " \u00b7 " + message.method + " \u00b7 " + (type ? type[1] : "no type")
      + " \u00b7 " + message.bytes + " bytes", { class: "muted" }), el("pre", pretty(message.body)));
    return item;
  });
  $("#inbox-messages").replaceChildren(...(messages.length ? messages
    : [el("li", "Nothing has arrived in \u201c" + state.inbox + "\u201d yet.", { class: "muted" })]));
}

// -- clock and flights -----------------------------------------------------------------------------------------
async function pollClock() {
  const clock = await call("GET", "/clock");
  $("#clock-now").textContent = clock.now;
  $("#clock-mode").textContent = clock.mode + (clock.speed ? " \u00d7" + clock.speed : "");
  $("#clock-next").textContent = clock.next_event || "none";
}

async function searchFlights() {
  const values = formValues($("#flight-search"));
  const query = new URLSearchParams({ limit: "100" });
  for (const name of ["departure_airport", "arrival_airport"]) if (values[name]) query.set(name, values[name]);
  if (values.subscribed) query.set("subscribed", "true");
  const found = await call("GET", "/flights?" + query);
  const pick = $("#flight-pick");
  pick.replaceChildren(...found.flights.map((flight) => el("option",
    flight.flight_id + " \u00b7 " + flight.departure_airport + "\u2192" + flight.arrival_airport + " \u00b7 "
    + flight.scheduled_departure.slice(0, 16).replace("T", " ") + " \u00b7 " + flight.state
    + (flight.subscribers.length ? " \u00b7 subscribed" : ""), { value: flight.flight_id })));
  const listed = found.total > found.flights.length ? ", first " + found.flights.length + " listed" : "";
  say(found.total + (found.total === 1 ? " flight matches" : " flights match") + listed);
  if (state.flight && found.flights.some((flight) => flight.flight_id === state.flight)) pick.value = state.flight;
}

async function showEvents() {
  if (!state.flight) return;
  const data = await call("GET", "/flights/" + encodeURIComponent(state.flight) + "/events");
  const items = data.events.map((event) => el("li", Object.entries(event)
    .map(([name, value]) => name + ": " + (typeof value === "object" ? JSON.stringify(value) : value)).join(", ")));
  $("#flight-events").replaceChildren(...(items.length ? items : [el("li", "None planned.", { class: "muted" })]));
}

async function forceEvent(form) {
  if (!state.flight) {
    say("Pick a flight first.", true);
    $("#flight-pick").focus();
    return;
  }
  const values = formValues(form);
  const body = { kind: values.kind };
  if (values.kind === "delay") body.minutes = Number(values.minutes);
  if (values.kind === "gate") {
    body.side = values.side;
    for (const name of ["gate", "terminal"]) if (values[name]) body[name] = values[name];
    if (values.side === "arrival" && values.baggage_claim) body.baggage_claim = values.baggage_claim;
  }
  await act(() => call("POST", "/flights/" + encodeURIComponent(state.flight) + "/events", body),
    values.kind + " applied to " + state.flight);
  await act(showEvents);
  await act(searchFlights);
}

// -- latency, faults, reset ------------------------------------------------------------------------------------
async function loadOperations() {
  const spec = await call("GET", "/openapi.json");
  const operations = spec.components.schemas.Operation.enum;
  for (const select of document.querySelectorAll("select.operations")) {
    select.querySelectorAll("option:not([value=''])").forEach((option) => option.remove());
    select.append(...operations.map((operation) => el("option", operation, { value: operation })));
  }
}

async function pollRules() {
  const [latency, faults] = await Promise.all([call("GET", "/latency"), call("GET", "/faults")]);
  $("#latency-rules").replaceChildren(...latency.rules.map((rule) => el("li",
    (rule.operation || "every operation") + ": " + (rule.min_ms === rule.max_ms ? rule.min_ms
      : rule.min_ms + "\u2013" + rule.max_ms) + " ms")));
  $("#fault-list").replaceChildren(...faults.faults.map((fault) => el("li",
    fault.operation + ": " + (fault.action === "hangup" ? "hang up" : fault.status) + ", "
    + fault.remaining + " more time(s)")));
}

// -- wiring ----------------------------------------------------------------------------------------------------
function wire() {
  const filters = $("#journal-filters");
  filters.addEventListener("input", renderJournal);
  filters.addEventListener("submit", (event) => event.preventDefault());
  filters.elements.bodies.addEventListener("change", (event) =>
    act(() => call("PUT", "/journal", { bodies: event.target.checked }),
      event.target.checked ? "Request and response bodies are kept from now on." : "Bodies are no longer kept."));
  $("#journal-clear").addEventListener("click", () => act(async () => {
    await call("DELETE", "/requests");
    state.rows = [];
    renderJournal();
  }, "Journal cleared."));
  $("#detail-close").addEventListener("click", () => { $("#request-detail").hidden = true; });

  onSubmit("#flight-search", () => act(searchFlights));
  $("#flight-pick").addEventListener("change", (event) => {
    state.flight = event.target.value;
    act(showEvents);
  });
  onSubmit("#flight-event", forceEvent);
  onSubmit("#clock-advance", (form) => act(async () => {
    const moved = await call("POST", "/clock", { advance: formValues(form).advance });
    await pollClock();
    return moved;
  }, "Clock advanced."));
  onSubmit("#clock-speed", (form) => act(() => call("POST", "/clock", { speed: Number(formValues(form).speed) })
    .then(pollClock), "Clock running."));
  $("#clock-stop").addEventListener("click", () => act(() => call("POST", "/clock", { speed: 0 }).then(pollClock),
    "Clock stopped."));

  onSubmit("#inbox-open", (form) => {
    state.inbox = formValues(form).name;
    act(pollInboxes);
  });
  onSubmit("#latency-form", (form) => {
    const values = formValues(form);
    const body = { fixed_ms: Number(values.fixed_ms) };
    if (values.operation) body.operation = values.operation;
    act(() => call("PUT", "/latency", body).then(pollRules), "Delay set.");
  });
  $("#latency-clear").addEventListener("click", () => act(() => call("DELETE", "/latency").then(pollRules),
    "Delays cleared."));
  onSubmit("#fault-form", (form) => {
    const values = formValues(form);
    const body = { operation: values.operation, count: Number(values.count) };
    if (values.hangup) body.action = "hangup";
    else body.status = Number(values.status);
    act(() => call("POST", "/faults", body).then(pollRules), "Fault added.");
  });
  $("#faults-clear").addEventListener("click", () => act(() => call("DELETE", "/faults").then(pollRules),
    "Faults cleared."));
  onSubmit("#reset-form", () => act(() => call("POST", "/reset", {}).then(searchFlights), "Data reset."));

  onSubmit("#token-form", (form) => {
    sessionStorage.setItem(TOKEN_KEY, formValues(form).token);
    $("#token-form").hidden = true;
    $("#console").hidden = false;
    start();
  });
}

const POLLS = [[pollJournal, 1000], [pollPush, 1500], [pollInboxes, 1500], [pollClock, 2000], [pollRules, 3000]];
let timers = [];

async function start() {
  timers.forEach(clearInterval);
  timers = [];
  state.paused = false;
  // Opening the console is asking to see what the mock is sent: keep bodies (the checkbox turns it off).
  const settings = await act(() => call("PUT", "/journal", { bodies: true }));
  if (!settings) return;
  $("#journal-filters").elements.bodies.checked = settings.bodies;
  $("#inbox-open").elements.name.value = state.inbox;
  await act(loadOperations);
  await act(searchFlights);
  say("Connected.");
  for (const [poll, every] of POLLS) {
    act(poll);
    timers.push(setInterval(() => {
      if (!state.paused && !document.hidden) act(poll);
    }, every));
  }
}

wire();
start();
