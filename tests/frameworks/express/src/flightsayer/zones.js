// Local times with the airport's UTC offset at that instant, from Node's built-in ICU time-zone data.
const formatters = new Map();

function formatter(zone) {
  if (!formatters.has(zone)) {
    formatters.set(zone, new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }));
  }
  return formatters.get(zone);
}

// Minutes east of UTC in `zone` at `ms` ("GMT-04:00" -> -240, "GMT" -> 0).
function offsetMinutes(zone, ms) {
  const name = formatter(zone).formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName').value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

const pad = (n) => String(n).padStart(2, '0');

// "2016-08-25T21:04:00-05:00": the instant `ms` written in the local time of `zone`.
function localIso(zone, ms) {
  const offset = offsetMinutes(zone, ms);
  const local = new Date(ms + offset * 60000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

// "1606092145": YYMMDDHHMM of `ms` in the local time of `zone` (UTC when zone is "UTC").
function compactTime(zone, ms) {
  const iso = zone === 'UTC' ? new Date(ms).toISOString() : localIso(zone, ms);
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16);
}

module.exports = { offsetMinutes, localIso, compactTime };
