// Loaded on pages with widgets, after require.js and before the widget manager (_config.yml,
// nb_ipywidgets_js). Three fixes so the saved widgets run cleanly on the static site.
(function () {
  "use strict";

  // 1. The theme's FontAwesome (deferred, so it runs after this) swaps each <i class="fa ...">
  //    for an <svg>; the Play widget keeps references to its <i> icons and then throws
  //    "Cannot set properties of undefined (setting 'className')". "nest" puts the <svg>
  //    inside the <i> instead.
  window.FontAwesomeConfig = { autoReplaceSvg: "nest" };

  // 2. The widget manager's modules find their icon fonts next to the URL require.js gives
  //    them, which is the page's own folder (404s) unless their CDN folder is named here.
  //    data-html-manager (set in _config.yml) is that folder.
  const dist = document.currentScript.dataset.htmlManager;
  if (dist && window.require) {
    const bundled = ["base", "controls", "base7", "controls7", "html-manager"];
    const paths = { "@jupyter-widgets/html-manager/dist": dist };
    bundled.forEach((name) => { paths["@jupyter-widgets/" + name] = dist + "/" + name; });
    window.require.config({ paths: paths });
  }

  // 3. Widgets typeset their labels with the MathJax 2 call MathJax.Hub.Queue(["Typeset", ...]);
  //    the book loads MathJax 3, which has no Hub, so every labelled widget threw on pages with
  //    math. Map the call to MathJax 3. (Pages without math load no MathJax; widgets skip it.)
  if (!window.MathJax) return;
  const waiting = [];
  const hub = {
    Queue: function (call) {
      const element = call[2];
      if (window.MathJax.typesetPromise) window.MathJax.typesetPromise([element]);
      else waiting.push(element);
    },
  };
  window.MathJax.Hub = hub; // window.MathJax is still the config object here
  window.MathJax.startup = Object.assign(window.MathJax.startup || {}, {
    ready: function () {
      window.MathJax.startup.defaultReady();
      window.MathJax.Hub = hub; // MathJax 3 replaced the global object when it loaded
      window.MathJax.startup.promise.then(() => window.MathJax.typesetPromise(waiting.splice(0)));
    },
  });
})();
