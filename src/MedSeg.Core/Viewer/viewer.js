"use strict";
// MedSeg slice viewer: decodes the embedded PNG slices of one case into typed arrays, then draws any plane with
// window/level and the truth and prediction overlays on canvases. Gray values and masks come as 8-bit RGB PNGs
// holding a 16-bit value as R (high byte) and G (low byte).
(() => {
  const data = JSON.parse(document.getElementById("viewer-data").textContent);
  const el = (tag, props = {}, children = []) => {
    const e = Object.assign(document.createElement(tag), props);
    for (const c of children) e.append(c);
    return e;
  };
  const fmt = v => (v === null || v === undefined || !isFinite(v)) ? "n/a" : Number(v).toFixed(4);
  const rgb = hex => [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
  const colours = data.classes.map(c => rgb(c.colour));
  const state = { caseIndex: -1, plane: "axial", index: 0, low: 0, high: 1, blend: 0.5,
    showTruth: true, showPred: true, classOn: data.classes.map(() => true), volume: null };

  async function decode(b64) {
    const bytes = Uint8Array.from(atob(b64), ch => ch.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }),
      { colorSpaceConversion: "none", premultiplyAlpha: "none" });
    const canvas = el("canvas", { width: bitmap.width, height: bitmap.height });
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(bitmap, 0, 0);
    return ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  }

  async function loadVolume(c, index) {
    if (data.served && !c.images) {
      // A served page holds no slices: each case's come from the server when the case is opened.
      const response = await fetch(`case/${index}.json`);
      if (!response.ok) throw new Error(`case/${index}.json: HTTP ${response.status}`);
      Object.assign(c, await response.json());
    }
    const plane = c.height * c.width, channels = c.channels;
    const image = new Uint16Array(c.depth * plane * channels);
    const truth = c.truth ? new Uint16Array(c.depth * plane) : null;
    const pred = c.pred ? new Uint16Array(c.depth * plane) : null;
    await Promise.all(c.images.map(async (b64, z) => {
      const px = await decode(b64);
      for (let i = 0; i < plane; i++) {
        if (channels === 3) {
          for (let k = 0; k < 3; k++) image[(z * plane + i) * 3 + k] = px[4 * i + k];
        } else {
          image[z * plane + i] = px[4 * i] * 256 + px[4 * i + 1];
        }
      }
    }));
    for (const [target, planes] of [[truth, c.truth], [pred, c.pred]]) {
      if (!target) continue;
      await Promise.all(planes.map(async (b64, z) => {
        if (b64 === null) return;
        const px = await decode(b64);
        for (let i = 0; i < plane; i++) target[z * plane + i] = px[4 * i] * 256 + px[4 * i + 1];
      }));
    }
    return { image, truth, pred };
  }

  const holds = data.masks === "flags" ? (v, k) => (v >> k) & 1 : (v, k) => v === k + 1;

  // Rows and columns of the current plane, and the voxel index of (row, column) in it.
  function geometry(c) {
    const h = c.height, w = c.width, d = c.depth, s = c.spacing;
    if (state.plane === "coronal") return { rows: d, cols: w, count: h, rowMm: s[0], colMm: s[2], at: (r, q) => (r * h + state.index) * w + q };
    if (state.plane === "sagittal") return { rows: d, cols: h, count: w, rowMm: s[0], colMm: s[1], at: (r, q) => (r * h + q) * w + state.index };
    return { rows: h, cols: w, count: d, rowMm: s[1], colMm: s[2], at: (r, q) => (state.index * h + r) * w + q };
  }

  function draw(canvas, c, g, mask, show) {
    const v = state.volume, channels = c.channels;
    if (canvas.width !== g.cols || canvas.height !== g.rows) {
      canvas.width = g.cols;
      canvas.height = g.rows;
    }
    const scale = 512 / Math.max(g.cols * g.colMm, g.rows * g.rowMm);
    // The width at the spacing; the height follows from the ratio, so a narrow window shrinks the view undistorted.
    canvas.style.width = `${Math.round(g.cols * g.colMm * scale)}px`;
    canvas.style.height = "auto";
    canvas.style.aspectRatio = `${g.cols * g.colMm} / ${g.rows * g.rowMm}`;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    const out = ctx.createImageData(g.cols, g.rows);
    const span = Math.max(state.high - state.low, 1e-9);
    const inside = (r, q, k) => r >= 0 && q >= 0 && r < g.rows && q < g.cols && holds(mask[g.at(r, q)], k);
    for (let r = 0; r < g.rows; r++) {
      for (let q = 0; q < g.cols; q++) {
        const i = g.at(r, q), o = 4 * (r * g.cols + q);
        for (let k = 0; k < 3; k++) {
          const stored = channels === 3 ? v.image[3 * i + k] : v.image[i];
          const value = c.offset + stored * c.scale;
          out.data[o + k] = Math.round(Math.min(255, Math.max(0, (value - state.low) / span * 255)));
        }
        out.data[o + 3] = 255;
        if (!mask || !show) continue;
        for (let k = 0; k < colours.length; k++) {
          if (!state.classOn[k] || !holds(mask[i], k)) continue;
          const edge = !inside(r - 1, q, k) || !inside(r + 1, q, k) || !inside(r, q - 1, k) || !inside(r, q + 1, k);
          const a = edge ? 1 : state.blend;
          for (let ch = 0; ch < 3; ch++) out.data[o + ch] = Math.round(out.data[o + ch] + (colours[k][ch] - out.data[o + ch]) * a);
        }
      }
    }
    ctx.putImageData(out, 0, 0);
  }

  function table(head, rows) {
    return el("div", { className: "table-wrap" }, [el("table", {}, [
      el("thead", {}, [el("tr", {}, head.map(h => el("th", { textContent: h })))]),
      el("tbody", {}, rows.map(cells => el("tr", {}, cells.map(x => typeof x === "string" ? el("td", { textContent: x }) : el("td", {}, [x]))))),
    ])]);
  }
  const key = k => el("span", {}, [el("span", { className: "key tp", style: `--c:${data.classes[k].colour}` }), data.classes[k].name]);

  function showCaseMetrics(c) {
    document.getElementById("case-title").textContent = c.id;
    const box = document.getElementById("case-metrics");
    box.replaceChildren();
    if (!c.figures) {
      box.append(el("p", { className: "note", textContent: data.hasPredictions ? "No truth to score against." : "No prediction to score." }));
      return;
    }
    const unit = data.distanceUnit === "mm" ? "mm" : data.distanceUnit === "px" ? "px" : "norm.";
    const f = c.figures;
    box.append(table(["figure", "value"], [
      [`score (${data.metric})`, fmt(f.score)], ["Dice", fmt(f.dice)], ["IoU", fmt(f.iou)], ["precision", fmt(f.precision)],
      ["recall", fmt(f.recall)], [`HD (${unit})`, fmt(f.hausdorff)], [`HD95 (${unit})`, fmt(f.hd95)]]));
    box.append(table(["class", "Dice"], data.classes.map((cl, k) => [key(k), fmt(c.classDice ? c.classDice[cl.name] : null)])));
  }

  function showSliceMetrics(c) {
    const box = document.getElementById("slice-metrics");
    box.replaceChildren();
    if (state.plane !== "axial") {
      box.append(el("p", { className: "note", textContent: "Per-slice figures are for axial slices." }));
      return;
    }
    const z = state.index;
    box.append(el("p", { className: "note", textContent: c.sliceNames[z] }));
    box.append(table(["class", "truth px", "pred px", "Dice"], data.classes.map((cl, k) => [key(k),
      data.hasTruth ? String(c.sliceTruth[k][z]) : "–", data.hasPredictions ? String(c.slicePred[k][z]) : "–", fmt(c.sliceDice[k][z])])));
  }

  function render() {
    const c = data.cases[state.caseIndex];
    const g = geometry(c);
    const slider = document.getElementById("slice");
    slider.max = String(g.count - 1);
    slider.value = String(state.index);
    document.getElementById("slice-label").textContent = `slice ${state.index + 1} / ${g.count}`;
    const v = state.volume;
    draw(document.getElementById("truth-view"), c, g, v.truth, state.showTruth);
    if (data.hasPredictions && data.hasTruth) draw(document.getElementById("pred-view"), c, g, v.pred, state.showPred);
    else if (data.hasPredictions) draw(document.getElementById("truth-view"), c, g, v.pred, state.showPred);
    showSliceMetrics(c);
    document.body.dataset.slice = String(state.index);
    document.body.dataset.ready = "1";
  }

  function setIndex(i) {
    const count = geometry(data.cases[state.caseIndex]).count;
    state.index = Math.max(0, Math.min(count - 1, i));
    render();
  }

  function setWindow(low, high) {
    state.low = low;
    state.high = high;
    document.getElementById("window-width").value = String(high - low);
    document.getElementById("window-level").value = String((high + low) / 2);
  }

  async function openCase(index) {
    document.body.dataset.ready = "0";
    const c = data.cases[index];
    state.caseIndex = index;
    state.volume = await loadVolume(c, index);
    const [low, high, min, max] = c.window;
    const ww = document.getElementById("window-width"), wl = document.getElementById("window-level");
    ww.min = "1e-6"; ww.max = String(Math.max(max - min, 1e-6)); ww.step = String(Math.max(max - min, 1e-6) / 1000);
    wl.min = String(min); wl.max = String(max); wl.step = ww.step;
    setWindow(low, high);
    document.getElementById("plane").disabled = c.depth < 2;
    if (c.depth < 2) state.plane = "axial";
    document.getElementById("plane").value = state.plane;
    state.index = Math.floor(geometry(c).count / 2);
    document.querySelectorAll("#case-list button").forEach((b, i) => b.classList.toggle("current", i === index));
    showCaseMetrics(c);
    render();
  }

  function build() {
    const list = document.getElementById("case-list");
    data.cases.forEach((c, i) => {
      const score = c.figures ? fmt(c.figures.score) : "";
      const button = el("button", { type: "button", title: c.id }, [c.id, el("span", { textContent: score })]);
      button.dataset.case = c.id;
      button.addEventListener("click", () => openCase(i));
      list.append(el("li", {}, [button]));
    });
    const range = (id, props) => el("input", Object.assign({ type: "range", id }, props));
    const toolbar = document.getElementById("toolbar");
    const plane = el("select", { id: "plane" }, ["axial", "coronal", "sagittal"].map(p => el("option", { value: p, textContent: p })));
    plane.addEventListener("change", () => { state.plane = plane.value; state.index = Math.floor(geometry(data.cases[state.caseIndex]).count / 2); render(); });
    const slice = range("slice", { min: "0", step: "1" });
    slice.addEventListener("input", () => setIndex(Number(slice.value)));
    const ww = range("window-width", {}), wl = range("window-level", {});
    const onWindow = () => { const w = Number(ww.value), l = Number(wl.value); state.low = l - w / 2; state.high = l + w / 2; render(); };
    ww.addEventListener("input", onWindow);
    wl.addEventListener("input", onWindow);
    const auto = el("button", { type: "button", id: "window-auto", textContent: "auto" });
    auto.addEventListener("click", () => { const c = data.cases[state.caseIndex]; setWindow(c.window[0], c.window[1]); render(); });
    const blend = range("blend", { min: "0", max: "100", value: "50" });
    blend.addEventListener("input", () => { state.blend = Number(blend.value) / 100; render(); });
    toolbar.append(el("label", {}, ["plane", plane]), el("label", {}, ["slice", slice]), el("span", { id: "slice-label" }),
      el("label", {}, ["window", ww]), el("label", {}, ["level", wl]), auto, el("label", {}, ["blend", blend]));

    const toggles = document.getElementById("toggles");
    const check = (id, label, checked, onChange) => {
      const box = el("input", { type: "checkbox", id, checked });
      box.addEventListener("change", () => onChange(box.checked));
      return el("label", {}, [box, label]);
    };
    if (data.hasTruth) toggles.append(check("show-truth", "truth", true, on => { state.showTruth = on; render(); }));
    if (data.hasPredictions) toggles.append(check("show-pred", "prediction", true, on => { state.showPred = on; render(); }));
    data.classes.forEach((cl, k) => {
      const label = check(`class-${k}`, "", true, on => { state.classOn[k] = on; render(); });
      label.append(key(k));
      toggles.append(label);
    });

    const views = document.getElementById("views");
    const view = (id, caption) => el("figure", {}, [el("canvas", { id }), el("figcaption", { textContent: caption })]);
    if (data.hasTruth && data.hasPredictions) views.append(view("truth-view", "truth"), view("pred-view", "prediction"));
    else views.append(view("truth-view", data.hasPredictions ? "prediction" : data.hasTruth ? "truth" : "image"));
    views.addEventListener("wheel", e => { e.preventDefault(); setIndex(state.index + Math.sign(e.deltaY)); }, { passive: false });
    document.addEventListener("keydown", e => {
      if (e.target instanceof HTMLInputElement && e.target.type === "range") return;
      const steps = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1, PageDown: 10, PageUp: -10 };
      if (e.key in steps) setIndex(state.index + steps[e.key]);
      else if (e.key === "Home") setIndex(0);
      else if (e.key === "End") setIndex(1e9);
      else if (e.key === "t" && data.hasTruth) document.getElementById("show-truth").click();
      else if (e.key === "p" && data.hasPredictions) document.getElementById("show-pred").click();
      else return;
      e.preventDefault();
    });
    openCase(0);
  }

  build();
})();
