// The page's markup holds no data: the module fills it in from the /v1/me routes, every text
// through textContent. Each section is a landmark with a heading, so a screen reader can jump
// between the score, its points, the inquiries and the disputes.
export const PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Your Credence file</title>
<link rel="stylesheet" href="/me/page.css">
<script type="module" src="/me/page.js"></script>
</head>
<body><main>
<h1>Your Credence file</h1>
<p>Credence gives people a score for a program, from facts that shops, banks, platforms and
courts send about them. Here you can see your score and every point of it, who sent each fact,
who looked at your data and why, dispute a fact that is wrong, and opt out.</p>
<section id="sign-in" aria-labelledby="sign-in-h">
<h2 id="sign-in-h">Your person key</h2>
<form id="key-form" novalidate>
<label for="key">Paste the person key you were given (it begins with <code>cred_person_</code>)</label>
<div class="row"><input id="key" name="key" type="password" autocomplete="off" spellcheck="false" required>
<button type="submit">Open my file</button></div>
<p class="hint">The key stays in this browser tab only, and is forgotten when you close it.</p>
</form>
<p id="key-problem" class="problem" role="alert" hidden></p>
</section>
<div id="file" hidden>
<p class="actions"><button type="button" id="download">Download my whole file</button>
<button type="button" id="forget" class="quiet">Forget my key</button></p>
<p id="status" class="status" role="status" aria-live="polite" tabindex="-1"></p>
<section id="scores" aria-labelledby="scores-h"><h2 id="scores-h">Your scores</h2><div id="programs"></div></section>
<section id="inquiries" aria-labelledby="inquiries-h"><h2 id="inquiries-h">Who looked at your data</h2>
<p>Every time someone asked Credence about you: who, when, why, and what they were told.</p>
<div id="inquiry-list"></div></section>
<section id="disputes" aria-labelledby="disputes-h"><h2 id="disputes-h">Your disputes</h2>
<p>A fact you dispute is marked at once; the operator must answer by the date shown.</p>
<div id="dispute-list"></div></section>
</div>
</main>
<dialog id="confirm" aria-labelledby="confirm-h">
<form id="confirm-form" method="dialog">
<h2 id="confirm-h"></h2>
<p id="confirm-text"></p>
<div id="confirm-reason" hidden><label for="reason">Why is this fact wrong? (required)</label>
<textarea id="reason" rows="4"></textarea></div>
<p id="confirm-problem" class="problem" role="alert" hidden></p>
<div class="row"><button type="submit" id="confirm-yes" value="yes"></button>
<button type="button" id="confirm-no" class="quiet">Cancel</button></div>
</form>
</dialog>
</body></html>
`;
