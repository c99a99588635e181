// Backdrop's control page: every change goes to the JSON API with the run's token and applies at
// the next frame; the page then shows the state the server answers with.
'use strict';
const token = document.body.dataset.token;
const $ = (id) => document.getElementById(id);
let state = null;

async function api(path, options = {}) {
  const headers = Object.assign({ 'X-Backdrop-Token': token }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers }));
  const body = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) {
    throw new Error(body.error || response.statusText);
  }
  return body;
}

function post(path, body) {
  return api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

function say(text, ok) {
  $('message').textContent = text;
  $('message').className = ok ? 'ok' : '';
}

async function change(path, body, what) {
  try {
    show(await post(path, body));
    say(what, true);
  } catch (e) {
    say(e.message, false);
  }
}

function show(s) {
  state = s;
  const settings = s.settings;
  $('effect').checked = s.effect;
  $('mask').checked = s.mask;
  if (document.activeElement !== $('blur')) {
    $('blur').value = settings['compose.blur'];
  }
  $('blur-value').textContent = settings['compose.blur'];
  $('kind-blur').checked = s.background_kind === 'blur';
  $('kind-colour').checked = s.background_kind === 'colour';
  if (settings['compose.background_colour'].startsWith('#')) {
    $('colour').value = settings['compose.background_colour'];
  }
  const models = $('model');
  if (models.options.length !== s.models.length) {
    models.replaceChildren(...s.models.map((m) => new Option(m, m)));
  }
  models.value = settings['segmentation.model'];
  const gallery = $('gallery');
  if (gallery.children.length !== s.gallery.length) {
    gallery.replaceChildren(...s.gallery.map((g) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.title = g.name;
      button.dataset.path = g.path;
      const img = document.createElement('img');
      img.alt = g.name;
      img.src = g.url + '?token=' + token;
      button.append(img);
      button.addEventListener('click', () =>
        change('/api/settings', { 'compose.background': g.path, 'compose.background_colour': '' }, 'background ' + g.name));
      return button;
    }));
  }
  for (const b of gallery.children) {
    b.classList.toggle('chosen', b.dataset.path === settings['compose.background']);
  }
  const f = s.stats;
  $('stats').textContent = f.fps === undefined ? 'starting…'
    : `${f.fps.toFixed(1)} fps · latency p50 ${f.latency_p50_ms.toFixed(0)} ms, p99 ${f.latency_p99_ms.toFixed(0)} ms`
      + ` · dropped ${f.dropped} · model ${f.model_ms.toFixed(1)} ms · CPU ${f.cpu_percent.toFixed(0)}%`
      + (f.last_change_ms >= 0 ? ` · last change on screen in ${f.last_change_ms.toFixed(0)} ms` : '');
}

$('effect').addEventListener('change', (e) => change('/api/view', { effect: e.target.checked }, e.target.checked ? 'effect on' : 'effect off'));
$('mask').addEventListener('change', (e) => change('/api/view', { mask: e.target.checked }, 'mask view ' + (e.target.checked ? 'on' : 'off')));
$('blur').addEventListener('change', (e) =>
  change('/api/settings', { 'compose.blur': Number(e.target.value), 'compose.background': '', 'compose.background_colour': '' }, 'blur ' + e.target.value));
$('kind-blur').addEventListener('change', () =>
  change('/api/settings', { 'compose.background': '', 'compose.background_colour': '' }, 'blurred background'));
const colour = () => change('/api/settings', { 'compose.background': '', 'compose.background_colour': $('colour').value }, 'colour ' + $('colour').value);
$('kind-colour').addEventListener('change', colour);
$('colour').addEventListener('change', colour);
$('model').addEventListener('change', (e) => change('/api/settings', { 'segmentation.model': e.target.value }, 'model ' + e.target.value));
$('upload').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  if (!file) {
    return;
  }
  try {
    show(await api('/api/background', { method: 'POST', headers: { 'Content-Type': file.type || 'application/octet-stream' }, body: file }));
    say('background ' + file.name, true);
  } catch (error) {
    say(error.message, false);
  }
  e.target.value = '';
});

// The preview: a new still as soon as the last one has loaded, about five a second.
const preview = $('preview');
function nextPreview() {
  setTimeout(() => { preview.src = '/api/preview.jpg?token=' + token + '&t=' + Date.now(); }, 200);
}
preview.addEventListener('load', nextPreview);
preview.addEventListener('error', nextPreview);
nextPreview();

async function poll() {
  try {
    show(await api('/api/state'));
  } catch (e) {
    say('Backdrop does not answer: ' + e.message, false);
  }
  setTimeout(poll, 1000);
}
poll();
