// The page's module, served as /me/page.js: plain JavaScript for the browser, kept as text here
// because the build compiles TypeScript only (tsc copies no other file to dist/). It holds no
// backtick, so the template below is the module exactly as written (String.raw keeps backslashes).
export const PAGE_SCRIPT = String.raw`// The scored person's page. A plain module, no framework and no build step. Every text that comes
// from the server (names, reasons, fact ids: furnishers and relying parties choose them) goes in
// through text nodes, never as markup.
const KEY = 'credence.personKey';
const SVG = 'http://www.w3.org/2000/svg';
const byId = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = String(text);
  return e;
}

/** A refusal or failure, worded for the person (the API's JSON is for programs). */
class Problem extends Error {
  constructor(sentence, status) {
    super(sentence);
    this.status = status;
  }
}

function sentenceFor(status, body) {
  if (status === 401)
    return 'That key was not accepted. Copy the whole person key you were given (it begins with cred_person_) and try again. If it still fails, the key may have been withdrawn: ask the operator for a new one.';
  if (status === 403)
    return 'That key is not a person key, so it cannot open a file. Use the person key you were given.';
  if (status === 429) return 'Too many requests in a short time. Wait a minute, then try again.';
  const message = body?.error?.message;
  if (message) return 'The server could not do this: ' + message + '.';
  return 'Something went wrong on the server (' + status + '). Try again later.';
}

async function api(method, path, body) {
  const headers = { authorization: 'Bearer ' + (sessionStorage.getItem(KEY) || '') };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new Problem('The server could not be reached. Check your connection, then try again.', 0);
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new Problem(sentenceFor(res.status, data), res.status);
  return data;
}

const when = (iso) => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return (
    d.toLocaleString('en-GB', {
      timeZone: 'UTC',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    }) + ' UTC'
  );
};
const day = (iso) => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
};
const signed = (n) => (n > 0 ? '+' + n : n < 0 ? '\u2212' + Math.abs(n) : '0');
const pointsWord = (n) => signed(n) + (Math.abs(n) === 1 ? ' point' : ' points');

// ---- the score in a picture and in words ----

/** The tier bands on the scale, lowest first, each clamped to the scale. */
function bands(program) {
  const { min, max } = program.scale;
  const tiers = [...program.tiers].sort((a, b) => a.min - b.min);
  return tiers
    .map((t, i) => {
      const next = tiers[i + 1];
      return { id: t.id, from: Math.max(t.min, min), to: Math.min(next ? next.min : max + 1, max + 1) };
    })
    .filter((b) => b.to > b.from);
}

const BAND_FILL = ['#f6d0d0', '#f8e0c4', '#f3edbd', '#dcefcf', '#c6e6d6', '#c7dbf0', '#d9d0f0'];

// Drawn in percentages across and pixels down, so the picture takes the width it is given and its
// words keep the page's size on a phone (a scaled viewBox shrank them to 8 px at 360 px).
function scalePicture(program, outcome) {
  const { min, max } = program.scale;
  const pct = (v) => ((Math.min(Math.max(v, min), max) - min) / (max - min || 1)) * 100;
  const all = bands(program);
  const label =
    'Your score ' +
    outcome.score +
    ' on a scale from ' +
    min +
    ' to ' +
    max +
    ', in the tier ' +
    outcome.tier +
    '. Tiers from lowest: ' +
    all.map((b) => b.id + ' from ' + b.from).join(', ') +
    '.';
  const pic = svg('svg', { width: '100%', height: 92, class: 'scale', role: 'img', 'aria-label': label });
  pic.append(svg('title', {}, label));
  all.forEach((b, i) => {
    const x0 = pct(b.from);
    const x1 = pct(Math.min(b.to, max));
    const mine = b.id === outcome.tier;
    pic.append(
      svg('rect', {
        x: x0 + '%',
        y: 28,
        width: Math.max(x1 - x0, 0.3) + '%',
        height: 26,
        fill: BAND_FILL[i % BAND_FILL.length],
        stroke: mine ? '#1d1d1f' : '#ffffff',
        'stroke-width': mine ? 2 : 1,
      }),
    );
    // A name only where it fits on a phone's width (about 280 px across the scale).
    if (((x1 - x0) / 100) * 280 >= b.id.length * 7.5 + 6)
      pic.append(
        svg(
          'text',
          { x: (x0 + x1) / 2 + '%', y: 46, 'text-anchor': 'middle', 'font-size': 13, fill: '#1d1d1f' },
          b.id,
        ),
      );
  });
  const at = pct(outcome.score);
  const marker = svg('svg', { x: at + '%', y: 0, overflow: 'visible' });
  marker.append(svg('path', { d: 'M-7 14 L7 14 L0 25 Z', fill: '#1d1d1f' }));
  marker.append(svg('rect', { x: -1.5, y: 24, width: 3, height: 34, fill: '#1d1d1f' }));
  const anchor = at < 6 ? 'start' : at > 94 ? 'end' : 'middle';
  marker.append(
    svg(
      'text',
      {
        x: anchor === 'start' ? -7 : anchor === 'end' ? 7 : 0,
        y: 11,
        'text-anchor': anchor,
        'font-size': 14,
        'font-weight': 'bold',
        fill: '#1d1d1f',
      },
      outcome.score,
    ),
  );
  pic.append(marker);
  pic.append(svg('text', { x: 0, y: 74, 'font-size': 13, fill: '#1d1d1f' }, min + ' lowest'));
  pic.append(
    svg(
      'text',
      { x: '100%', y: 74, 'text-anchor': 'end', 'font-size': 13, fill: '#1d1d1f' },
      max + ' highest',
    ),
  );
  return pic;
}

function tierWords(program, outcome) {
  const all = bands(program);
  const i = all.findIndex((b) => b.id === outcome.tier);
  const b = all[i];
  if (!b) return 'Your score is in the tier "' + outcome.tier + '".';
  const upper = Math.min(b.to - 1, program.scale.max);
  let s =
    'The tier "' +
    b.id +
    '" holds scores from ' +
    b.from +
    ' to ' +
    upper +
    ', on a scale from ' +
    program.scale.min +
    ' (lowest) to ' +
    program.scale.max +
    ' (highest); everyone starts from ' +
    program.scale.base +
    ', and the points below move the score up or down. ';
  const above = all[i + 1];
  if (above)
    s +=
      'The next tier up, "' +
      above.id +
      '", starts at ' +
      above.from +
      ': ' +
      (above.from - outcome.score) +
      ' points above your score.';
  else s += 'This is the highest tier.';
  if (i === 0 && all.length > 1) s += ' This is the lowest tier.';
  return s;
}

// ---- sections ----

function pointItem(c, disputedKeys, disputeByFact, maxAbs, actions) {
  const dispute = c.factKey ? disputedKeys.get(c.factKey) : undefined;
  const open = c.factKey ? disputeByFact.get(c.factKey) : undefined;
  const kind = c.points > 0 ? 'plus' : c.points < 0 ? 'minus' : 'zero';
  const bar = el('div', { class: 'bar ' + kind });
  bar.style.width = (maxAbs ? (Math.abs(c.points) / maxAbs) * 100 : 0) + '%';
  const sentBy = c.source
    ? el(
        'p',
        { class: 'meta' },
        'Sent by ',
        el('strong', {}, c.source),
        c.occurredAt ? '; it happened on ' + day(c.occurredAt) : '',
        c.factId ? ' (their fact ' + c.factId + (c.type ? ', a ' + c.type : '') + ')' : '',
        '.',
      )
    : el('p', { class: 'meta' }, 'From no one fact: a rule of the program about what did not happen.');
  const item = el(
    'li',
    { class: 'point', 'data-fact': c.factKey || '' },
    el(
      'div',
      { class: 'point-head' },
      el('strong', {}, c.reason ? c.reason.text : c.ruleId),
      el('span', { class: 'pts ' + kind }, pointsWord(c.points)),
    ),
    el('div', { class: 'track', 'aria-hidden': 'true' }, bar),
    el('p', {}, c.what),
    sentBy,
  );
  if (dispute || open) {
    item.append(disputedNote(open, dispute));
  } else if (c.factId && c.source) {
    item.append(
      el(
        'button',
        { type: 'button', class: 'quiet', onclick: () => actions.dispute(c) },
        'Dispute this fact',
      ),
    );
  }
  return item;
}

function disputedNote(open, under) {
  return el(
    'p',
    { class: 'disputed' },
    el('span', { class: 'flag' }, 'Disputed'),
    ' ',
    open
      ? 'You disputed this fact on ' +
          day(open.openedAt) +
          '; the operator must answer by ' +
          day(open.dueAt) +
          '. '
      : '',
    under ? under.note : '',
  );
}

function heldItem(d, open) {
  const [source, ...id] = d.factKey.split('/');
  return el(
    'li',
    { class: 'point', 'data-fact': d.factKey },
    el(
      'div',
      { class: 'point-head' },
      el('strong', {}, 'Your ' + d.type + ' of ' + day(d.occurredAt)),
      el('span', { class: 'pts zero' }, d.counts ? 'counted' : 'not counted now'),
    ),
    el(
      'p',
      { class: 'meta' },
      'Sent by ',
      el('strong', {}, source),
      ' (their fact ' + id.join('/') + ', a ' + d.type + ').',
    ),
    disputedNote(open, d),
  );
}

function programSection(program, x, disputeByFact, actions) {
  const o = x.outcome;
  const name = x.rulebook?.name || program.name || program.program;
  const box = el('section', { class: 'program', 'data-program': program.program, 'aria-label': name });
  box.append(el('h3', {}, name, ' ', el('small', {}, '(' + program.program + ')')));
  if (o.status === 'scored') {
    box.append(
      el(
        'p',
        { class: 'score-line' },
        'Your score: ',
        el('strong', { class: 'score' }, String(o.score)),
        ', tier ',
        el('strong', { class: 'tier' }, o.tier),
      ),
      scalePicture(program, o),
      el('p', {}, tierWords(program, o)),
    );
    if (x.total) box.append(el('p', {}, x.total.what));
  } else {
    box.append(
      el(
        'p',
        { class: 'not-scored' },
        el('strong', {}, 'Not scored. '),
        o.why || 'No score of you exists in this program.',
      ),
    );
  }
  if (x.policies?.length) {
    box.append(el('h4', {}, 'What your score gives or holds back'));
    box.append(
      el(
        'ul',
        {},
        x.policies.map((p) =>
          el(
            'li',
            {},
            el(
              'span',
              { class: p.holds ? 'policy-yes' : 'policy-no' },
              p.holds
                ? p.kind === 'restriction'
                  ? 'Applies to you: '
                  : 'You have it: '
                : p.kind === 'restriction'
                  ? 'Does not apply: '
                  : 'Not now: ',
            ),
            p.description || p.id,
            p.because?.length ? ' (' + p.because.join('; ') + ')' : '',
          ),
        ),
      ),
    );
  }
  box.append(el('h4', {}, 'Why: every point'));
  const disputed = new Map((x.underDispute || []).map((d) => [d.factKey, d]));
  const points = x.contributions || [];
  // A disputed fact the program stops counting meanwhile gives no point: it is listed all the same,
  // marked, so the person sees their dispute where the fact was.
  const held = (x.underDispute || []).filter((d) => !points.some((c) => c.factKey === d.factKey));
  if (!points.length && !held.length)
    box.append(
      el(
        'p',
        {},
        o.status === 'scored'
          ? 'No fact gives or takes points in this program now.'
          : 'No points: no score of you exists in this program.',
      ),
    );
  else {
    const maxAbs = Math.max(...points.map((c) => Math.abs(c.points)), 1);
    box.append(
      el(
        'ul',
        { class: 'plain' },
        points.map((c) => pointItem(c, disputed, disputeByFact, maxAbs, actions)),
        held.map((d) => heldItem(d, disputeByFact.get(d.factKey))),
      ),
    );
  }
  if (x.counterfactuals?.length) {
    box.append(el('h4', {}, 'What if a fact were not there'));
    box.append(
      el(
        'ul',
        {},
        x.counterfactuals.map((c) => el('li', {}, c.what)),
      ),
    );
  }
  box.append(el('h4', {}, 'Your choice'));
  const out = x.enrolment === 'enrolled' || x.enrolment === 'opted-in';
  box.append(
    el(
      'p',
      {},
      x.enrolment === 'opted-out'
        ? 'You opted out of this program: it keeps no score of you, and anyone who asks is told you are not scored.'
        : x.enrolment === 'not-enrolled'
          ? 'You are not in this program: it scores only people who opt in.'
          : 'You are in this program. If you opt out, your points in it are deleted and anyone who asks is told you are not scored.',
    ),
    el(
      'button',
      {
        type: 'button',
        class: out ? 'quiet' : '',
        onclick: () => actions.consent(program.program, name, out ? 'opt-out' : 'opt-in'),
      },
      out
        ? 'Opt out of ' + name
        : x.enrolment === 'opted-out'
          ? 'Opt back in to ' + name
          : 'Opt in to ' + name,
    ),
  );
  return box;
}

function inquiryList(inquiries) {
  if (!inquiries.length) return el('p', {}, 'No one has asked about you yet.');
  return el(
    'ul',
    { class: 'plain' },
    inquiries
      .slice()
      .reverse()
      .map((q) =>
        el(
          'li',
          { class: 'inquiry' },
          el(
            'p',
            { class: 'meta' },
            el('strong', {}, q.who || 'Someone'),
            ' on ' + when(q.at),
            q.purpose ? ', for the purpose "' + q.purpose + '"' : '',
          ),
          el('p', {}, q.what),
        ),
      ),
  );
}

function disputeList(disputes, actions) {
  if (!disputes.length) return el('p', {}, 'You have disputed nothing.');
  const status = (d) =>
    ({
      open: 'open, waiting for an answer',
      upheld:
        d.kind === 'link' ? 'upheld: the record was taken off your file' : 'upheld: the fact was taken off',
      rejected: d.kind === 'link' ? 'rejected: the link stays' : 'rejected: the fact counts again',
      withdrawn: 'withdrawn',
    })[d.status] || d.status;
  return el(
    'ul',
    { class: 'plain' },
    disputes.map((d) =>
      el(
        'li',
        { class: 'dispute', 'data-dispute': d.id },
        el(
          'p',
          {},
          el(
            'strong',
            {},
            d.kind === 'link'
              ? 'The link of record ' + d.record
              : 'The fact ' + d.factId + ' from ' + d.source,
          ),
          ': "' + d.reason + '"',
        ),
        el(
          'p',
          { class: 'meta' },
          'Opened ' +
            day(d.openedAt) +
            '; ' +
            status(d) +
            (d.status === 'open'
              ? '; must be answered by ' + day(d.dueAt) + (d.overdue ? ' (overdue)' : '')
              : '') +
            '.',
          d.note ? ' The operator wrote: "' + d.note + '"' : '',
        ),
        d.status === 'open'
          ? el(
              'button',
              { type: 'button', class: 'quiet', onclick: () => actions.withdraw(d) },
              'Withdraw this dispute',
            )
          : null,
      ),
    ),
  );
}

// ---- confirmation ----

/** Asks before a change; run gets the reason typed (disputes) and may throw a Problem. */
function confirmThen({ title, text, yes, reason, run }) {
  const dialog = byId('confirm');
  const problem = byId('confirm-problem');
  byId('confirm-h').textContent = title;
  byId('confirm-text').textContent = text;
  byId('confirm-yes').textContent = yes;
  byId('confirm-reason').hidden = !reason;
  byId('reason').value = '';
  problem.hidden = true;
  const form = byId('confirm-form');
  const onSubmit = async (e) => {
    e.preventDefault();
    const typed = byId('reason').value.trim();
    if (reason && !typed) {
      problem.textContent = 'Write in a few words why the fact is wrong.';
      problem.hidden = false;
      byId('reason').focus();
      return;
    }
    byId('confirm-yes').disabled = true;
    try {
      await run(typed);
      dialog.close();
      // Closing gives the focus back to the button that opened it, which the new content replaced.
      byId('status').focus();
    } catch (err) {
      problem.textContent = err instanceof Problem ? err.message : 'Something went wrong. Try again.';
      problem.hidden = false;
    } finally {
      byId('confirm-yes').disabled = false;
    }
  };
  const cancel = () => dialog.close();
  form.addEventListener('submit', onSubmit);
  byId('confirm-no').addEventListener('click', cancel);
  dialog.addEventListener(
    'close',
    () => {
      form.removeEventListener('submit', onSubmit);
      byId('confirm-no').removeEventListener('click', cancel);
    },
    { once: true },
  );
  dialog.showModal();
  (reason ? byId('reason') : byId('confirm-no')).focus();
}

// ---- the file ----

async function allInquiries() {
  const out = [];
  let after = '';
  for (let i = 0; i < 100; i++) {
    const page = await api('GET', '/v1/me/inquiries' + (after ? '?after=' + encodeURIComponent(after) : ''));
    out.push(...page.inquiries);
    if (page.next === undefined || page.next === null) break;
    after = String(page.next);
  }
  return out;
}

async function load() {
  const [programs, inquiries, disputes] = await Promise.all([
    fetch('/me/programs.json').then((r) => r.json()),
    allInquiries(),
    api('GET', '/v1/me/disputes'),
  ]);
  const explanations = await Promise.all(
    programs.programs.map((p) => api('GET', '/v1/me/explanations/' + encodeURIComponent(p.program))),
  );
  const disputeByFact = new Map(
    disputes.disputes
      .filter((d) => d.kind === 'fact' && d.status === 'open')
      .map((d) => [d.source + '/' + d.factId, d]),
  );
  const actions = {
    dispute: (c) =>
      confirmThen({
        title: 'Dispute this fact?',
        text:
          'The fact "' +
          (c.reason ? c.reason.text : c.type) +
          '" sent by ' +
          c.source +
          ' (' +
          c.factId +
          ') will be marked as disputed at once, and the operator must look into it and answer within 20 days. Say why it is wrong.',
        yes: 'Dispute it',
        reason: true,
        run: async (why) => {
          await api('POST', '/v1/me/disputes', { source: c.source, factId: c.factId, reason: why });
          await show('Your dispute is recorded; the fact is marked as disputed.');
        },
      }),
    withdraw: (d) =>
      confirmThen({
        title: 'Withdraw this dispute?',
        text:
          d.kind === 'link'
            ? 'The link stays as it is, and you can dispute it again later.'
            : 'The fact is no longer marked and counts again from now on, as its program says. You cannot dispute this fact again: if it is wrong, ask ' +
              d.source +
              ', who sent it, to correct it.',
        yes: 'Yes, withdraw it',
        run: async () => {
          await api('POST', '/v1/me/disputes/' + encodeURIComponent(d.id) + '/withdraw');
          await show('Your dispute is withdrawn.');
        },
      }),
    consent: (program, name, action) =>
      confirmThen({
        title: action === 'opt-out' ? 'Opt out of ' + name + '?' : 'Opt in to ' + name + '?',
        text:
          action === 'opt-out'
            ? 'Your points in this program are deleted and no score of you is kept there. Anyone who asks about you in it is told only that you are not scored. You can opt back in later; only what happens after that counts.'
            : 'This program will score you again from now on, from the facts it reads.',
        yes: action === 'opt-out' ? 'Yes, opt out' : 'Yes, opt in',
        run: async () => {
          await api('POST', '/v1/me/consent', { program, action });
          await show(
            action === 'opt-out' ? 'You are opted out of ' + name + '.' : 'You are opted in to ' + name + '.',
          );
        },
      }),
  };
  byId('programs').replaceChildren(
    ...programs.programs.map((p, i) => programSection(p, explanations[i], disputeByFact, actions)),
  );
  byId('inquiry-list').replaceChildren(inquiryList(inquiries));
  byId('dispute-list').replaceChildren(disputeList(disputes.disputes, actions));
}

async function show(status) {
  await load();
  byId('sign-in').hidden = true;
  byId('file').hidden = false;
  byId('status').textContent = status || '';
  // The button pressed is gone with the old content: the focus goes to what was done, not <body>.
  byId('status').focus();
}

async function openWith(key) {
  sessionStorage.setItem(KEY, key);
  const problem = byId('key-problem');
  problem.hidden = true;
  try {
    await show('Your file is open.');
  } catch (err) {
    sessionStorage.removeItem(KEY);
    byId('file').hidden = true;
    byId('sign-in').hidden = false;
    problem.textContent = err instanceof Problem ? err.message : 'Something went wrong. Try again.';
    problem.hidden = false;
    byId('key').focus();
  }
}

async function download() {
  try {
    const file = await api('GET', '/v1/me/file');
    const blob = new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: 'credence-file-' + String(file.subject || 'me') + '.json' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    byId('status').textContent = 'Your whole file was downloaded as a JSON file.';
  } catch (err) {
    byId('status').textContent = err instanceof Problem ? err.message : 'The file could not be downloaded.';
  }
}

byId('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const key = byId('key').value.trim();
  if (!key) {
    const problem = byId('key-problem');
    problem.textContent = 'Paste your person key first.';
    problem.hidden = false;
    return;
  }
  byId('key').value = '';
  openWith(key);
});
byId('download').addEventListener('click', download);
byId('forget').addEventListener('click', () => {
  sessionStorage.removeItem(KEY);
  byId('file').hidden = true;
  byId('sign-in').hidden = false;
  for (const id of ['programs', 'inquiry-list', 'dispute-list']) byId(id).replaceChildren();
  byId('key').focus();
});
const kept = sessionStorage.getItem(KEY);
if (kept) openWith(kept);
`;
