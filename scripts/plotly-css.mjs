// Writes the stylesheet that plotly.js would inject at load, as a static file.
//
// plotly.js adds its global rules (chart layers, legend, hover labels) with a <style>
// element, which the app's Content Security Policy (style-src 'self') blocks, and charts
// then draw with their layers out of place. plotly.js skips that injection when the page
// has <link id="plotly.js-style-global" class="no-inline-styles" rel="stylesheet">, so the
// templates link this file instead. Its npm packages ship no such file, so it is made
// from the bundle's own rules, the object plotly.js's build/plotcss.js turns into rules.
//
// Usage: node scripts/plotly-css.mjs BUNDLE OUTPUT (make assets runs it).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import vm from "node:vm";

const [bundlePath, outputPath] = process.argv.slice(2);
if (!bundlePath || !outputPath) {
  console.error("usage: node scripts/plotly-css.mjs BUNDLE OUTPUT");
  process.exit(2);
}
const bundle = readFileSync(bundlePath, "utf8");
const version = (bundle.slice(0, 300).match(/plotly\.js .*?v(\d+\.\d+\.\d+)/) || [])[1];
if (!version) {
  throw new Error(`${bundlePath}: no plotly.js version in the banner`);
}

// The rules object starts with plotly's first rule, "X,X div", and is a literal of
// string keys and string values: read to its closing brace, skipping quoted strings.
const first = bundle.indexOf('{"X,X div":');
if (first < 0 || bundle.indexOf('{"X,X div":', first + 1) >= 0) {
  throw new Error(`${bundlePath}: expected exactly one plotly.js rules object`);
}
let end = first;
let quote = null;
for (; end < bundle.length; end++) {
  const c = bundle[end];
  if (quote) {
    if (c === "\\") end++;
    else if (c === quote) quote = null;
  } else if (c === '"' || c === "'") {
    quote = c;
  } else if (c === "}") {
    break;
  }
}
const rules = vm.runInNewContext(`(${bundle.slice(first, end + 1)})`, {}, { timeout: 1000 });

// The same selectors as plotly.js builds them (src/css/plotcss_injector and
// build/plotcss.js). Each rule is inserted at index 0 of the sheet, so the sheet holds
// them last first: written in that order, equal-specificity rules win as they do there.
const css = Object.entries(rules)
  .map(([selector, body]) => {
    const full = selector
      .replace(/^,/, " ,")
      .replace(/X/g, ".js-plotly-plot .plotly")
      .replace(/Y/g, ".plotly-notifier");
    return `${full}{${body}}`;
  })
  .reverse();
const digest = createHash("sha256").update(bundle).digest("hex");
const header =
  `/* plotly.js v${version} global rules, from ${basename(bundlePath)} ` +
  `(sha256 ${digest}) by scripts/plotly-css.mjs. Do not edit: make assets. */`;
writeFileSync(outputPath, [header, ...css, ""].join("\n"));
console.log(`${outputPath}: ${css.length} rules from plotly.js v${version}`);
