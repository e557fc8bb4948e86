// The widgets on the book's pages (issue 12). Loaded, deferred, on pages with widgets
// (_config.yml, nb_ipywidgets_js); the attributes of this script name the files to load.
//
// 1. Only when a widget comes within a screen of the viewport are its saved state
//    (<page>.widgets.json, moved out of the page by book/_ext/page_fixes.py) and the widget
//    manager (require.js and embed-amd.js, ~0.9 MB compressed) fetched: the text never waits for
//    them, and a reader who does not scroll that far does not download them.
// 2. The manager finds its icon fonts next to the URL require.js gives it, which is the page's
//    own folder (404s) unless its CDN folder is configured here.
// 3. What the manager draws gets the names a keyboard or screen-reader user needs: the Play,
//    Pause, Stop and Repeat buttons are named, the slider is named by its label and announces
//    the frame it shows (the epoch "10", not the position "1"), and each stepper is a group
//    named by its caption (helpers/widgets.py writes the caption and the frames' alt text).
(function () {
  "use strict";

  const config = document.currentScript.dataset;
  const STATE = 'script[type="application/vnd.jupyter.widget-state+json"]';
  const VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';
  const views = Array.from(document.querySelectorAll(VIEW));
  if (!views.length) return;

  function addScript(src, integrity, attributes) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      if (integrity) {
        script.integrity = integrity;
        script.crossOrigin = "anonymous";
      }
      Object.entries(attributes || {}).forEach(([name, value]) => script.setAttribute(name, value));
      script.onload = resolve;
      script.onerror = () => reject(new Error("widgets-loader: could not load " + src));
      script.src = src;
      document.head.appendChild(script);
    });
  }

  async function fetchState() {
    const tags = document.querySelectorAll(STATE + "[data-src]");
    await Promise.all(Array.from(tags, async (tag) => {
      const url = new URL(tag.dataset.src, window.location.href);
      const response = await fetch(url);
      if (!response.ok) throw new Error(`widgets-loader: ${url} answered ${response.status}`);
      tag.textContent = await response.text();
      tag.removeAttribute("data-src");
    }));
  }

  function configureRequire() { // 2.
    const dist = config.htmlManager;
    const paths = { "@jupyter-widgets/html-manager/dist": dist };
    ["base", "controls", "base7", "controls7", "html-manager"].forEach((name) => {
      paths["@jupyter-widgets/" + name] = dist + "/" + name;
    });
    window.require.config({ paths: paths });
  }

  let loading = null;
  function load() { // 1.
    loading = loading || (async () => {
      await fetchState();
      await addScript(config.require, config.requireIntegrity);
      configureRequire();
      await addScript(config.htmlManager + "/embed-amd.js", config.embedIntegrity, {
        "data-jupyter-widgets-cdn": config.widgetsCdn,
      });
    })();
    return loading;
  }

  // 3. names and values for what the manager draws
  let count = 0;
  function nameStepper(box) {
    if (box.dataset.named) return;
    box.dataset.named = "1";
    const id = "book-stepper-" + ++count;
    const caption = box.querySelector(".book-stepper-caption");
    if (caption) {
      caption.id = id + "-caption";
      box.setAttribute("role", "group");
      box.setAttribute("aria-labelledby", caption.id);
    }
    const [playPause, stop, repeat] = box.querySelectorAll(".widget-play button");
    box.querySelectorAll(".widget-play i").forEach((icon) => icon.setAttribute("aria-hidden", "true"));
    const label = box.querySelector(".widget-slider .widget-label");
    const handle = box.querySelector(".widget-slider .noUi-handle");
    const readout = box.querySelector(".widget-slider .widget-readout");
    if (label && handle) {
      label.id = id + "-label";
      handle.setAttribute("aria-labelledby", label.id);
    }
    const sync = () => {
      if (playPause) {
        const playing = playPause.querySelector(".fa-pause") !== null;
        playPause.setAttribute("aria-label", playing ? "Pause" : "Play");
      }
      if (stop) stop.setAttribute("aria-label", "Stop");
      if (repeat) {
        repeat.setAttribute("aria-label", "Repeat");
        repeat.setAttribute("aria-pressed", String(repeat.classList.contains("mod-active")));
      }
      // the slider says which frame it shows, as its readout does
      const text = readout && readout.textContent.trim();
      if (handle && text && handle.getAttribute("aria-valuetext") !== text)
        handle.setAttribute("aria-valuetext", text);
    };
    sync();
    new MutationObserver(sync).observe(box, {
      subtree: true, childList: true, characterData: true,
      attributes: true, attributeFilter: ["class", "aria-valuenow", "aria-valuetext"],
    });
  }

  function nameAll() {
    document.querySelectorAll(".book-stepper").forEach((box) => {
      if (box.querySelector(".noUi-handle")) nameStepper(box);
    });
  }

  const outputs = views.map((view) => view.parentElement);
  const drawn = new MutationObserver(nameAll);
  outputs.forEach((output) => drawn.observe(output, { childList: true, subtree: true }));

  if (!("IntersectionObserver" in window)) {
    load();
    return;
  }
  const near = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) {
      near.disconnect();
      load();
    }
  }, { rootMargin: "100% 0px" });
  outputs.forEach((output) => near.observe(output));
})();
