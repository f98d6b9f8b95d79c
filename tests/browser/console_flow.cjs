// Drives the mock's console in headless Chromium (playwright-core) the way a frontend developer would, and prints
// one JSON line with what the page showed. Inputs from the environment: MOCK_URL, PLAYWRIGHT_CORE (the package's
// folder), CHROMIUM, and optionally CONTROL_TOKEN and SCREENSHOT (a PNG path).
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { chromium } = require(process.env.PLAYWRIGHT_CORE);

const BASE = process.env.MOCK_URL;
const TOKEN = process.env.CONTROL_TOKEN || "";
const ALICE = "Token 3918a4f305ac8df7cebe0dbb90526085b233ca3b";
const INBOX = "browser-test";
const WAIT = { timeout: 20000 };
const result = {};  // what the page showed so far, printed on failure too

async function control(method, route, body) {
  const headers = { "Content-Type": "application/json" };
  if (TOKEN) headers.Authorization = "Bearer " + TOKEN;
  const response = await fetch(BASE + "/_mock" + route, { method, headers, body: body && JSON.stringify(body) });
  if (!response.ok) throw new Error(method + " " + route + " answered " + response.status);
  return response.json();
}

async function main() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "mock-console-chromium-"));
  // A fresh, empty profile (playwright passes it as --user-data-dir).
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = browser.pages()[0] || await browser.newPage();
    const problems = [];
    page.on("pageerror", (error) => problems.push(String(error)));
    page.on("console", (message) => { if (message.type() === "error") problems.push(message.text()); });
    await page.goto(BASE + "/_mock/ui/");

    if (TOKEN) {
      await page.getByLabel("Token").waitFor(WAIT);
      result.askedForToken = await page.locator("#token-form").isVisible();
      await page.getByLabel("Token").fill(TOKEN);
      await page.getByRole("button", { name: "Use token" }).click();
      problems.length = 0;  // the 401 that made the page ask is logged by the browser; only later ones count
    }
    await page.locator("#status", { hasText: "Connected." }).waitFor(WAIT);

    // A request the app makes, refused by validation: it appears live, and opening it shows why.
    const refused = await fetch(BASE + "/flights/v1/search/?departure_airport=12", { headers: { Authorization: ALICE } });
    result.refusedStatus = refused.status;
    const row = page.locator("#journal-table tbody tr", { hasText: "departure_airport=12" });
    await row.waitFor(WAIT);
    result.journalRow = (await row.innerText()).split("\t").map((cell) => cell.trim());
    await row.getByRole("button").press("Enter");  // keyboard, not only the mouse
    await page.locator("#detail-messages li").first().waitFor(WAIT);
    result.refusalMessages = await page.locator("#detail-messages li").allInnerTexts();
    result.responseBody = await page.locator("#detail-response").innerText();

    // Subscribe a flight that has not left yet to an inbox the mock serves, as the app would.
    const picked = await control("GET", "/flights?limit=200");
    const flight = picked.flights.find((candidate) => candidate.state === "scheduled");
    result.flightId = flight.flight_id;
    const target = BASE + "/_mock/inbox/" + INBOX;
    const subscribed = await fetch(BASE + "/subscriptions/" + flight.flight_id, {
      method: "PUT", headers: { Authorization: ALICE, "Content-Type": "application/json" },
      body: JSON.stringify({ target }),
    });
    result.subscribeStatus = subscribed.status;

    // In the console: watch the inbox, find the flight among the subscribed ones, force a delay on it.
    await page.getByLabel("Inbox", { exact: true }).fill(INBOX);
    await page.getByRole("button", { name: "Show" }).click();
    await page.getByLabel("subscribed only").check();
    await page.locator("#flight-search").getByRole("button", { name: "Search" }).click();
    await page.locator("#flight-pick option", { hasText: flight.flight_id }).waitFor({ state: "attached", ...WAIT });
    await page.getByLabel("Flight", { exact: true }).selectOption(flight.flight_id);
    await page.getByLabel("Event").selectOption("delay");
    await page.getByLabel("Minutes").fill("45");
    await page.getByRole("button", { name: "Apply to flight" }).click();

    const delivery = page.locator("#deliveries-table tbody tr", { hasText: flight.flight_id });
    await delivery.filter({ hasText: "delivered" }).first().waitFor(WAIT);
    result.deliveryRow = (await delivery.first().innerText()).split("\t").map((cell) => cell.trim());
    const message = page.locator("#inbox-messages pre", { hasText: flight.flight_id });
    await message.first().waitFor(WAIT);
    result.inboxMessage = await message.first().innerText();
    result.subscriptions = await page.locator("#subscriptions").innerText();

    if (process.env.SCREENSHOT) {
      await page.locator("#request-detail").scrollIntoViewIfNeeded();
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
    }
    // A narrow window: nothing may overflow sideways.
    await page.setViewportSize({ width: 380, height: 800 });
    result.narrowOverflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    result.problems = problems;
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(result) + "\n");
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + "\nseen so far: " + JSON.stringify(result) + "\n");
  process.exit(1);
});
