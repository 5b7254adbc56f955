/* Interactive explorers for the book: plain JavaScript and SVG, no library, no server.
 *
 * Each <div class="explorer" data-kind="..."> on a page becomes one explorer:
 *   transposed     transposed convolution: output size term by term, zero-insertion and scatter views
 *                  stepped one input pixel at a time, the overlap (checkerboard) map, a 1-D view
 *   interpolation  input and output pixel centres of F.interpolate and the 1-D weights of one output pixel
 *   shuffle        pixel shuffle / depth_to_space in CRD and DCR order: where every value goes
 *   matrix         convolution as a matrix C: point at an output pixel to see its row, at an input
 *                  pixel to see its column (a row of C transposed)
 * The state of every explorer is kept in the page's query string (?t.k=3&t.s=2...), so a link
 * reproduces a configuration. tests/browser/test_explorers.py drives every explorer over a grid of
 * parameters and compares what it shows with the values the `upsampling` package computes.
 * Licence: CC BY 4.0 (like the book's text and figures). */
(function () {
  "use strict";

  // ------------------------------------------------------------------ shared helpers

  const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  let uid = 0;

  function readState(prefix, controls) {
    const q = new URLSearchParams(window.location.search);
    const state = {};
    for (const c of controls) {
      const raw = q.get(prefix + "." + c.name);
      state[c.name] = raw === null ? c.value : parse(c, raw);
      if (state[c.name] === null) state[c.name] = c.value;
    }
    return state;
  }

  /* The address is rewritten at most every 200 ms: browsers throttle history.replaceState, and a
     held-down arrow key changes a field many times a second. */
  const pending = new Map();
  let timer = null;

  function writeState(prefix, controls, state) {
    pending.set(prefix, [controls, state]);
    if (timer === null) timer = window.setTimeout(flushState, 200);
  }

  function flushState() {
    timer = null;
    const q = new URLSearchParams(window.location.search);
    for (const [prefix, [controls, state]] of pending) {
      for (const c of controls) {
        if (String(state[c.name]) === String(c.value)) q.delete(prefix + "." + c.name);
        else q.set(prefix + "." + c.name, String(state[c.name]));
      }
    }
    pending.clear();
    const s = q.toString();
    window.history.replaceState(null, "", window.location.pathname + (s ? "?" + s : "") + window.location.hash);
  }

  function parse(c, raw) {
    if (c.type === "bool") return raw === "1" || raw === "true" || raw === true;
    if (c.type === "select") return c.options.some((o) => o[0] === raw) ? raw : null;
    const v = Number(raw);
    if (!Number.isFinite(v)) return null;
    if (c.type === "int" && !Number.isInteger(v)) return null;
    return v;
  }

  /* Build labelled controls; call `update` with the state after every change. */
  function buildControls(root, prefix, controls, state, update) {
    const form = document.createElement("form");
    form.className = "ex-controls";
    form.addEventListener("submit", (e) => e.preventDefault());
    const inputs = {};
    for (const c of controls) {
      const id = `ex${++uid}-${c.name}`;
      const wrap = document.createElement("div");
      wrap.className = c.type === "bool" ? "ex-control ex-check" : "ex-control";
      let html = "";
      if (c.type === "select") {
        html = `<label for="${id}">${c.label}</label><select id="${id}" name="${c.name}">` +
          c.options.map((o) => `<option value="${esc(o[0])}">${esc(o[1])}</option>`).join("") + "</select>";
      } else if (c.type === "bool") {
        html = `<input type="checkbox" id="${id}" name="${c.name}"><label for="${id}">${c.label}</label>`;
      } else {
        html = `<label for="${id}">${c.label}</label><input type="number" id="${id}" name="${c.name}" ` +
          `min="${c.min}" max="${c.max}" step="${c.step || 1}" inputmode="${c.type === "int" ? "numeric" : "decimal"}">`;
      }
      wrap.innerHTML = html;
      form.appendChild(wrap);
      const input = wrap.querySelector("input,select");
      inputs[c.name] = input;
      if (c.type === "bool") input.checked = !!state[c.name];
      else input.value = String(state[c.name]);
      input.addEventListener(c.type === "bool" || c.type === "select" ? "change" : "input", () => {
        const v = c.type === "bool" ? input.checked : parse(c, input.value);
        const ok = v !== null && (c.type !== "int" && c.type !== "number" || (v >= c.min && v <= c.max));
        input.setAttribute("aria-invalid", ok ? "false" : "true");
        if (!ok) return;
        state[c.name] = v;
        writeState(prefix, controls, state);
        update();
      });
    }
    root.appendChild(form);
    return inputs;
  }

  /* An SVG figure; one whose pixels are buttons is a labelled group (an image cannot hold controls). */
  function svgOpen(w, h, label, interactive) {
    return `<svg class="ex-svg" viewBox="0 0 ${w} ${h}" style="max-width:${Math.round(w * 1.6)}px" role="${interactive ? "group" : "img"}" aria-label="${esc(label)}">`;
  }

  function cell(x, y, size, cls, text, attrs) {
    let s = `<rect class="${cls}" x="${x + 1}" y="${y + 1}" width="${size - 2}" height="${size - 2}"${attrs || ""}/>`;
    if (text !== undefined && text !== "") {
      s += `<text x="${x + size / 2}" y="${y + size / 2}" class="ex-t" font-size="${Math.max(7, Math.round(size * 0.42))}">${esc(text)}</text>`;
    }
    return s;
  }

  function refusal(why) {
    return `<p class="ex-refused" role="alert" data-refused="${esc(why.kind)}"><strong>${why.lead || "PyTorch refuses this:"}</strong> ${why.text}</p>`;
  }

  // ------------------------------------------------------------------ transposed convolution

  /* Output size (n-1)s - 2p + d(k-1) + a + 1 (n: the input size, field "i"; a: output_padding, field "op") and PyTorch's refusals, one dimension. */
  function transposedSize(st) {
    const { i, k, s, p, d, op } = st;
    const limit = Math.max(s, d);
    if (op >= limit) {
      return { refused: { kind: "output_padding", text: `output_padding=${op} must be smaller than max(stride, dilation)=${limit}. ` +
        "Output padding only chooses among the sizes that a convolution with this stride would map back to the input size." } };
    }
    const o = (i - 1) * s - 2 * p + d * (k - 1) + op + 1;
    if (o === 0) {  // PyTorch 2.13 on a CPU, over this explorer's whole range (tests/browser/test_explorers.py)
      return { refused: { kind: "empty", lead: "No output:", text: `the output size (n−1)·s − 2p + d·(k−1) + a + 1 = 0: ` +
        `padding=${p} crops all ${2 * p} samples the transposed convolution produces before cropping. ` +
        "PyTorch refuses this (“Output size is too small”) for float64 input and, for a single float32 image, whenever " +
        "the kernel is at most 3×3 and for a few larger ones; otherwise its oneDNN CPU backend returns an empty 0×0 " +
        "tensor instead of refusing (PyTorch 2.13 on an x86 CPU, measured over every setting of these controls)." } };
    }
    if (o < 1) {
      return { refused: { kind: "size", text: `the output size (n−1)·s − 2p + d·(k−1) + a + 1 = ${o} is not positive: ` +
        `padding=${p} crops more than the ${o + 2 * p} samples the transposed convolution produces before cropping.` } };
    }
    return { o };
  }

  /* 1-D overlap counts: #{(input j, tap t): j*s + t*d - p = position}. */
  function overlap1d(st, o) {
    const out = new Array(o).fill(0);
    for (let j = 0; j < st.i; j++) for (let t = 0; t < st.k; t++) {
      const pos = j * st.s + t * st.d - st.p;
      if (pos >= 0 && pos < o) out[pos] += 1;
    }
    return out;
  }

  /* Where input pixel j's taps land along one dimension (inside the output). */
  function stamp1d(st, o, j) {
    const out = [];
    for (let t = 0; t < st.k; t++) {
      const pos = j * st.s + t * st.d - st.p;
      if (pos >= 0 && pos < o) out.push(pos);
    }
    return out;
  }

  const TRANSPOSED = [
    { name: "i", label: "input size n", type: "int", min: 1, max: 6, value: 3 },
    { name: "k", label: "kernel size k", type: "int", min: 1, max: 5, value: 3 },
    { name: "s", label: "stride s", type: "int", min: 1, max: 4, value: 2 },
    { name: "p", label: "padding p", type: "int", min: 0, max: 6, value: 0 },
    { name: "d", label: "dilation d", type: "int", min: 1, max: 3, value: 1 },
    { name: "op", label: "output_padding a", type: "int", min: 0, max: 3, value: 0 },
    { name: "view", label: "view", type: "select", value: "scatter",
      options: [["scatter", "scatter (stamps)"], ["zero", "zero insertion"]] },
    { name: "step", label: "input pixel (row-major index)", type: "int", min: 0, max: 35, value: 0 },
  ];

  function transposedExplorer(root, prefix) {
    const state = readState(prefix, TRANSPOSED);
    const inputs = buildControls(root, prefix, TRANSPOSED, state, render);
    const nav = document.createElement("div");
    nav.className = "ex-nav";
    nav.innerHTML = '<button type="button" data-go="-1">◀ previous input pixel</button> <button type="button" data-go="1">next input pixel ▶</button>';
    root.appendChild(nav);
    const out = document.createElement("div");
    out.className = "ex-out";
    root.appendChild(out);
    nav.addEventListener("click", (e) => {
      const go = e.target.closest("button");
      if (!go) return;
      const n = state.i * state.i;
      state.step = (((state.step + Number(go.dataset.go)) % n) + n) % n;
      inputs.step.value = String(state.step);
      writeState(prefix, TRANSPOSED, state);
      render();
    });

    function render() {
      const st = state;
      inputs.step.max = String(st.i * st.i - 1);
      const size = transposedSize(st);
      if (size.refused) {
        out.innerHTML = `<div class="ex-live" aria-live="polite">${refusal(size.refused)}</div>`;
        return;
      }
      const o = size.o;
      const step = Math.min(st.step, st.i * st.i - 1);
      const a = Math.floor(step / st.i), b = step % st.i;
      const terms = [(st.i - 1) * st.s, 2 * st.p, st.d * (st.k - 1), st.op, 1];
      const signs = ["", " − ", " + ", " + ", " + "];
      const formula = "(n−1)·s − 2p + d·(k−1) + a + 1 = " +
        terms.map((v, j) => `${signs[j]}<span class="ex-term" data-term="${j}">${v}</span>`).join("");
      const counts = overlap1d(st, o);
      const rows = stamp1d(st, o, a), cols = stamp1d(st, o, b);
      const lo = Math.min(...counts), hi = Math.max(...counts);
      const even = counts.slice(Math.min(o, st.d * (st.k - 1)), Math.max(0, o - st.d * (st.k - 1)));
      let html = `<div class="ex-live" aria-live="polite"><p class="ex-size">Output size <strong><span data-out-size="${o}">${o}</span>×${o}</strong>: ${formula} = ${o}. ` +
        `Input pixel (${a}, ${b}) writes to output rows ${rows.join(", ") || "none"} and columns ${cols.join(", ") || "none"}` +
        `${rows.length < st.k || cols.length < st.k ? " (taps that fall in the cropped padding write nothing)" : ""}.</p>` +
        `<p>Taps per output pixel (the overlap map) range from ${lo * lo} to ${hi * hi}` +
        `${st.s > 1 && st.k % st.s === 0 && st.d === 1 ? `; k = ${st.k} is a multiple of s = ${st.s}, so away from the borders every pixel gets the same number` : ""}` +
        `${st.s > 1 && st.k % st.s !== 0 && st.d === 1 ? (lo !== hi ? `; k = ${st.k} is not a multiple of s = ${st.s}: a checkerboard` :
          `; k = ${st.k} is not a multiple of s = ${st.s}, but with this input size and cropping every output pixel gets the same number`) : ""}.</p></div>`;
      html += st.view === "zero" ? zeroView(st, o, a, b) : scatterView(st, o, a, b, counts);
      html += oneDView(st, o, b, counts);
      out.innerHTML = html;
      void even;
    }

    /* The output grid with the overlap count in every pixel and the current stamp outlined. */
    function outputGrid(st, o, a, b, counts, x0, y0, size, done) {
      const rows = new Set(stamp1d(st, o, a)), cols = new Set(stamp1d(st, o, b));
      let s = "";
      for (let r = 0; r < o; r++) for (let c = 0; c < o; c++) {
        const n = counts[r] * counts[c];
        const hit = rows.has(r) && cols.has(c);
        const written = done ? done(r, c) : 0;
        s += cell(x0 + c * size, y0 + r * size, size, `ex-out ex-shade${Math.min(written, 4)}${hit ? " ex-hit" : ""}`, n,
          ` data-count="${n}" data-stamp="${hit ? 1 : 0}"`);
      }
      return s;
    }

    function scatterView(st, o, a, b, counts) {
      const size = Math.max(12, Math.min(28, Math.floor(560 / (st.i + o + 2))));
      const x1 = (st.i + 1) * size, w = x1 + o * size + 4, h = Math.max(st.i, o) * size + 4;
      let s = svgOpen(w, h, `Scatter view: input pixel (${a}, ${b}) of ${st.i}×${st.i} stamps the kernel onto the ${o}×${o} output; numbers count the taps landing on each output pixel.`);
      for (let r = 0; r < st.i; r++) for (let c = 0; c < st.i; c++) {
        s += cell(c * size, r * size, size, `ex-in${r === a && c === b ? " ex-cur" : ""}`, "");
      }
      // how many stamps of the input pixels up to the current one cover each output pixel: each input
      // pixel's stamp adds one to the pixels it covers (at most k×k of them)
      const stamped = new Array(o * o).fill(0);
      for (let q = 0; q <= a * st.i + b; q++) {
        const cols = stamp1d(st, o, q % st.i);
        for (const r of stamp1d(st, o, Math.floor(q / st.i))) for (const c of cols) stamped[r * o + c] += 1;
      }
      s += outputGrid(st, o, a, b, counts, x1, 0, size, (r, c) => stamped[r * o + c]);
      return `<figure class="ex-fig">${s}</svg><figcaption>Scatter view: each input pixel (left, blue) adds a copy of the kernel to the output (right), ${st.s} pixel${st.s > 1 ? "s" : ""} apart; shading shows the stamps of the input pixels up to the current one, numbers the taps landing on each pixel once every input pixel has stamped.</figcaption></figure>`;
    }

    function zeroView(st, o, a, b) {
      const border = st.d * (st.k - 1) - st.p;   // zeros around the zero-inserted input (negative: cropped)
      const e = o + st.d * (st.k - 1);            // the grid a unit-stride convolution reads
      const last = border + (st.i - 1) * st.s;
      const size = Math.max(10, Math.min(26, Math.floor(560 / (e + o + 2))));
      const x1 = (e + 1) * size, w = x1 + o * size + 4, h = Math.max(e, o) * size + 4;
      let s = svgOpen(w, h, `Zero-insertion view: the ${st.i}×${st.i} input with ${st.s - 1} zeros between pixels and ${border} of padding, read by a unit-stride convolution into the ${o}×${o} output.`);
      for (let r = 0; r < e; r++) for (let c = 0; c < e; c++) {
        const inR = r >= border && r <= last, inC = c >= border && c <= last;
        const isInput = inR && inC && (r - border) % st.s === 0 && (c - border) % st.s === 0;
        const cls = isInput ? "ex-in" : inR && inC ? "ex-zero" : "ex-pad";
        const cur = isInput && (r - border) / st.s === a && (c - border) / st.s === b;
        const z = isInput ? `${(r - border) / st.s},${(c - border) / st.s}` : cls;   // read by the browser test
        s += cell(c * size, r * size, size, cls + (cur ? " ex-cur" : ""), cls === "ex-zero" ? "0" : "", ` data-z="${z}"`);
      }
      const counts = overlap1d(st, o);
      s += outputGrid(st, o, a, b, counts, x1, 0, size, null);
      const note = border < 0 ? ` Here p > d(k−1): the picture starts ${-border} row${border < -1 ? "s" : ""} inside the zero-inserted input (the convolution crops instead of padding).` : "";
      return `<figure class="ex-fig">${s}</svg><figcaption>Zero-insertion view: ${st.s - 1} zero${st.s === 2 ? "" : "s"} (grey, “0”) between input pixels, ${Math.max(border, 0)} of padding (dashed) around them` +
        `${st.op ? ` and ${st.op} extra at the end (output_padding)` : ""}; a ${st.k}×${st.k} kernel${st.d > 1 ? ` with dilation ${st.d}` : ""}, flipped, slides over it with stride 1. ` +
        `The outlined output pixels are those whose window covers the current input pixel.${note}</figcaption></figure>`;
    }

    function oneDView(st, o, b, counts) {
      const size = Math.max(12, Math.min(26, Math.floor(560 / (o + 4))));
      const x0 = 3 * size, w = x0 + o * size + 4, h = (st.i + 1) * size + 8;
      let s = svgOpen(w, h, `1-D view: where the ${st.k} taps of each of the ${st.i} input samples land in the ${o} output samples, and the count per output sample.`);
      for (let j = 0; j < st.i; j++) {
        s += `<text class="ex-t ex-l" x="${size * 2.6}" y="${j * size + size / 2}" font-size="${Math.round(size * 0.45)}">x${j}</text>`;
        for (let t = 0; t < st.k; t++) {
          const pos = j * st.s + t * st.d - st.p;
          if (pos >= 0 && pos < o) s += cell(x0 + pos * size, j * size, size, `ex-tap${j === b ? " ex-hit" : ""}`, `w${t}`);
        }
      }
      const y = st.i * size + 6;
      s += `<text class="ex-t ex-l" x="${size * 2.6}" y="${y + size / 2}" font-size="${Math.round(size * 0.45)}">taps</text>`;
      for (let q = 0; q < o; q++) s += cell(x0 + q * size, y, size, "ex-out", counts[q], ` data-count1d="${counts[q]}"`);
      return `<figure class="ex-fig">${s}</svg><figcaption>1-D view (one row of the 2-D picture): row x<sub>j</sub> shows where input sample j's taps w<sub>t</sub> land (position j·s + t·d − p); the last row counts them. The 2-D count is the product of a row count and a column count.</figcaption></figure>`;
    }

    render();
  }

  // ------------------------------------------------------------------ interpolation

  const CUBIC_A = -0.75, CUBIC_A_AA = -0.5;
  const f32 = Math.fround;
  const floor32 = (x) => Math.floor(f32(x));  // PyTorch floors the float32-rounded coordinate

  function keys(x, a) {
    x = Math.abs(x);
    if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
    if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
    return 0;
  }

  function interpScale(n, o, ac, sf) {
    if (ac) return o > 1 ? (n - 1) / (o - 1) : 0;
    if (sf !== null) return 1 / sf;
    return n / o;
  }

  function interpSource(scale, i, ac) {
    return ac ? scale * i : scale * (i + 0.5) - 0.5;
  }

  /* Row i of interpolation_matrix(n, o, mode, ...): a map input index -> weight (float64). */
  function interpRow(st, n, o, i, sf) {
    const w = new Map();
    const add = (j, v) => w.set(j, (w.get(j) || 0) + v);
    const clamp = (x, lo, hi) => Math.min(Math.max(x, lo), hi);
    const mode = st.mode;
    if (mode === "nearest" || mode === "nearest-exact") {
      const scale = interpScale(n, o, false, sf);
      let idx;
      if (mode === "nearest") idx = floor32(interpSource(scale, i, true));
      else idx = floor32(Math.max(interpSource(scale, i, false), 0) + 0.5);
      add(Math.min(idx, n - 1), 1);
      return w;
    }
    if (mode === "area") {
      const start = Math.floor(i * n / o), end = Math.ceil((i + 1) * n / o);
      for (let j = start; j < end; j++) add(Math.min(j, n - 1), 1 / (end - start));
      return w;
    }
    const ac = st.ac;
    if (st.aa) {
      if (n === o) { add(i, 1); return w; }
      const scale = interpScale(n, o, ac, sf);
      const linear = mode === "linear";
      const radius = linear ? 1 : 2;
      const stretch = scale >= 1 ? scale : 1;
      const support = radius * stretch;
      const taps = Math.ceil(support) * 2 + 1;
      const centre = scale * (i + 0.5);
      const first = Math.max(Math.floor(centre - support + 0.5), 0);
      const end = Math.min(Math.floor(centre + support + 0.5), n);
      const count = clamp(end - first, 0, taps);
      const ws = [];
      let total = 0;
      for (let t = 0; t < taps; t++) {
        const dist = (first + t - centre + 0.5) * (1 / stretch);
        const v = t < count ? (linear ? Math.max(1 - Math.abs(dist), 0) : keys(dist, CUBIC_A_AA)) : 0;
        ws.push(v);
        total += v;
      }
      for (let t = 0; t < taps; t++) {
        const v = total !== 0 ? ws[t] / total : ws[t];
        if (v !== 0) add(Math.min(first + t, n - 1), v);
      }
      return w;
    }
    if (mode === "linear") {
      if (n === o) { add(i, 1); return w; }
      const scale = interpScale(n, o, ac, sf);
      const src = Math.max(interpSource(scale, i, ac), 0);
      const left = Math.min(floor32(src), n - 1);
      const t = clamp(src - left, 0, 1);
      add(left, 1 - t);
      add(Math.min(left + 1, n - 1), t);
      return w;
    }
    // cubic
    const scale = interpScale(n, o, ac, sf);
    const src = interpSource(scale, i, ac);
    const left = Math.min(floor32(src), n - 1);
    const t = clamp(src - left, 0, 1);
    const dist = [t + 1, t, 1 - t, 2 - t];
    for (let m = 0; m < 4; m++) add(clamp(left - 1 + m, 0, n - 1), keys(dist[m], CUBIC_A));
    return w;
  }

  const INTERPOLATION = [
    { name: "mode", label: "mode", type: "select", value: "linear",
      options: [["nearest", "nearest"], ["nearest-exact", "nearest-exact"], ["linear", "linear (bilinear)"],
        ["cubic", "cubic (bicubic)"], ["area", "area"]] },
    { name: "n", label: "input size", type: "int", min: 1, max: 16, value: 4 },
    { name: "sf", label: "scale_factor", type: "number", min: 0.1, max: 8, step: 0.05, value: 2 },
    { name: "ac", label: "align_corners", type: "bool", value: false },
    { name: "aa", label: "antialias", type: "bool", value: false },
    { name: "rc", label: "recompute_scale_factor", type: "bool", value: false },
    { name: "j", label: "output pixel", type: "int", min: 0, max: 127, value: 1 },
  ];

  function interpolationExplorer(root, prefix) {
    const state = readState(prefix, INTERPOLATION);
    const inputs = buildControls(root, prefix, INTERPOLATION, state, render);
    const out = document.createElement("div");
    out.className = "ex-out";
    root.appendChild(out);

    function render() {
      const st = state;
      const interpolating = st.mode === "linear" || st.mode === "cubic";
      inputs.ac.disabled = !interpolating;
      inputs.aa.disabled = !interpolating;
      inputs.rc.disabled = st.mode === "area";
      const ac = interpolating && st.ac, aa = interpolating && st.aa;
      const o = Math.floor(st.n * st.sf);
      if (o < 1) {
        out.innerHTML = `<div class="ex-live" aria-live="polite">${refusal(st.mode === "area" ? { kind: "empty", lead: "No output:",
          text: `the output size floor(${st.n} × ${st.sf}) = ${o}. Mode “area” is adaptive average pooling, and PyTorch returns an empty tensor instead of refusing.` } :
          { kind: "size", text: `the output size floor(${st.n} × ${st.sf}) = ${o} is not positive (“Input and output sizes should be greater than 0”).` })}</div>`;
        return;
      }
      // the scale factor enters the mapping unless recomputed (and never for area or align_corners)
      const sf = st.mode === "area" || st.rc || ac ? null : st.sf;
      const j = Math.min(st.j, o - 1);
      inputs.j.max = String(o - 1);
      const eff = { mode: st.mode, ac, aa };
      const row = [...interpRow(eff, st.n, o, j, sf).entries()].sort((p, q) => p[0] - q[0]).filter((e) => e[1] !== 0);
      const scale = st.mode === "area" ? st.n / o : interpScale(st.n, o, ac, sf);
      const copies = (st.mode === "linear" || aa) && st.n === o;   // PyTorch copies the input then, whatever the scale
      const src = (q) => copies ? q : st.mode === "nearest" ? interpSource(scale, q, true) : interpSource(scale, q, ac);
      const how = copies ? "Input and output sizes are equal, so PyTorch copies the input: src = i" : ac ? `src = i·(n−1)/(o−1) = i·${fmt(scale)}` : st.mode === "nearest" ? `src = i·scale = i·${fmt(scale)}`
        : st.mode === "area" ? `output i averages inputs floor(i·n/o) … ceil((i+1)·n/o)−1` : `src = (i + 0.5)·scale − 0.5, scale = ${fmt(scale)}`;
      let html = `<div class="ex-live" aria-live="polite"><p>Output size floor(${st.n} × ${st.sf}) = <strong data-out-size="${o}">${o}</strong>. ${how}${copies ? "" : st.mode !== "area" && sf === null && !ac ? " (scale recomputed from the sizes, n/o)" : sf !== null && !ac ? " (scale = 1/scale_factor)" : ""}.</p>` +
        `<p>Output pixel ${j}${st.mode === "area" ? "" : ` samples the input at <span data-xi="${src(j)}">${fmt(src(j))}</span>`} with weights: ` +
        `<span class="ex-weights">${row.map(([idx, v]) => `<span data-w-index="${idx}" data-w="${v}">x${idx}: ${v.toFixed(4)}</span>`).join("; ")}</span>.</p></div>`;
      html += interpFigure(st, o, j, row, src);
      out.innerHTML = html;
    }

    function interpFigure(st, o, j, row, src) {
      const width = 420, pad = 16, n = st.n;
      const u = (width - 2 * pad) / n;             // pixels per input pixel
      const uo = (width - 2 * pad) / o;            // pixels per output pixel (same extent)
      const h = 190;
      const X = (x) => pad + (x + 0.5) * u;       // input index coordinate -> svg x (centre of pixel x)
      let s = svgOpen(width, h, `Input pixels (top) and output pixels (bottom) over the same extent; output pixel ${j} and the input pixels it reads, with their weights.`);
      const weights = new Map(row);
      const maxW = Math.max(1, ...row.map((e) => Math.abs(e[1])));
      for (let q = 0; q < n; q++) {
        const x = pad + q * u;
        s += `<rect class="ex-in${weights.has(q) ? " ex-hit" : ""}" x="${x + 1}" y="60" width="${u - 2}" height="26"/>`;
        s += `<circle class="ex-dot" cx="${x + u / 2}" cy="73" r="3"/>`;
        if (u > 22) s += `<text class="ex-t" x="${x + u / 2}" y="100" font-size="12">x${q}</text>`;
        if (weights.has(q)) {
          const v = weights.get(q), bh = 40 * Math.abs(v) / maxW;
          s += `<rect class="${v >= 0 ? "ex-bar" : "ex-bar ex-neg"}" x="${x + u * 0.25}" y="${56 - bh}" width="${u * 0.5}" height="${bh}"/>`;
          if (u > 30) s += `<text class="ex-t" x="${x + u / 2}" y="${Math.max(8, 48 - bh)}" font-size="12">${v.toFixed(2)}</text>`;
        }
      }
      for (let q = 0; q < o; q++) {
        const x = pad + q * uo;
        s += `<rect class="ex-out${q === j ? " ex-cur" : ""}" x="${x + 1}" y="150" width="${Math.max(uo - 2, 1)}" height="26"/>`;
        s += `<circle class="ex-dot" cx="${x + uo / 2}" cy="163" r="3"/>`;
        if (st.mode !== "area") {
          const sx = X(src(q));
          s += `<line class="${q === j ? "ex-link ex-cur-line" : "ex-link"}" x1="${x + uo / 2}" y1="150" x2="${sx}" y2="88"/>`;
          if (q === j) s += `<path class="ex-marker" d="M${sx} 88l-5 9h10z"/>`;
        }
      }
      s += `<text class="ex-t ex-ls" x="${pad}" y="124" font-size="12">lines: where each output pixel samples</text>`;
      return `<figure class="ex-fig">${s}</svg><figcaption>Top: the ${n} input pixels (dots: their centres) and, as bars, the weights of output pixel ${j}. Bottom: the ${o} output pixels over the same extent; each line joins an output centre to the source coordinate it samples${st.mode === "area" ? " (area mode averages whole pixels instead)" : ""}.</figcaption></figure>`;
    }

    render();
  }

  function fmt(x) {
    return Number.isInteger(x) ? String(x) : x.toFixed(4);
  }

  // ------------------------------------------------------------------ pixel shuffle / depth_to_space

  /* The input (channel, y, x) that output (c, Y, X) comes from, in CRD or DCR order. */
  function shuffleSource(order, r, C, c, Y, X) {
    const i = Y % r, j = X % r;
    const ch = order === "CRD" ? c * r * r + i * r + j : (i * r + j) * C + c;
    return [ch, Math.floor(Y / r), Math.floor(X / r)];
  }

  const SHUFFLE = [
    { name: "r", label: "upscale factor r", type: "int", min: 1, max: 4, value: 2 },
    { name: "c", label: "output channels C_out", type: "int", min: 1, max: 3, value: 1 },
    { name: "h", label: "input height H", type: "int", min: 1, max: 4, value: 2 },
    { name: "w", label: "input width W", type: "int", min: 1, max: 4, value: 2 },
    { name: "order", label: "order", type: "select", value: "CRD",
      options: [["CRD", "CRD (PyTorch pixel_shuffle, ONNX mode=CRD)"], ["DCR", "DCR (ONNX default, TensorFlow depth_to_space)"]] },
  ];
  const PALETTE = 8;

  function shuffleExplorer(root, prefix) {
    const state = readState(prefix, SHUFFLE);
    buildControls(root, prefix, SHUFFLE, state, render);
    const out = document.createElement("div");
    out.className = "ex-out";
    root.appendChild(out);
    out.addEventListener("focusin", pick);
    out.addEventListener("pointerover", pick);
    out.addEventListener("click", pick);

    function pick(e) {
      const t = e.target.closest("[data-src]");
      const live = out.querySelector(".ex-pick");
      out.querySelectorAll(".ex-sel").forEach((el) => el.classList.remove("ex-sel"));
      if (!t || !live) return;
      t.classList.add("ex-sel");
      const src = out.querySelector(`[data-in="${t.dataset.src}"]`);
      if (src) src.classList.add("ex-sel");
      const [ch, y, x] = t.dataset.src.split(",");
      live.textContent = `Output ${t.dataset.pos} comes from input channel ${ch} at (${y}, ${x}).`;
    }

    function render() {
      const { r, c: C, h: H, w: W, order } = state;
      const cin = C * r * r;
      const size = Math.max(12, Math.min(26, Math.floor(520 / Math.max(W * r * C + C, 1))));
      const perRow = Math.min(cin, Math.max(1, Math.floor(520 / ((W + 1) * size))));
      const inRows = Math.ceil(cin / perRow);
      const chH = (H + 1) * size + 14;
      const inH = inRows * chH;
      const outW = C * (W * r + 1) * size, outH = H * r * size + 16;
      const width = Math.max(perRow * (W + 1) * size, outW) + 4;
      const height = inH + 30 + outH;
      let s = svgOpen(width, height, `Pixel shuffle in ${order} order: ${cin} input channels of ${H}×${W} become ${C} output channel(s) of ${H * r}×${W * r}; each output pixel is labelled with the input channel it comes from.`, true);
      for (let ch = 0; ch < cin; ch++) {
        const gx = (ch % perRow) * (W + 1) * size, gy = Math.floor(ch / perRow) * chH;
        s += `<text class="ex-t ex-ls" x="${gx}" y="${gy + 8}" font-size="10">ch ${ch}</text>`;
        for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
          s += cell(gx + x * size, gy + 12 + y * size, size, `ex-c${ch % PALETTE}`, ch, ` data-in="${ch},${y},${x}"`);
        }
      }
      const oy = inH + 30;
      for (let c = 0; c < C; c++) {
        const gx = c * (W * r + 1) * size;
        s += `<text class="ex-t ex-ls" x="${gx}" y="${oy - 6}" font-size="10">output channel ${c}</text>`;
        for (let Y = 0; Y < H * r; Y++) for (let X = 0; X < W * r; X++) {
          const [ch, y, x] = shuffleSource(order, r, C, c, Y, X);
          s += `<g tabindex="0" role="button" data-src="${ch},${y},${x}" data-pos="(${c}, ${Y}, ${X})" aria-label="output channel ${c}, row ${Y}, column ${X}: from input channel ${ch}, row ${y}, column ${x}">` +
            cell(gx + X * size, oy + Y * size, size, `ex-c${ch % PALETTE}`, ch) + "</g>";
        }
      }
      const formula = order === "CRD" ? "y[c, i·r+t_h, j·r+t_w] = x[c·r² + t_h·r + t_w, i, j]" : "y[c, i·r+t_h, j·r+t_w] = x[(t_h·r + t_w)·C_out + c, i, j]";
      out.innerHTML = `<div class="ex-live" aria-live="polite"><p>(${cin}, ${H}, ${W}) → (${C}, ${H * r}, ${W * r}), ${order}: <code>${formula}</code>. Numbers and colours: the input channel. Point at or focus an output pixel to see its source.</p><p class="ex-pick">&nbsp;</p></div>` +
        `<figure class="ex-fig">${s}</svg><figcaption>Top: the ${cin} input channels. Bottom: the output; every value is moved, none is changed.</figcaption></figure>`;
    }

    render();
  }

  // ------------------------------------------------------------------ convolution as a matrix

  const MATRIX = [
    { name: "n", label: "input size (H = W)", type: "int", min: 1, max: 6, value: 4 },
    { name: "k", label: "kernel size k", type: "int", min: 1, max: 4, value: 3 },
    { name: "s", label: "stride s", type: "int", min: 1, max: 3, value: 1 },
    { name: "p", label: "padding p", type: "int", min: 0, max: 2, value: 0 },
    { name: "d", label: "dilation d", type: "int", min: 1, max: 2, value: 1 },
    { name: "sel", label: "selected pixel (o3 = output 3, i5 = input 5)", type: "select", value: "o0",
      options: Array.from({ length: 100 }, (_, q) => [`o${q}`, `output ${q}`]).concat(Array.from({ length: 36 }, (_, q) => [`i${q}`, `input ${q}`])) },
  ];

  /* Entries of C for conv2d with weights numbered 1..k² (row-major taps): [row, col, tap]. */
  function convEntries(st) {
    const { n, k, s, p, d } = st;
    const span = d * (k - 1) + 1;
    if (span > n + 2 * p) return { refused: { kind: "size",
      text: `the kernel spans d·(k−1)+1 = ${span} samples, more than the padded input n+2p = ${n + 2 * p} (“Kernel size can't be greater than actual input size”).` } };
    const o = Math.floor((n + 2 * p - span) / s) + 1;
    const entries = [];
    for (let r = 0; r < o; r++) for (let c = 0; c < o; c++) for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
      const y = r * s - p + a * d, x = c * s - p + b * d;
      if (y >= 0 && y < n && x >= 0 && x < n) entries.push([r * o + c, y * n + x, a * k + b + 1]);
    }
    return { o, entries };
  }

  function matrixExplorer(root, prefix) {
    const state = readState(prefix, MATRIX);
    const inputs = buildControls(root, prefix, MATRIX, state, render);
    inputs.sel.parentElement.classList.add("ex-wide");
    const out = document.createElement("div");
    out.className = "ex-out";
    root.appendChild(out);
    const choose = (e) => {
      const t = e.target.closest("[data-pick]");
      if (!t || t.dataset.pick === state.sel) return;
      state.sel = t.dataset.pick;
      inputs.sel.value = state.sel;
      writeState(prefix, MATRIX, state);
      highlight();
      const again = out.querySelector(`[data-pick="${state.sel}"]`);
      if (e.type === "click" && again) again.focus();
    };
    out.addEventListener("focusin", choose);
    out.addEventListener("click", choose);
    out.addEventListener("pointerover", choose);
    let model = null;

    function render() {
      const st = state;
      const res = convEntries(st);
      if (res.refused) {
        model = null;
        out.innerHTML = `<div class="ex-live" aria-live="polite">${refusal(res.refused)}</div>`;
        return;
      }
      const { o, entries } = res;
      model = { o, entries };
      const n = st.n, k = st.k;
      const valid = (sel) => sel[0] === "o" ? Number(sel.slice(1)) < o * o : Number(sel.slice(1)) < n * n;
      if (!valid(st.sel)) st.sel = "o0";
      inputs.sel.innerHTML = Array.from({ length: o * o }, (_, q) => `<option value="o${q}">output ${q}</option>`).join("") +
        Array.from({ length: n * n }, (_, q) => `<option value="i${q}">input ${q}</option>`).join("");
      inputs.sel.value = st.sel;
      const size = Math.max(14, Math.min(26, Math.floor(520 / (n + o + 2))));
      const m = Math.max(4, Math.min(16, Math.floor(540 / (n * n + 2))));  // matrix cell size
      const gridW = (n + 1 + o) * size, matW = n * n * m;
      const width = Math.max(gridW, matW + 30) + 4;
      const top2 = Math.max(n, o) * size + 40;
      const height = top2 + o * o * m + 8;
      let s = svgOpen(width, height, `Convolution as a matrix: the ${n}×${n} input, the ${o}×${o} output and the ${o * o}×${n * n} matrix C whose entries name the kernel tap.`, true);
      s += `<text class="ex-t ex-ls" x="0" y="${Math.max(n, o) * size + 14}" font-size="11">C (${o * o} × ${n * n}): rows = output pixels, columns = input pixels; numbers = kernel tap</text>`;
      for (let q = 0; q < n * n; q++) {
        const y = Math.floor(q / n), x = q % n;
        s += `<g tabindex="0" role="button" data-pick="i${q}" aria-label="input pixel ${q} at (${y}, ${x})">${cell(x * size, y * size, size, "ex-in", q)}</g>`;
      }
      const x1 = (n + 1) * size;
      for (let q = 0; q < o * o; q++) {
        const y = Math.floor(q / o), x = q % o;
        s += `<g tabindex="0" role="button" data-pick="o${q}" aria-label="output pixel ${q} at (${y}, ${x})">${cell(x1 + x * size, y * size, size, "ex-out", q)}</g>`;
      }
      s += `<rect class="ex-mat" x="30" y="${top2}" width="${matW}" height="${o * o * m}"/>`;
      s += `<g class="ex-band"></g>`;
      for (const [r, c, t] of entries) {
        s += `<rect class="ex-nz" data-r="${r}" data-c="${c}" x="${30 + c * m}" y="${top2 + r * m}" width="${m}" height="${m}"/>`;
        if (m >= 12) s += `<text class="ex-t" x="${30 + c * m + m / 2}" y="${top2 + r * m + m / 2}" font-size="${Math.round(m * 0.6)}">${t}</text>`;
      }
      out.innerHTML = `<div class="ex-live" aria-live="polite"><p>Output ${o}×${o} (floor((n + 2p − d(k−1) − 1)/s) + 1 = ${o}); C has ${o * o} rows, ${n * n} columns and ${entries.length} nonzero entries (of ${o * o * n * n}); the kernel's taps are numbered 1 … ${k * k} row by row. Point at (or Tab to) a pixel.</p><p class="ex-row"></p></div>` +
        `<figure class="ex-fig">${s}</svg><figcaption>Input (left), output (right), and C below. A selected output pixel shows its row of C and the input pixels it reads; a selected input pixel shows its column of C (a row of Cᵀ, what the transposed convolution scatters from it) and the output pixels that read it.</figcaption></figure>`;
      model.top2 = top2; model.m = m;
      highlight();
    }

    function highlight() {
      if (!model) return;
      const { o, entries, top2, m } = model;
      const n = state.n;
      const kind = state.sel[0], q = Number(state.sel.slice(1));
      out.querySelectorAll(".ex-sel,.ex-hit").forEach((el) => el.classList.remove("ex-sel", "ex-hit"));
      out.querySelectorAll("[data-tap]").forEach((el) => el.remove());
      const mine = entries.filter((e) => (kind === "o" ? e[0] : e[1]) === q);
      const self = out.querySelector(`[data-pick="${kind}${q}"] rect`);
      if (self) self.classList.add("ex-sel");
      for (const [r, c, t] of mine) {
        const other = out.querySelector(`[data-pick="${kind === "o" ? "i" + c : "o" + r}"] rect`);
        if (other) {
          other.classList.add("ex-hit");
          if (kind === "o") other.insertAdjacentHTML("afterend", `<text data-tap class="ex-t ex-tapno" x="${Number(other.getAttribute("x")) + Number(other.getAttribute("width")) - 3}" y="${Number(other.getAttribute("y")) + 6}" font-size="8">w${t}</text>`);
        }
        out.querySelector(`.ex-nz[data-r="${r}"][data-c="${c}"]`).classList.add("ex-hit");
      }
      const band = out.querySelector(".ex-band");
      band.innerHTML = kind === "o" ? `<rect class="ex-bandr" x="30" y="${top2 + q * m}" width="${n * n * m}" height="${m}"/>`
        : `<rect class="ex-bandr" x="${30 + q * m}" y="${top2}" width="${m}" height="${o * o * m}"/>`;
      const list = mine.map(([r, c, t]) => kind === "o" ? `<span data-col="${c}" data-tap="${t}">C[${q}, ${c}] = w${t}</span>` : `<span data-row="${r}" data-tap="${t}">C[${r}, ${q}] = w${t}</span>`);
      out.querySelector(".ex-row").innerHTML = kind === "o"
        ? `Output pixel ${q} = row ${q} of C: ${list.join(", ") || "no entries"} (it reads ${mine.length} input pixel${mine.length === 1 ? "" : "s"}; taps on padding read nothing).`
        : `Input pixel ${q} = column ${q} of C (row ${q} of Cᵀ): ${list.join(", ") || "no entries (no window reads it)"}.`;
    }

    render();
  }

  // ------------------------------------------------------------------ start

  const KINDS = { transposed: [transposedExplorer, "t"], interpolation: [interpolationExplorer, "ip"],
    shuffle: [shuffleExplorer, "ps"], matrix: [matrixExplorer, "cm"] };

  function start() {
    const seen = {};
    document.querySelectorAll("div.explorer[data-kind]").forEach((root) => {
      const entry = KINDS[root.dataset.kind];
      if (!entry || root.dataset.ready) return;
      seen[root.dataset.kind] = (seen[root.dataset.kind] || 0) + 1;
      const prefix = entry[1] + (seen[root.dataset.kind] > 1 ? seen[root.dataset.kind] : "");
      root.dataset.ready = "1";
      entry[0](root, prefix);
    });
  }

  window.upsamplingExplorers = { transposedSize, overlap1d, interpRow, shuffleSource, convEntries };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
