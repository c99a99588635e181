// Drives Backdrop's control page in Debian's headless chromium, as a user would, for
// LiveControlPageTest: node control-page.js URL SCREENSHOT.png
// Prints one JSON line on stdout: what the page showed and how long each change took to show.
'use strict';
const { chromium } = require('playwright-core');

const [url, screenshot] = process.argv.slice(2);
const base = new URL(url).origin;

/** Milliseconds from since until the preview's mean colour is red or grey (throws after 10 s). */
async function untilPreview(page, since, look) {
  for (;;) {
    const mean = await page.evaluate(() => {
      const img = document.getElementById('preview');
      if (!img.complete || img.naturalWidth === 0) {
        return null; // between two stills
      }
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const ctx = c.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let r = 0, g = 0, b = 0;
      for (let i = 0; i < d.length; i += 4) { r += d[i]; g += d[i + 1]; b += d[i + 2]; }
      const n = d.length / 4;
      return { r: r / n, g: g / n, b: b / n };
    });
    if (mean && (look === 'red' ? mean.r > 3 * mean.g && mean.r > 150
      : Math.abs(mean.r - mean.g) < 8 && Math.abs(mean.g - mean.b) < 8)) {
      return Date.now() - since;
    }
    if (Date.now() - since > 10000) {
      throw new Error('the preview never turned ' + look + ': ' + JSON.stringify(mean));
    }
    await page.waitForTimeout(30);
  }
}

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  const result = {};
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 560 } });
    const refused = await page.goto(base + '/');
    result.without_token = refused.status();
    const opened = await page.goto(url);
    result.with_token = opened.status();
    await page.waitForFunction(() => document.getElementById('preview').naturalWidth > 0, null, { timeout: 20000 });
    await page.waitForFunction(() => document.getElementById('stats').textContent.includes('fps'), null, { timeout: 20000 });
    result.stats_text = await page.textContent('#stats');
    result.models = await page.$$eval('#model option', (o) => o.map((x) => x.value));
    await page.waitForTimeout(1500);

    // Blur strength to 0: the slider, as a user drags it.
    let clicked = Date.now();
    await page.$eval('#blur', (e) => { e.value = '0'; e.dispatchEvent(new Event('change')); });
    await page.waitForFunction(() => document.getElementById('message').textContent === 'blur 0');
    result.blur_answered_ms = Date.now() - clicked;
    await page.waitForTimeout(1500);

    // A red background: the colour picker, then the Colour choice.
    await page.$eval('#colour', (e) => { e.value = '#ff0000'; });
    clicked = Date.now();
    await page.click('#kind-colour');
    await page.waitForFunction(() => document.getElementById('message').textContent === 'colour #ff0000');
    result.colour_answered_ms = Date.now() - clicked;
    // How long until the preview shows red: the click to a changed frame, as the user sees it.
    result.colour_on_preview_ms = await untilPreview(page, clicked, 'red');
    await page.waitForTimeout(1200);
    result.last_change_ms = await page.evaluate(async () => {
      const t = document.body.dataset.token;
      return (await (await fetch('/api/state', { headers: { 'X-Backdrop-Token': t } })).json()).stats.last_change_ms;
    });

    // An upload that is not an image: refused with a message, nothing changes.
    await page.setInputFiles('#upload', { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not a picture at all') });
    await page.waitForFunction(() => document.getElementById('message').textContent.includes('not a PNG or JPEG'));
    result.bad_upload_message = await page.textContent('#message');
    result.colour_after_bad_upload = await page.evaluate(() => document.getElementById('kind-colour').checked);
    // The mask view: the preview shows the mask (the pattern has no person: black), the outputs stay red.
    clicked = Date.now();
    await page.click('#mask');
    result.mask_on_preview_ms = await untilPreview(page, clicked, 'grey');
    await page.waitForTimeout(800);
    await page.screenshot({ path: screenshot, fullPage: true });
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(result));
})().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
