'use strict'
// One autocannon run for bench/load_generators.py: `node autocannon_driver.js CONFIG.json` runs autocannon's
// programmatic API on CONFIG (its own options: url, connections, duration, requests, headers, workers) and prints one
// JSON line. The CPU this process spent during the load (every thread: workers included) is measured here, so that
// node's start-up and module loading are not counted as the cost of the requests.
const fs = require('fs')
const autocannon = require('autocannon') // from bench/node_modules, beside this file

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const cpuBefore = process.cpuUsage()
const wallBefore = process.hrtime.bigint()
autocannon(config, (error, result) => {
  if (error) {
    console.error(String(error))
    process.exit(2)
  }
  const cpu = process.cpuUsage(cpuBefore)
  process.stdout.write(JSON.stringify({
    total: result.requests.total,
    duration_s: result.duration,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpu_s: (cpu.user + cpu.system) / 1e6,
    wall_s: Number(process.hrtime.bigint() - wallBefore) / 1e9
  }) + '\n')
})
